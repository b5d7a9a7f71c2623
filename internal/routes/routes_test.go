package routes

import (
	"math/rand/v2"
	"slices"
	"testing"
)

func TestTableAgreesWithAMap(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 1))
	tab := New(RandomSeed(), 0, 0)
	ref := map[string]int{}
	key := func(route []uint32) string {
		b := make([]byte, 0, 4*len(route))
		for _, x := range route {
			b = append(b, byte(x), byte(x>>8), byte(x>>16), byte(x>>24))
		}
		return string(b)
	}
	for range 20000 {
		route := make([]uint32, r.IntN(6))
		for i := range route {
			route[i] = uint32(r.IntN(4))
		}
		k, added := tab.Intern(route)
		want, seen := ref[key(route)]
		if seen == added {
			t.Fatalf("route %v: added=%v, but seen before=%v", route, added, seen)
		}
		if !seen {
			want = len(ref)
			ref[key(route)] = want
		}
		if k != want {
			t.Fatalf("route %v: index %d, want %d", route, k, want)
		}
		if !slices.Equal(tab.Route(k), route) {
			t.Fatalf("Route(%d) = %v, want %v", k, tab.Route(k), route)
		}
		if f, ok := tab.Find(route); !ok || f != k {
			t.Fatalf("Find(%v) = %d, %v", route, f, ok)
		}
	}
	if tab.Len() != len(ref) {
		t.Fatalf("Len = %d, want %d", tab.Len(), len(ref))
	}
	if _, ok := tab.Find([]uint32{9, 9, 9}); ok {
		t.Error("found a route never added")
	}
	// The empty route is a route like any other.
	k, _ := tab.Intern(nil)
	if len(tab.Route(k)) != 0 {
		t.Error("empty route")
	}
	// Appending to a returned route must not overwrite the next one.
	r0 := tab.Route(0)
	next := slices.Clone(tab.Route(1))
	_ = append(r0, 77)
	if !slices.Equal(tab.Route(1), next) {
		t.Error("Route must be capped at its length")
	}
}

func TestHashDependsOnOrderAndLength(t *testing.T) {
	s := uint64(42)
	if Hash(s, []uint32{1, 2}) == Hash(s, []uint32{2, 1}) {
		t.Error("order must matter")
	}
	if Hash(s, []uint32{0}) == Hash(s, []uint32{0, 0}) || Hash(s, nil) == Hash(s, []uint32{0}) {
		t.Error("length must matter")
	}
	if Hash(1, []uint32{5}) == Hash(2, []uint32{5}) {
		t.Error("seed must matter")
	}
}

func TestPresizedTableDoesNotGrow(t *testing.T) {
	tab := New(7, 1000, 2000)
	slots := len(tab.slots)
	for i := range 1000 {
		tab.Intern([]uint32{uint32(i), uint32(i * 7)})
	}
	if len(tab.slots) != slots || tab.Len() != 1000 || cap(tab.data) != 2000 {
		t.Errorf("a table sized for 1000 routes grew from %d to %d slots", slots, len(tab.slots))
	}
	tab.Intern([]uint32{5000})
	if tab.Len() != 1001 {
		t.Error("a full table must still take routes")
	}
	if k, ok := tab.Find([]uint32{7, 49}); !ok || k != 7 {
		t.Errorf("Find after growth: %d, %v", k, ok)
	}
}

// TestGrowKeepsEveryRoute grows a table from its smallest size through
// many doublings, which move slots by their fingerprints alone, and finds
// every route at its index afterwards, with the slots at most half full.
func TestGrowKeepsEveryRoute(t *testing.T) {
	r := rand.New(rand.NewPCG(2, 3))
	tab := New(RandomSeed(), 0, 0)
	var all [][]uint32
	for len(all) < 50000 {
		route := make([]uint32, 1+r.IntN(8))
		for i := range route {
			route[i] = uint32(r.IntN(1000))
		}
		if _, added := tab.Intern(route); added {
			all = append(all, route)
		}
	}
	if len(tab.slots) < 2*len(all) || len(tab.slots) > 4*len(all) {
		t.Errorf("%d slots for %d routes", len(tab.slots), len(all))
	}
	for k, route := range all {
		if f, ok := tab.Find(route); !ok || f != k {
			t.Fatalf("route %d: Find = %d, %v", k, f, ok)
		}
		if got, added := tab.Intern(route); added || got != k {
			t.Fatalf("route %d: Intern again = %d, added %v", k, got, added)
		}
	}
}
