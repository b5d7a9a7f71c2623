package paths_test

import (
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/parcours-go/parcours/internal/wire/wiretest"
	"github.com/parcours-go/parcours/journey"
	"github.com/parcours-go/parcours/journey/paths"
)

// The observable results of each aggregate, which merged shards and
// decoded encodings must reproduce exactly.
func viewVariants(v *paths.Variants) any { return v.List() }
func viewGoal(v *paths.GoalVariants) any { return [2]any{v.List(), v.Customers()} }
func viewFollows(f *paths.Follows) any   { return f.List() }
func viewLoops(c *paths.Loops) any       { return [3]any{c.List(), c.Customers(), c.Looping()} }
func viewFlows(f *paths.Flows) any       { return [2]any{f.Flow(-1), f.Customers()} }

var testFlow = paths.FlowOptions{Anchor: "search", Depth: 3}

// counted holds every aggregate of one log.
type counted struct {
	v  *paths.Variants
	g  *paths.GoalVariants
	f  *paths.Follows
	lc *paths.Loops
	fl *paths.Flows
}

func countAll(t testing.TB, l *journey.Log, opt paths.Options) counted {
	t.Helper()
	var c counted
	var err [5]error
	c.v, err[0] = paths.CountVariants(l, opt)
	c.g, err[1] = paths.CountGoalVariants(l, isBuy, opt)
	c.f, err[2] = paths.CountFollows(l, opt)
	c.lc, err[3] = paths.CountLoops(l, opt)
	c.fl, err[4] = paths.CountFlows(l, testFlow, opt)
	for _, e := range err {
		if e != nil {
			t.Fatal(e)
		}
	}
	return c
}

// TestBinaryMergeProperties checks, on random logs split into 1 to 7
// random shards of customers, that merging the shards' aggregates in a
// random tree equals the aggregate of the whole, results and encodings,
// and that every encoding round-trips.
func TestBinaryMergeProperties(t *testing.T) {
	r := rand.New(rand.NewPCG(14, 1))
	for trial := range 60 {
		l := randomLog(t, r)
		by := []journey.By{journey.ByStep, journey.ByChannel, journey.ByTouchpoint}[r.IntN(3)]
		opt := paths.Options{By: by, Workers: 1 + r.IntN(3)}
		whole := countAll(t, l, opt)
		var shards []counted
		for _, p := range split(r, l, 1+r.IntN(7)) {
			shards = append(shards, countAll(t, p, paths.Options{By: by, Workers: 1 + r.IntN(2)}))
		}
		pick := func(get func(counted) any) []any {
			var out []any
			for _, s := range shards {
				out = append(out, get(s))
			}
			return out
		}
		what := fmt.Sprintf("trial %d by %v", trial, by)
		check(t, r, what+" variants", whole.v, typed[paths.Variants](pick(func(c counted) any { return c.v })), viewVariants)
		check(t, r, what+" goal variants", whole.g, typed[paths.GoalVariants](pick(func(c counted) any { return c.g })), viewGoal)
		check(t, r, what+" follows", whole.f, typed[paths.Follows](pick(func(c counted) any { return c.f })), viewFollows)
		check(t, r, what+" loops", whole.lc, typed[paths.Loops](pick(func(c counted) any { return c.lc })), viewLoops)
		check(t, r, what+" flows", whole.fl, typed[paths.Flows](pick(func(c counted) any { return c.fl })), viewFlows)
	}
}

func typed[T any](xs []any) []*T {
	out := make([]*T, len(xs))
	for i, x := range xs {
		out[i] = x.(*T)
	}
	return out
}

func check[T any, P wiretest.Partial[T]](t *testing.T, r *rand.Rand, what string, whole P, shards []P, view func(P) any) {
	t.Helper()
	wiretest.RoundTrip[T, P](t, whole, view)
	for _, s := range shards {
		wiretest.RoundTrip[T, P](t, s, view)
	}
	for range 3 {
		wiretest.Equal[T, P](t, what, whole, wiretest.MergeRandomly[T, P](t, r, shards), view)
	}
}

// TestBinaryByHand checks an encoding byte by byte, worked out from the
// layout in Variants.MarshalBinary, and its decoded routes.
func TestBinaryByHand(t *testing.T) {
	var v paths.Variants
	v.Add([]string{"b", "a"}, 2)
	v.Add([]string{"b"}, 1)
	v.Add(nil, 3)
	v.Add([]string{"a"}, 300)
	got, _ := v.MarshalBinary()
	want := []byte{
		'p', 'c', 'V', 1,
		0, 0, 0, // not counted from a log, by step, no goal
		0,                 // no customer sample
		2, 1, 'a', 1, 'b', // names
		4,       // routes
		0, 0, 3, // (): prefix 0, 0 ids, 3 customers
		0, 1, 0, 0xac, 0x02, // (a): 300 customers
		0, 1, 1, 1, // (b): 1
		1, 1, 0, 2, // (b a): shares "b", then a: 2
	}
	if string(got) != string(want) {
		t.Fatalf("encoding\n got %x\nwant %x", got, want)
	}
	var w paths.Variants
	if err := w.UnmarshalBinary(want); err != nil {
		t.Fatal(err)
	}
	list := w.List()
	if len(list) != 4 || list[0].Customers != 300 || list[3].Customers != 1 || fmt.Sprint(list[1].Route) != "[]" || fmt.Sprint(list[2].Route) != "[b a]" {
		t.Fatalf("decoded %+v", list)
	}
}

