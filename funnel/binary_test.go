package funnel

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/parcours-go/parcours/internal/gen"
	"github.com/parcours-go/parcours/internal/wire/wiretest"
	"github.com/parcours-go/parcours/journey"
)

// viewReport is everything a report says, as its JSON (which leaves the
// customer sample out: the encodings, compared too, hold it).
func viewReport(r *Report) any {
	b, err := json.Marshal(r)
	if err != nil {
		return err.Error()
	}
	return [2]any{string(b), r.Sample.Len()}
}

func viewDurations(d *Durations) any {
	type run struct {
		D time.Duration
		N int
	}
	var out []run
	for v, n := range d.All() {
		out = append(out, run{v, n})
	}
	return out
}

// splitLog deals l's customers at random into k logs.
func splitLog(r *rand.Rand, l *journey.Log, k int) []*journey.Log {
	owner := map[string]int{}
	for c := range l.Customers() {
		owner[l.Customer(c)] = r.IntN(k)
	}
	parts := make([]*journey.Log, k)
	for i := range parts {
		parts[i] = l.FilterCustomers(func(c string) bool { return owner[c] == i })
	}
	return parts
}

// TestReportMergeProperties checks, on a generated log split into 1 to 7
// random shards of customers, with random funnels and options, that
// merging the shards' reports in a random tree equals the report of the
// whole (JSON and encodings), and that encodings round-trip.
func TestReportMergeProperties(t *testing.T) {
	l, err := journey.NewLog(gen.Slice(gen.Options{Events: 6000, Seed: 9, Props: true}))
	if err != nil {
		t.Fatal(err)
	}
	funnels := []Funnel{
		{Stages: []Stage{Step("visit"), Step("product"), Step("cart"), Step(gen.Purchase)}, Window: 7 * 24 * time.Hour},
		{Stages: []Stage{Step("visit", "search"), Channel("web"), Step("cart")}, Order: Strict, StrictDedup: true, Window: 30 * 24 * time.Hour},
		{Stages: []Stage{Channel("email"), Channel("social"), Channel("ads")}, Order: Unordered, Window: 3 * 24 * time.Hour},
		{Stages: []Stage{Step("visit"), Step("product"), Step(gen.Purchase)}, Open: true, Window: 14 * 24 * time.Hour},
	}
	r := rand.New(rand.NewPCG(14, 4))
	for trial := range 16 {
		fi := r.IntN(len(funnels))
		f := funnels[fi]
		var o Options
		if r.IntN(2) == 0 {
			o.Breakdowns = []Breakdown{{By: ByChannel}, {By: ByProp, Prop: "device", Attribution: LastTouch}}
		}
		if r.IntN(2) == 0 {
			o.Trend = Week
		}
		o.ListCustomers = r.IntN(2) == 0
		if r.IntN(2) == 0 {
			o.Resolution = time.Second
		}
		if !f.Open && r.IntN(2) == 0 {
			o.Drivers = &Drivers{Steps: true, Props: []string{"campaign"}}
		}
		if r.IntN(3) == 0 {
			o.Count = Attempts
		}
		whole, err := f.Analyze(l, o)
		if err != nil {
			t.Fatal(err)
		}
		var shards []*Report
		for _, p := range splitLog(r, l, 1+r.IntN(7)) {
			o.Workers = 1 + r.IntN(2)
			s, err := f.Analyze(p, o)
			if err != nil {
				t.Fatal(err)
			}
			shards = append(shards, s)
		}
		what := fmt.Sprintf("trial %d, funnel %d", trial, fi)
		wiretest.RoundTrip(t, whole, viewReport)
		for _, s := range shards {
			wiretest.RoundTrip(t, s, viewReport)
		}
		for range 3 {
			wiretest.Equal(t, what, whole, wiretest.MergeRandomly(t, r, shards), viewReport)
		}
	}
}

// TestDurationsMergeProperties checks that random samples split at random
// merge, in any tree, into the distribution of the whole, and that the
// encodings round-trip.
func TestDurationsMergeProperties(t *testing.T) {
	r := rand.New(rand.NewPCG(14, 5))
	for range 50 {
		all := make([]int64, r.IntN(200))
		for i := range all {
			all[i] = int64(r.IntN(1 + r.IntN(1e6)))
		}
		k := 1 + r.IntN(7)
		parts := make([][]int64, k)
		for _, x := range all {
			p := r.IntN(k)
			parts[p] = append(parts[p], x)
		}
		whole := durationsOf(slices.Clone(all))
		var shards []*Durations
		for _, p := range parts {
			d := durationsOf(p)
			shards = append(shards, &d)
		}
		wiretest.RoundTrip(t, &whole, viewDurations)
		for range 3 {
			wiretest.Equal(t, "durations", &whole, wiretest.MergeRandomly(t, r, shards), viewDurations)
		}
	}
}

