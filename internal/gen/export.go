package gen

import (
	"cmp"
	"iter"
	"math/rand/v2"
	"slices"
	"strconv"
	"time"

	"github.com/parcours-go/parcours/journey"
	"github.com/parcours-go/parcours/touchpoint"
)

// The export shape is that of web analytics exports (and of the CSV that
// bench/duckdb writes, with the same algorithm, seed for seed): about ten
// events per customer (a geometric-like length, so a few customers have
// many), twenty distinct steps of which four make the funnel, six
// channels, first events spread over eight weeks, sessions of a few events
// on one channel separated by hours or days, and events in time order, so
// that customers interleave.
var (
	// ExportChannels are the channels of the export shape.
	ExportChannels       = []string{"web", "app", "email", "ads", "social", "search"}
	exportChannelWeights = []float64{40, 20, 12, 12, 10, 6}
	// ExportFunnel lists the export shape's four funnel steps, in order;
	// the last is Purchase.
	ExportFunnel = []string{"visit", "product", "cart", Purchase}
	// exportOther are its sixteen other steps.
	exportOther = []string{"search", "login", "signup", "scroll", "click", "share", "wishlist", "review",
		"support", "open-email", "click-email", "ad-view", "ad-click", "social-post", "newsletter", "logout"}
	// ExportStart is the time from which the export's times count.
	ExportStart = time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
)

// ExportRow is one event of the export shape: seconds since ExportStart,
// the customer's index, and indexes into ExportChannels and into the
// steps (below len(ExportFunnel), ExportFunnel's).
type ExportRow struct {
	T        int64
	Customer int32
	Channel  uint8
	Step     uint8
}

// ExportStep returns the name of step index s of an ExportRow.
func ExportStep(s uint8) string {
	if int(s) < len(ExportFunnel) {
		return ExportFunnel[s]
	}
	return exportOther[int(s)-len(ExportFunnel)]
}

// ExportCustomer returns the id of customer index c: "c" and seven digits.
func ExportCustomer(c int32) string {
	s := strconv.Itoa(int(c))
	for len(s) < 7 {
		s = "0" + s
	}
	return "c" + s
}

// ExportRows returns the events of customers customers of the export
// shape, seeded by seed, in time order (ties by customer). A customer's
// events have strictly increasing times, in whole seconds. They take 16
// bytes each.
func ExportRows(customers int, seed uint64) []ExportRow {
	r := rand.New(rand.NewPCG(seed, 0x5deece66d))
	var cum []float64
	total := 0.0
	for _, w := range exportChannelWeights {
		total += w
		cum = append(cum, total)
	}
	pickChannel := func() uint8 {
		x := r.Float64() * total
		for i, c := range cum {
			if x < c {
				return uint8(i)
			}
		}
		return uint8(len(cum) - 1)
	}
	other := func() uint8 { return uint8(len(ExportFunnel) + r.IntN(len(exportOther))) }
	const weeks = 8
	rows := make([]ExportRow, 0, customers*11)
	for c := range customers {
		n := 1 + min(int(r.ExpFloat64()*9.5), 400)
		t := r.Int64N(weeks * 7 * 86400)
		ch := pickChannel()
		stage := 0 // funnel steps done in the current attempt
		for i := range n {
			session := i == 0
			if i > 0 {
				if r.Float64() < 0.25 {
					session = true
					t += 600 + int64(r.ExpFloat64()*2*86400)
					ch = pickChannel()
				} else {
					t += 1 + int64(r.ExpFloat64()*90)
					if r.Float64() < 0.15 {
						ch = pickChannel()
					}
				}
			}
			var st uint8
			switch u := r.Float64(); {
			case session && u < 0.6:
				st, stage = 0, 1
			case !session && u < 0.45:
				switch stage {
				case 0:
					st, stage = 0, 1
				case 1:
					st, stage = 1, 2
				case 2:
					if r.Float64() < 0.5 {
						st, stage = 2, 3
					} else {
						st = 1
					}
				default:
					if r.Float64() < 0.35 {
						st, stage = 3, 0
					} else {
						st = 2
					}
				}
			default:
				st = other()
			}
			rows = append(rows, ExportRow{T: t, Customer: int32(c), Channel: ch, Step: st})
		}
	}
	slices.SortFunc(rows, func(a, b ExportRow) int {
		return cmp.Or(cmp.Compare(a.T, b.T), cmp.Compare(a.Customer, b.Customer))
	})
	return rows
}

// Export returns the events of customers customers of the export shape,
// seeded by seed, in time order (see ExportRows), without touchpoints,
// values or properties. It holds the rows, 16 bytes an event, and builds
// each Event as it yields it; the sequence can be iterated more than once.
func Export(customers int, seed uint64) iter.Seq[journey.Event] {
	rows := ExportRows(customers, seed)
	ids := make([]string, customers)
	for c := range ids {
		ids[c] = ExportCustomer(int32(c))
	}
	return func(yield func(journey.Event) bool) {
		for _, e := range rows {
			ev := journey.Event{
				Customer: ids[e.Customer],
				Time:     ExportStart.Add(time.Duration(e.T) * time.Second),
				Step:     ExportStep(e.Step),
				Channel:  touchpoint.Channel(ExportChannels[e.Channel]),
			}
			if !yield(ev) {
				return
			}
		}
	}
}

// ExportCSVHeader is the header line of the export shape's CSV, as
// bench/duckdb writes it.
const ExportCSVHeader = "customer_id,ts,channel,event,converted\n"

// AppendExportCSV appends rows as lines of the export shape's CSV (after
// ExportCSVHeader): the customer's id, the time written as
// 2024-01-15 22:10:16, the channel, the step, and converted, 1 on
// purchases and 0 elsewhere.
func AppendExportCSV(buf []byte, rows []ExportRow) []byte {
	for _, e := range rows {
		buf = append(buf, ExportCustomer(e.Customer)...)
		buf = append(buf, ',')
		buf = ExportStart.Add(time.Duration(e.T)*time.Second).AppendFormat(buf, time.DateTime)
		buf = append(buf, ',')
		buf = append(buf, ExportChannels[e.Channel]...)
		buf = append(buf, ',')
		buf = append(buf, ExportStep(e.Step)...)
		if ExportStep(e.Step) == Purchase {
			buf = append(buf, ",1\n"...)
		} else {
			buf = append(buf, ",0\n"...)
		}
	}
	return buf
}