// TestBinaryRefusedMerges checks that merges of incompatible aggregates,
// or of shards that share customers, fail and change nothing.
func TestBinaryRefusedMerges(t *testing.T) {
	l := shopLog(t)
	byStep := countAll(t, l.FilterCustomers(func(c string) bool { return c < "d" }), paths.Options{})
	byChan := countAll(t, l.FilterCustomers(func(c string) bool { return c >= "d" }), paths.Options{By: journey.ByChannel})
	wiretest.Refused(t, "variants by step and channel", byStep.v, byChan.v, paths.ErrIncompatible)
	wiretest.Refused(t, "goal variants by step and channel", byStep.g, byChan.g, paths.ErrIncompatible)
	wiretest.Refused(t, "follows by step and channel", byStep.f, byChan.f, paths.ErrIncompatible)
	wiretest.Refused(t, "loops by step and channel", byStep.lc, byChan.lc, paths.ErrIncompatible)
	wiretest.Refused(t, "flows by step and channel", byStep.fl, byChan.fl, paths.ErrIncompatible)
	noGoal, _ := paths.CountGoalVariants(l.FilterCustomers(func(c string) bool { return c >= "d" }), nil, paths.Options{})
	wiretest.Refused(t, "goal variants with and without a goal", byStep.g, noGoal, paths.ErrIncompatible)
	other, _ := paths.CountFlows(l.FilterCustomers(func(c string) bool { return c >= "d" }), paths.FlowOptions{Anchor: "cart"}, paths.Options{})
	wiretest.Refused(t, "flows of two anchors", byStep.fl, other, paths.ErrIncompatible)

	// bob and cid in both.
	again := countAll(t, l.FilterCustomers(func(c string) bool { return c >= "bob" && c < "d" }), paths.Options{})
	wiretest.Refused(t, "variants sharing customers", byStep.v, again.v, paths.ErrSharedCustomers)
	wiretest.Refused(t, "goal variants sharing customers", byStep.g, again.g, journey.ErrSharedCustomers)
	wiretest.Refused(t, "follows sharing customers", byStep.f, again.f, paths.ErrSharedCustomers)
	wiretest.Refused(t, "loops sharing customers", byStep.lc, again.lc, paths.ErrSharedCustomers)
	wiretest.Refused(t, "flows sharing customers", byStep.fl, again.fl, paths.ErrSharedCustomers)
}

// TestSharedCustomersOfLargeShards checks, with a fixed seed, that shards
// of 2,000 customers each sharing 10 % of them are caught: each shared
// customer is in both samples with probability about 64/2000, so about 6
// are expected there, and none is missed with probability e^-6.4.
func TestSharedCustomersOfLargeShards(t *testing.T) {
	var evs []journey.Event
	for c := range 3800 {
		evs = append(evs, journey.Event{Customer: fmt.Sprintf("cust-%05d", c), Time: t0.Add(time.Duration(c) * time.Second), Step: "visit"})
	}
	l, err := journey.NewLog(evs)
	if err != nil {
		t.Fatal(err)
	}
	// a: customers 0–1999; b: 1800–3799, so 200 in both.
	a, _ := paths.CountVariants(l.FilterCustomers(func(c string) bool { return c < "cust-02000" }), paths.Options{})
	b, _ := paths.CountVariants(l.FilterCustomers(func(c string) bool { return c >= "cust-01800" }), paths.Options{})
	wiretest.Refused(t, "large shards sharing 10 %", a, b, paths.ErrSharedCustomers)
	// Disjoint halves merge.
	c, _ := paths.CountVariants(l.FilterCustomers(func(c string) bool { return c >= "cust-02000" }), paths.Options{})
	if err := a.Merge(c); err != nil {
		t.Fatalf("disjoint shards: %v", err)
	}
	if got := a.List(); len(got) != 1 || got[0].Customers != 3800 {
		t.Fatalf("merged %+v, want 3800 customers on (visit)", got)
	}
}

func seeds(f *testing.F, enc func(c counted) []byte) {
	r := rand.New(rand.NewPCG(7, 7))
	f.Add(enc(countAll(f, shopLog(f), paths.Options{})))
	for range 4 {
		f.Add(enc(countAll(f, randomLog(f, r), paths.Options{By: journey.ByChannel})))
	}
	f.Add([]byte{})
	f.Add([]byte("pc"))
}

func FuzzUnmarshalVariants(f *testing.F) {
	seeds(f, func(c counted) []byte { b, _ := c.v.MarshalBinary(); return b })
	f.Fuzz(wiretest.Fuzz[paths.Variants])
}

func FuzzUnmarshalGoalVariants(f *testing.F) {
	seeds(f, func(c counted) []byte { b, _ := c.g.MarshalBinary(); return b })
	f.Fuzz(wiretest.Fuzz[paths.GoalVariants])
}

func FuzzUnmarshalFollows(f *testing.F) {
	seeds(f, func(c counted) []byte { b, _ := c.f.MarshalBinary(); return b })
	f.Fuzz(wiretest.Fuzz[paths.Follows])
}

func FuzzUnmarshalLoops(f *testing.F) {
	seeds(f, func(c counted) []byte { b, _ := c.lc.MarshalBinary(); return b })
	f.Fuzz(wiretest.Fuzz[paths.Loops])
}

func FuzzUnmarshalFlows(f *testing.F) {
	seeds(f, func(c counted) []byte { b, _ := c.fl.MarshalBinary(); return b })
	f.Fuzz(wiretest.Fuzz[paths.Flows])
}