// TestDurationsBinaryByHand checks an encoding byte by byte, from the
// layout of Durations.MarshalBinary.
func TestDurationsBinaryByHand(t *testing.T) {
	d := durationsOf([]int64{int64(time.Second), 5, int64(time.Second), 7})
	got, _ := d.MarshalBinary()
	want := []byte{'p', 'c', 'Q', 1,
		3,    // runs
		1,    // unit: gcd(5, 7, 10^9) = 1 ns
		5, 1, // 5 ns once
		2, 1, // 7 ns once
		0xf9, 0x93, 0xeb, 0xdc, 0x03, 2, // 1 s = 7 + 999,999,993 ns, twice
	}
	if string(got) != string(want) {
		t.Fatalf("encoding\n got %x\nwant %x", got, want)
	}
	var back Durations
	if err := back.UnmarshalBinary(want); err != nil {
		t.Fatal(err)
	}
	if back.Count() != 4 || back.Max() != time.Second || back.Median() != 7 {
		t.Fatalf("decoded %d durations, max %v, median %v", back.Count(), back.Max(), back.Median())
	}
	// At a resolution of a second, the unit is a second.
	d = durationsOf([]int64{int64(3 * time.Second), int64(time.Minute), int64(time.Minute)})
	got, _ = d.MarshalBinary()
	want = []byte{'p', 'c', 'Q', 1,
		2,                            // runs
		0x80, 0xbc, 0xc1, 0x96, 0x0b, // unit: gcd(3 s, 60 s) = 3 s = 3,000,000,000 ns
		1, 1, // 3 s once
		19, 2, // 60 s = 3 s + 19 × 3 s, twice
	}
	if string(got) != string(want) {
		t.Fatalf("encoding\n got %x\nwant %x", got, want)
	}
}

// TestReportRefusedMerges checks that reports of other funnels, or of
// shards sharing customers (a fixed log: shards of about 2,000 customers
// sharing 10 % of them), do not merge and leave the receiver unchanged.
func TestReportRefusedMerges(t *testing.T) {
	l, err := journey.NewLog(gen.Slice(gen.Options{Customers: 3800, Seed: 2}))
	if err != nil {
		t.Fatal(err)
	}
	ids := make([]string, l.Customers())
	for c := range ids {
		ids[c] = l.Customer(c)
	}
	lo := l.FilterCustomers(func(c string) bool { return c < ids[2000] })
	hi := l.FilterCustomers(func(c string) bool { return c >= ids[2000] })
	over := l.FilterCustomers(func(c string) bool { return c >= ids[1800] })
	f := Funnel{Stages: []Stage{Step("visit"), Step("cart")}, Window: time.Hour}
	a, _ := f.Analyze(lo, Options{})
	g := f
	g.Window = 2 * time.Hour
	other, _ := g.Analyze(hi, Options{})
	wiretest.Refused(t, "another window", a, other, ErrIncompatible)
	res, _ := f.Analyze(hi, Options{Resolution: time.Second})
	wiretest.Refused(t, "another resolution", a, res, ErrIncompatible)
	shared, _ := f.Analyze(over, Options{})
	wiretest.Refused(t, "shards sharing 10 %", a, shared, ErrSharedCustomers)
	b, _ := f.Analyze(hi, Options{})
	if err := a.Merge(b); err != nil {
		t.Fatalf("disjoint shards: %v", err)
	}
	whole, _ := f.Analyze(l, Options{})
	wiretest.Equal(t, "two halves", whole, a, viewReport)
}

func FuzzUnmarshalReport(f *testing.F) {
	l := shopLog(f)
	for _, o := range []Options{{}, {ListCustomers: true, Trend: Week, Breakdowns: []Breakdown{{By: ByChannel}}, Drivers: &Drivers{Steps: true}}} {
		rep, err := shop.Analyze(l, o)
		if err != nil {
			f.Fatal(err)
		}
		b, err := rep.MarshalBinary()
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	var zero Report
	b, _ := zero.MarshalBinary()
	f.Add(b)
	f.Fuzz(wiretest.Fuzz[Report])
}

func FuzzUnmarshalDurations(f *testing.F) {
	for _, s := range [][]int64{nil, {0}, {5, 7, 1e9, 1e9}, {1 << 62, 3}} {
		d := durationsOf(s)
		b, _ := d.MarshalBinary()
		f.Add(b)
	}
	f.Fuzz(wiretest.Fuzz[Durations])
}
