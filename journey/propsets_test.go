package journey

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
)

// TestPropSets checks the interning of property sets against a map of all
// sets, past the number it looks up.
func TestPropSets(t *testing.T) {
	r := rand.New(rand.NewPCG(15, 9))
	var p propSets
	first := map[string]uint32{} // each set's first id
	var seen [][]uint32
	for i := range 3 * maxPropSets {
		var kv []uint32
		if i%3 == 0 && len(seen) > 0 { // a set seen before
			kv = seen[r.IntN(len(seen))]
		} else {
			kv = []uint32{uint32(r.IntN(4)), uint32(i), 7, uint32(r.IntN(2))}
			if r.IntN(2) == 0 {
				kv = kv[:2]
			}
		}
		id := p.id(kv)
		if got := p.pairs(id); !slices.Equal(got, kv) {
			t.Fatalf("event %d: set %d holds %v, want %v", i, id, got, kv)
		}
		key := fmt.Sprint(kv)
		if f, ok := first[key]; ok && int(f) <= maxPropSets && f != id {
			t.Fatalf("event %d: set %v, looked up, got id %d, first %d", i, kv, id, f)
		}
		if _, ok := first[key]; !ok {
			first[key] = id
			seen = append(seen, kv)
		}
	}
	if len(p.ids) != maxPropSets {
		t.Errorf("the map holds %d sets, want %d", len(p.ids), maxPropSets)
	}
	if p.events != 3*maxPropSets {
		t.Errorf("%d events counted, want %d", p.events, 3*maxPropSets)
	}
	if want := len(first); len(p.end)-1 < want {
		t.Errorf("%d sets kept, fewer than the %d distinct", len(p.end)-1, want)
	}
}

// TestBuildManyPropSets builds logs whose events carry more distinct sets
// of properties than a builder looks up, and checks them against the log
// built the obvious way.
func TestBuildManyPropSets(t *testing.T) {
	r := rand.New(rand.NewPCG(15, 10))
	for _, order := range buildOrders {
		evs := orderedEvents(r, 2*maxPropSets, 5000, order)
		for i := range evs {
			if r.IntN(5) != 0 {
				evs[i].Props = map[string]string{"order": fmt.Sprint("o", i), "device": "app"}
			}
		}
		checkRef(t, order, buildRef(evs), builderLog(t, evs))
	}
}
