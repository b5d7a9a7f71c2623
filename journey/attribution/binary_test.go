package attribution

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/parcours-go/parcours/internal/gen"
	"github.com/parcours-go/parcours/internal/wire/wiretest"
	"github.com/parcours-go/parcours/journey"
)

// viewTable is what a table is for: its rows and totals.
func viewTable(t *Table) any {
	c, n, v := t.Total()
	dc, dn, dv := t.Dropped()
	return [3]any{t.Rows(), [3]float64{c, n, v}, [3]float64{dc, dn, dv}}
}

// splitRandomly deals l's customers at random into k logs.
func splitRandomly(r *rand.Rand, l *journey.Log, k int) []*journey.Log {
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

// TestTableMergeProperties checks, on generated logs split into 1 to 7
// random shards of customers and counted with random options, that
// merging the shards' tables in a random tree equals the table of the
// whole (rows, totals and encodings), that encodings round-trip, and that
// Markov, Shapley and the heuristics run on the merged table and agree
// with the whole log's route table.
func TestTableMergeProperties(t *testing.T) {
	r := rand.New(rand.NewPCG(14, 3))
	for trial := range 25 {
		l := genLog(t, 50+r.IntN(300), r.Uint64())
		opt := FromLogOptions{
			By: journey.By(r.IntN(3)), GoalSteps: []string{gen.Purchase}, EveryGoal: r.IntN(2) == 0,
			ConvertingOnly: r.IntN(4) == 0, Workers: 1 + r.IntN(3),
		}
		if r.IntN(3) == 0 {
			opt.Lookback = time.Duration(1+r.IntN(48)) * time.Hour
		}
		if r.IntN(3) == 0 {
			opt.EmptyRoute = "(direct)"
		}
		whole, err := CountLog(l, opt)
		if err != nil {
			t.Fatal(err)
		}
		var shards []*Table
		for _, p := range splitRandomly(r, l, 1+r.IntN(7)) {
			o := opt
			o.Workers = 1 + r.IntN(2)
			s, err := CountLog(p, o)
			if err != nil {
				t.Fatal(err)
			}
			shards = append(shards, s)
		}
		what := fmt.Sprintf("trial %d %+v", trial, opt)
		wiretest.RoundTrip(t, whole, viewTable)
		for _, s := range shards {
			wiretest.RoundTrip(t, s, viewTable)
		}
		for range 3 {
			wiretest.Equal(t, what, whole, wiretest.MergeRandomly(t, r, shards), viewTable)
		}

		// The models on the merged table, against FromLog on the whole.
		merged := wiretest.MergeRandomly(t, r, shards)
		rows, err := FromLog(l, opt)
		if err != nil {
			t.Fatal(err)
		}
		if len(rows) == 0 {
			continue
		}
		mrows := merged.Rows()
		for name, model := range map[string]func([]Row) (Result, error){
			"markov":      func(rs []Row) (Result, error) { return Markov(rs, MarkovOptions{}) },
			"shapley":     func(rs []Row) (Result, error) { return Shapley(rs, ShapleyOptions{}) },
			"first touch": FirstTouch,
			"linear":      Linear,
		} {
			want, err1 := model(rows)
			got, err2 := model(mrows)
			if (err1 == nil) != (err2 == nil) {
				t.Fatalf("%s: %s: whole %v, merged %v", what, name, err1, err2)
			}
			if err1 != nil {
				continue
			}
			for k, w := range want {
				g := got[k]
				if math.Abs(w.Conversions-g.Conversions) > 1e-9 || math.Abs(w.Value-g.Value) > 1e-9 {
					t.Fatalf("%s: %s of %q: whole %+v, merged %+v", what, name, k, w, g)
				}
			}
			if len(want) != len(got) {
				t.Fatalf("%s: %s credits %d touches, merged %d", what, name, len(want), len(got))
			}
		}
		m, err := merged.MarkovChain(MarkovOptions{})
		if err != nil {
			t.Fatal(err)
		}
		res, err := m.Result()
		want, _ := Markov(rows, MarkovOptions{})
		if err != nil {
			t.Fatal(err)
		}
		for k, w := range want {
			if math.Abs(w.Conversions-res[k].Conversions) > 1e-9 {
				t.Fatalf("%s: MarkovChain of the merged table, %q: %+v, want %+v", what, k, res[k], w)
			}
		}
	}
}

// TestTableBinaryByHand checks an encoding byte by byte, from the layout
// of Table.MarshalBinary.
func TestTableBinaryByHand(t *testing.T) {
	var tb Table
	for _, row := range []Row{
		{Touches: []string{"web", "email"}, Conversions: 1, Value: 2.5},
		{Touches: []string{"web"}, Nulls: 3},
		{Touches: []string{"web", "email"}, Conversions: 2, Nulls: 1, Value: 10},
	} {
		if err := tb.Add(row); err != nil {
			t.Fatal(err)
		}
	}
	got, _ := tb.MarshalBinary()
	want := []byte{'p', 'c', 'A', 1,
		0, 0, 0, 0, 0, 0, 0, 0, // no cut: made by Add
		0,          // no sample
		0, 0, 0, 0, // nothing dropped
		2, 5, 'e', 'm', 'a', 'i', 'l', 3, 'w', 'e', 'b',
		2,       // routes
		0, 1, 1, // (web)
		0, 6, 0, 0, // 0 conversions, 3 nulls, value 0 + 0
		1, 1, 0, // (web email): shares web, then email
		6, 2, 1, 0, 0, 0, 0, 0, 0, 0x29, 0x40, 0, // 3 conversions, 1 null, 12.5 as 8 bytes, low half 0
	}
	if string(got) != string(want) {
		t.Fatalf("encoding\n got %x\nwant %x", got, want)
	}
}

// TestTableRefusedMerges checks that tables of other options, or of
// shards sharing customers (found with a fixed seed, at 2,000 customers a
// shard sharing 10 %), do not merge and leave the receiver as it was.
func TestTableRefusedMerges(t *testing.T) {
	l := genLog(t, 3800, 5)
	var ids []string
	for c := range l.Customers() {
		ids = append(ids, l.Customer(c))
	}
	lo := l.FilterCustomers(func(c string) bool { return c < ids[2000] })
	hi := l.FilterCustomers(func(c string) bool { return c >= ids[2000] })
	over := l.FilterCustomers(func(c string) bool { return c >= ids[1800] })
	opt := FromLogOptions{GoalSteps: []string{gen.Purchase}}
	a, _ := CountLog(lo, opt)
	other, _ := CountLog(hi, FromLogOptions{GoalSteps: []string{gen.Purchase}, By: journey.ByChannel})
	wiretest.Refused(t, "by step and channel", a, other, ErrIncompatible)
	shared, _ := CountLog(over, opt)
	wiretest.Refused(t, "shards sharing 10 %", a, shared, ErrSharedCustomers)
	b, _ := CountLog(hi, opt)
	if err := a.Merge(b); err != nil {
		t.Fatalf("disjoint shards: %v", err)
	}
}

func FuzzUnmarshalTable(f *testing.F) {
	for i := range 4 {
		tb, err := CountLog(genLog(f, 40, uint64(i)), FromLogOptions{By: journey.By(i % 3), GoalSteps: []string{gen.Purchase}, EmptyRoute: "(none)"})
		if err != nil {
			f.Fatal(err)
		}
		b, _ := tb.MarshalBinary()
		f.Add(b)
	}
	var tb Table
	_ = tb.Add(Row{Touches: []string{"a", "b"}, Conversions: 1.5, Value: 0.1})
	b, _ := tb.MarshalBinary()
	f.Add(b)
	f.Fuzz(wiretest.Fuzz[Table])
}
