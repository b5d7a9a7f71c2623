// Package gen generates realistic, reproducible event logs for tests and
// benchmarks: customers walk a small journey over ten channels, paths have
// 1 to 20 events, and about 3% of customers convert, the last event of a
// converting path being a purchase with a value.
package gen

import (
	"fmt"
	"iter"
	"math"
	"math/rand/v2"
	"time"

	"github.com/parcours-go/parcours/journey"
	"github.com/parcours-go/parcours/touchpoint"
)

// Options say what to generate. The zero value generates nothing; set
// Customers or Events.
type Options struct {
	Customers int     // customers to generate; if 0, generate until Events is reached
	Events    int     // stop after the customer whose events reach this count (with Customers 0)
	Seed      uint64  // the same seed gives the same events
	Convert   float64 // share of converting customers; 0 means 0.03
	MaxPath   int     // longest path; 0 means 20
	Props     bool    // give every event a "device" property and some a "campaign"
	Start     time.Time
}

// Channels are the ten channels of generated logs.
var Channels = []touchpoint.Channel{
	touchpoint.Web, touchpoint.App, touchpoint.Email, touchpoint.SMS, touchpoint.Social,
	touchpoint.Store, touchpoint.Phone, touchpoint.Newsletter, touchpoint.Ads, touchpoint.Search,
}

// channelWeights make some channels more common, as in real data.
var channelWeights = []float64{30, 12, 12, 3, 10, 4, 5, 6, 12, 6}

// steps per channel: what a customer does there.
var steps = map[touchpoint.Channel][]string{
	touchpoint.Web:        {"visit", "search", "product", "cart"},
	touchpoint.App:        {"open-app", "product", "cart"},
	touchpoint.Email:      {"open-email", "click-email"},
	touchpoint.SMS:        {"sms"},
	touchpoint.Social:     {"social-post", "social-ad"},
	touchpoint.Store:      {"store-visit"},
	touchpoint.Phone:      {"call"},
	touchpoint.Newsletter: {"newsletter"},
	touchpoint.Ads:        {"ad-view", "ad-click"},
	touchpoint.Search:     {"organic-search", "paid-search"},
}

// Purchase is the step of the last event of a converting path.
const Purchase = "purchase"

// Events returns the generated events, customer after customer, each
// customer's events in time order. The sequence can be iterated more than
// once and gives the same events each time.
func Events(opt Options) iter.Seq[journey.Event] {
	if opt.Convert == 0 {
		opt.Convert = 0.03
	}
	if opt.MaxPath <= 0 {
		opt.MaxPath = 20
	}
	if opt.Start.IsZero() {
		opt.Start = time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	}
	cum := make([]float64, len(channelWeights))
	total := 0.0
	for i, w := range channelWeights {
		total += w
		cum[i] = total
	}
	return func(yield func(journey.Event) bool) {
		r := rand.New(rand.NewPCG(opt.Seed, 0x9e3779b97f4a7c15))
		n := 0
		for c := 0; opt.Customers > 0 && c < opt.Customers || opt.Customers == 0 && n < opt.Events; c++ {
			cust := fmt.Sprintf("c%08d", c)
			length := 1 + r.IntN(opt.MaxPath)
			converts := r.Float64() < opt.Convert
			t := opt.Start.Add(time.Duration(r.Int64N(int64(90 * 24 * time.Hour))))
			for i := range length {
				var e journey.Event
				if converts && i == length-1 {
					e = journey.Event{Step: Purchase, Channel: touchpoint.Web, Touchpoint: "web-checkout",
						Value: math.Round(math.Exp(3.5+0.6*r.NormFloat64())*100) / 100}
				} else {
					ch := Channels[pick(r, cum)]
					s := steps[ch][r.IntN(len(steps[ch]))]
					e = journey.Event{Step: s, Channel: ch, Touchpoint: string(ch) + "-" + s}
				}
				e.Customer = cust
				e.Time = t
				if opt.Props {
					e.Props = map[string]string{"device": [...]string{"mobile", "desktop", "tablet"}[r.IntN(3)]}
					if r.IntN(4) == 0 {
						e.Props["campaign"] = fmt.Sprintf("campaign-%d", r.IntN(8))
					}
				}
				if !yield(e) {
					return
				}
				n++
				t = t.Add(time.Duration(r.ExpFloat64() * float64(20*time.Hour)))
			}
		}
	}
}

// Slice returns the generated events as a slice.
func Slice(opt Options) []journey.Event {
	var out []journey.Event
	if opt.Events > 0 {
		out = make([]journey.Event, 0, opt.Events+opt.MaxPath+20)
	}
	for e := range Events(opt) {
		out = append(out, e)
	}
	return out
}

func pick(r *rand.Rand, cum []float64) int {
	x := r.Float64() * cum[len(cum)-1]
	for i, c := range cum {
		if x < c {
			return i
		}
	}
	return len(cum) - 1
}
