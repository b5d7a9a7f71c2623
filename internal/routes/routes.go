// Package routes interns routes — sequences of small integer symbol ids —
// to dense indexes 0, 1, 2 …, storing all routes in one arena. It is the
// counting core of path variants and attribution tables: millions of
// routes cost a few bytes each beyond their ids, and looking up a known
// route allocates nothing.
package routes

import "hash/maphash"

// Table is a set of routes with dense indexes, in order of insertion.
//
// Its open-addressing slots hold the low 32 bits of each route's hash (its
// fingerprint) beside the route's index, so a probe that misses reads one
// slot and no route. A route's home slot is its fingerprint masked to the
// table's size, so growing moves slots without reading or rehashing a
// single route. The high bits of the hash are free for callers that split
// routes between tables (see Hash).
//
// The zero value is not usable; call New. A Table is not safe for
// concurrent use.
type Table struct {
	seed  uint64
	slots []uint64 // 0 = empty, else fingerprint<<32 | (index+1)
	mask  uint64
	data  []uint32 // route k is data[start[k]:start[k+1]]
	start []uint32
}

// New returns an empty table whose hash function is keyed by seed, with
// room for about routes routes holding ids ids in all before it grows
// (hints: 0 is fine). Tables that exchange routes by hash (Hash,
// InternHash) must share a seed.
func New(seed uint64, routes, ids int) *Table {
	routes, ids = max(routes, 0), max(ids, 0)
	n := uint64(16)
	for n < uint64(routes)*2 {
		n *= 2
	}
	return &Table{seed: seed, slots: make([]uint64, n), mask: n - 1,
		start: make([]uint32, 1, routes+1), data: make([]uint32, 0, ids)}
}

// Peek reads the slot where a route of hash h starts probing. Calling it
// for a batch of routes before interning them lets the batch's cache
// misses overlap; the result means nothing and may be discarded.
func (t *Table) Peek(h uint64) uint64 { return t.slots[home(h)&t.mask] }

// home is the fingerprint of hash h, which also places it: masked to a
// table's size, its home slot.
func home(h uint64) uint64 { return h & (1<<32 - 1) }

// RandomSeed returns an unpredictable seed, so that routes crafted to
// collide cannot slow a table down.
func RandomSeed() uint64 {
	return maphash.Comparable(maphash.MakeSeed(), 0)
}

// Seed returns the table's seed.
func (t *Table) Seed() uint64 { return t.seed }

// Hash returns the hash of route under seed: a multiply-xor over pairs of
// ids, the length mixed in, then a finaliser that spreads every bit.
func Hash(seed uint64, route []uint32) uint64 {
	h := seed ^ uint64(len(route))*0x9e3779b97f4a7c15
	i := 0
	for ; i+1 < len(route); i += 2 {
		h = (h ^ (uint64(route[i]) | uint64(route[i+1])<<32)) * 0xff51afd7ed558ccd
		h ^= h >> 29
	}
	if i < len(route) {
		h = (h ^ uint64(route[i]) ^ 1<<63) * 0xff51afd7ed558ccd
	}
	h ^= h >> 33
	h *= 0xc4ceb9fe1a85ec53
	h ^= h >> 33
	return h
}

// Len returns the number of routes.
func (t *Table) Len() int { return len(t.start) - 1 }

// Size returns the total number of ids in all routes.
func (t *Table) Size() int { return len(t.data) }

// Route returns route k. The slice aliases the table: do not modify it.
func (t *Table) Route(k int) []uint32 { return t.data[t.start[k]:t.start[k+1]:t.start[k+1]] }

// Intern returns the index of route, adding it if new.
func (t *Table) Intern(route []uint32) (k int, added bool) {
	return t.InternHash(route, Hash(t.seed, route))
}

// InternHash is Intern for a route whose hash h (by Hash, with the table's
// seed) is known.
func (t *Table) InternHash(route []uint32, h uint64) (k int, added bool) {
	fp := home(h)
	i := fp & t.mask
	for {
		s := t.slots[i]
		if s == 0 {
			break
		}
		if s>>32 == fp {
			if k := int(uint32(s)) - 1; equal(t.Route(k), route) {
				return k, false
			}
		}
		i = (i + 1) & t.mask
	}
	k = t.Len()
	t.data = append(t.data, route...)
	t.start = append(t.start, uint32(len(t.data)))
	t.slots[i] = fp<<32 | uint64(k+1)
	if uint64(k+1)*2 > t.mask+1 {
		t.grow()
	}
	return k, true
}

// Find returns the index of route, if the table has it.
func (t *Table) Find(route []uint32) (int, bool) {
	fp := home(Hash(t.seed, route))
	for i := fp & t.mask; ; i = (i + 1) & t.mask {
		s := t.slots[i]
		if s == 0 {
			return 0, false
		}
		if s>>32 == fp {
			if k := int(uint32(s)) - 1; equal(t.Route(k), route) {
				return k, true
			}
		}
	}
}

// grow doubles the slots. Each slot's fingerprint gives its new home, so
// no route is read.
func (t *Table) grow() {
	n := (t.mask + 1) * 2
	slots := make([]uint64, n)
	mask := n - 1
	for _, s := range t.slots {
		if s == 0 {
			continue
		}
		i := (s >> 32) & mask
		for slots[i] != 0 {
			i = (i + 1) & mask
		}
		slots[i] = s
	}
	t.slots, t.mask = slots, mask
}

func equal(a, b []uint32) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
