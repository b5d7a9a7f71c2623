// Package seeds holds the journey maps that several example programs
// share, so that each is written once.
package seeds

import _ "embed"

// B2B is the business-to-business sales journey of seed 004 as a
// journey map in JSON: a company selling equipment to other businesses,
// from the first contact (the website, a trade fair, the switchboard)
// through qualification, prospecting and the purchase to after-sales,
// with 21 touchpoints, five departments and two buyer personas (a
// purchasing manager and a head of engineering) with their empathy maps.
// Read it with journey.ReadMap.
//
//go:embed b2b.json
var B2B []byte
