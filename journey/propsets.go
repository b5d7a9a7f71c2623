package journey

import (
	"encoding/binary"
	"slices"
)

// propSets interns the sets of properties of a LogBuilder's events: each
// distinct set is kept once, as its key and value ids, and an event holds
// its set's id. Exports carry the same few properties on most events
// (converted=0, a device, a country), so that the sets are few and the
// gather that places the events reads them from the cache.
//
// The sets are looked up in a map up to maxPropSets of them; past that,
// a new set (one property unique to each event, such as an order id) is
// kept as it comes, the same set possibly twice, which costs its pairs
// again but no map of all of them.
//
// The zero propSets is empty and ready to use.
type propSets struct {
	kv      []uint32          // set s (from 1) is kv[end[s-1]:end[s]]
	end     []uint32          // where each set ends in kv, from end[0] = 0
	ids     map[string]uint32 // a set's ids, as bytes, to its id
	last    uint32            // the set of the last event that had one
	key     []byte            // scratch for a set's bytes
	events  int               // the events added with a set
	idCount int               // their key and value ids, in all
}

// maxPropSets is the number of distinct sets a propSets looks up.
const maxPropSets = 1 << 16

// id returns the id of the set of pairs kv, key and value ids alternating,
// adding it if new, and counts one event of it.
func (p *propSets) id(kv []uint32) uint32 {
	p.events++
	p.idCount += len(kv)
	if p.last != 0 && slices.Equal(p.pairs(p.last), kv) {
		return p.last
	}
	p.key = p.key[:0]
	for _, x := range kv {
		p.key = binary.LittleEndian.AppendUint32(p.key, x)
	}
	if id, ok := p.ids[string(p.key)]; ok {
		p.last = id
		return id
	}
	if p.end == nil {
		p.end = []uint32{0}
		p.ids = make(map[string]uint32)
	}
	p.kv = append(p.kv, kv...)
	p.end = append(p.end, uint32(len(p.kv)))
	id := uint32(len(p.end) - 1)
	if len(p.ids) < maxPropSets {
		p.ids[string(p.key)] = id
	}
	p.last = id
	return id
}

// pairs returns the pairs of set id.
func (p *propSets) pairs(id uint32) []uint32 { return p.kv[p.end[id-1]:p.end[id]] }
