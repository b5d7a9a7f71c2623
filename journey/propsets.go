package journey

import (
	"encoding/binary"
	"slices"
)

// pairSets are the distinct sets of properties of a log's events, each its
// key and value ids (in the log's props dict) alternating, keys in
// increasing order of their names. Sets are numbered from 1, so that 0
// can mean none. A log's sets do not change once it is built, and logs
// derived from it (Where, Split) share them.
type pairSets struct {
	kv  []uint32 // set s is kv[end[s-1]:end[s]]
	end []uint32 // from end[0] = 0, once there is a set
}

// pairs returns the pairs of set s.
func (p *pairSets) pairs(s uint32) []uint32 { return p.kv[p.end[s-1]:p.end[s]] }

// propSets interns the sets of properties of the events of a log being
// built: each distinct set is kept once and an event holds its set's id.
// Exports carry the same few properties on most events (converted=0, a
// device, a country), so that the sets are few, and the passes that place
// the events read them from the cache.
//
// The sets are looked up in a map up to maxPropSets of them; past that, a
// new set (one property unique to each event, such as an order id) is
// kept as it comes, the same set possibly twice, which costs its pairs
// again but no map of all of them.
//
// The zero propSets is empty and ready to use.
type propSets struct {
	pairSets
	ids     map[string]uint32 // a set's ids, as bytes, to its id
	last    uint32            // the set of the last event that had one
	key     []byte            // scratch for a set's bytes
	scratch []uint32          // scratch for the pairs of an event being added
	events  int               // the events added with a set
}

// maxPropSets is the number of distinct sets a propSets looks up.
const maxPropSets = 1 << 16

// id returns the id of the set of pairs kv, key and value ids alternating,
// adding it if new, and counts one event of it.
func (p *propSets) id(kv []uint32) uint32 {
	p.events++
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

// idOf returns the id of the set of props, interning its names in d.
func (p *propSets) idOf(d *dict, props map[string]string) uint32 {
	p.scratch = appendProps(p.scratch[:0], d, props)
	return p.id(p.scratch)
}

// done returns the sets, their slices clipped so that no log built on
// them appends into another's.
func (p *propSets) done() pairSets {
	return pairSets{slices.Clip(p.kv), slices.Clip(p.end)}
}
