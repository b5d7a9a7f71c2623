package main

import (
	"bufio"
	"cmp"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"slices"
	"strconv"
	"time"
)

// The export the benchmark reads is shaped as web analytics exports are:
// about ten events per customer, twenty distinct events of which four make
// the funnel, six channels, first visits spread over eight weeks, sessions
// of a few events on one channel separated by hours or days, and rows in
// time order, so that customers interleave.
var (
	channels       = []string{"web", "app", "email", "ads", "social", "search"}
	channelWeights = []float64{40, 20, 12, 12, 10, 6}
	// funnelSteps are the four steps of the funnel, in order.
	funnelSteps = []string{"visit", "product", "cart", "purchase"}
	// otherSteps are the sixteen other events.
	otherSteps = []string{"search", "login", "signup", "scroll", "click", "share", "wishlist", "review",
		"support", "open-email", "click-email", "ad-view", "ad-click", "social-post", "newsletter", "logout"}
	exportStart = time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
)

// purchase is the funnel's last step, the goal of the path and attribution
// analyses; the converted column is 1 on its rows and 0 elsewhere.
const purchase = "purchase"

// row is one generated event: seconds since exportStart, customer index,
// channel and step indexes (steps below len(funnelSteps) are funnel steps).
type row struct {
	t        int64
	customer int32
	channel  uint8
	step     uint8
}

// generate returns the events of customers customers, seeded by seed, in
// time order. A customer's events have strictly increasing times (whole
// seconds), so that every order by time is the same for both engines.
func generate(customers int, seed uint64) []row {
	r := rand.New(rand.NewPCG(seed, 0x5deece66d))
	var cum []float64
	total := 0.0
	for _, w := range channelWeights {
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
	other := func() uint8 { return uint8(len(funnelSteps) + r.IntN(len(otherSteps))) }
	const weeks = 8
	rows := make([]row, 0, customers*11)
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
			rows = append(rows, row{t: t, customer: int32(c), channel: ch, step: st})
		}
	}
	slices.SortFunc(rows, func(a, b row) int {
		return cmp.Or(cmp.Compare(a.t, b.t), cmp.Compare(a.customer, b.customer))
	})
	return rows
}

// stepName returns the name of step index s.
func stepName(s uint8) string {
	if int(s) < len(funnelSteps) {
		return funnelSteps[s]
	}
	return otherSteps[int(s)-len(funnelSteps)]
}

// writeExport writes rows as the export's CSV: a header
// customer_id,ts,channel,event,converted, then one line per row, times
// written as 2024-01-15 22:10:16.
func writeExport(w io.Writer, rows []row) error {
	bw := bufio.NewWriterSize(w, 1<<20)
	bw.WriteString("customer_id,ts,channel,event,converted\n")
	buf := make([]byte, 0, 128)
	for _, e := range rows {
		buf = append(buf[:0], 'c')
		buf = appendPadded(buf, int64(e.customer), 7)
		buf = append(buf, ',')
		buf = exportStart.Add(time.Duration(e.t)*time.Second).AppendFormat(buf, time.DateTime)
		buf = append(buf, ',')
		buf = append(buf, channels[e.channel]...)
		buf = append(buf, ',')
		buf = append(buf, stepName(e.step)...)
		if stepName(e.step) == purchase {
			buf = append(buf, ",1\n"...)
		} else {
			buf = append(buf, ",0\n"...)
		}
		if _, err := bw.Write(buf); err != nil {
			return err
		}
	}
	return bw.Flush()
}

// appendPadded appends v in decimal, zero-padded to width digits.
func appendPadded(b []byte, v int64, width int) []byte {
	s := strconv.FormatInt(v, 10)
	for range width - len(s) {
		b = append(b, '0')
	}
	return append(b, s...)
}

// writeExportFile generates the export of customers customers into path
// and returns its number of events and its size in bytes.
func writeExportFile(path string, customers int, seed uint64) (events int, size int64, err error) {
	rows := generate(customers, seed)
	f, err := os.Create(path)
	if err != nil {
		return 0, 0, err
	}
	if err := writeExport(f, rows); err != nil {
		f.Close()
		return 0, 0, fmt.Errorf("writing %s: %w", path, err)
	}
	if err := f.Close(); err != nil {
		return 0, 0, err
	}
	st, err := os.Stat(path)
	if err != nil {
		return 0, 0, err
	}
	return len(rows), st.Size(), nil
}
