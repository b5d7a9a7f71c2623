// Package touchpoint models the contact map of a customer journey: the
// channels through which the company and its customers meet, the
// touchpoints where a journey step meets a channel, and the departments that
// own them.
//
// # Channels and touchpoints
//
// A [Channel] is a means of contact: the website, the mobile app, email,
// SMS, social networks, the store, the hotline … It is a string type with
// well-known constants ([Web], [Email], [Phone] …); [ParseChannel] maps
// English and French names onto them ("hotline" and "centre d'appel" are
// [Phone]) and keeps any other name as a custom channel.
//
// A [Touchpoint] is the junction of a step and a channel ("product page on
// the web", "return label in the parcel"). It has a [Direction] (inbound:
// the customer starts the contact; outbound: the company does), an owner
// department, the mix of the four Cs it serves ([objectives.Mix]) and the
// KPIs that measure it.
//
// # Departments
//
// A [Department] is stage-focused (it serves given stages and wants them
// easier to pass), channel-focused (it owns an interaction method such as
// emailing, and must first find where in the journey that method matters
// most) or support (accounting, legal: no direct action on the journey).
//
// # Catalog
//
// A [Catalog] lists departments and touchpoints. [Catalog.Validate] reports
// every problem at once, each with the path to the bad field:
//
//	touchpoints[2] "cart": owner: unknown department "ops"
//
// # JSON
//
// A catalog is an object with "departments" and "touchpoints". A department
// has id, name, focus ("stage", "channel" or "support"), stages and
// channels; a touchpoint has id, name, channel, direction ("inbound",
// "outbound"), owner, objectives (an [objectives.Mix]) and kpis. Decoding is
// strict: every unknown field is an error.
package touchpoint
