// Package routes interns routes — sequences of small integer symbol ids —
// to dense indexes 0, 1, 2 …, storing all routes in one arena. It is the
// counting core of path variants and attribution tables: millions of
// routes cost a few bytes each beyond their ids, and looking up a known
// route allocates nothing.
package routes

import (
	"hash/maphash"
	"math/bits"
)

// Table is a set of routes with dense indexes, in order of insertion.
// The zero value is not usable; call New. A Table is not safe for
// concurrent use.
type Table struct {
	seed  uint64
	data  []uint32 // route k is data[start[k]:start[k+1]]
	start []uint32
	hash  []uint64 // hash of route k
	slots []uint32 // open addressing: 0 = empty, else route index + 1
	mask  uint64
}

// New returns an empty table whose hash function is keyed by seed. Tables
// that exchange routes by hash (Hash, InternHash) must share a seed.
func New(seed uint64) *Table {
	return &Table{seed: seed, start: []uint32{0}, slots: make([]uint32, 16), mask: 15}
}

// RandomSeed returns an unpredictable seed, so that routes crafted to
// collide cannot slow a table down.
func RandomSeed() uint64 {
	return maphash.Comparable(maphash.MakeSeed(), 0)
}

// Seed returns the table's seed.
func (t *Table) Seed() uint64 { return t.seed }

// Hash returns the hash of route under seed.
func Hash(seed uint64, route []uint32) uint64 {
	h := seed ^ uint64(len(route))*0x9e3779b97f4a7c15
	for _, x := range route {
		h = bits.RotateLeft64((h^uint64(x))*0xff51afd7ed558ccd, 29) * 0xc4ceb9fe1a85ec53
	}
	h ^= h >> 33
	h *= 0xff51afd7ed558ccd
	h ^= h >> 33
	return h
}

// Len returns the number of routes.
func (t *Table) Len() int { return len(t.start) - 1 }

// Route returns route k. The slice aliases the table: do not modify it.
func (t *Table) Route(k int) []uint32 { return t.data[t.start[k]:t.start[k+1]:t.start[k+1]] }

// HashOf returns the hash of route k.
func (t *Table) HashOf(k int) uint64 { return t.hash[k] }

// Intern returns the index of route, adding it if new.
func (t *Table) Intern(route []uint32) (k int, added bool) {
	return t.InternHash(route, Hash(t.seed, route))
}

// InternHash is Intern for a route whose hash h (by Hash, with the table's
// seed) is known.
func (t *Table) InternHash(route []uint32, h uint64) (k int, added bool) {
	i := h & t.mask
	for {
		s := t.slots[i]
		if s == 0 {
			break
		}
		k := int(s - 1)
		if t.hash[k] == h && equal(t.Route(k), route) {
			return k, false
		}
		i = (i + 1) & t.mask
	}
	k = t.Len()
	t.data = append(t.data, route...)
	t.start = append(t.start, uint32(len(t.data)))
	t.hash = append(t.hash, h)
	t.slots[i] = uint32(k + 1)
	if uint64(t.Len())*2 > t.mask+1 {
		t.grow()
	}
	return k, true
}

// Find returns the index of route, if the table has it.
func (t *Table) Find(route []uint32) (int, bool) {
	h := Hash(t.seed, route)
	for i := h & t.mask; ; i = (i + 1) & t.mask {
		s := t.slots[i]
		if s == 0 {
			return 0, false
		}
		if k := int(s - 1); t.hash[k] == h && equal(t.Route(k), route) {
			return k, true
		}
	}
}

func (t *Table) grow() {
	n := (t.mask + 1) * 2
	slots := make([]uint32, n)
	mask := n - 1
	for k, h := range t.hash {
		i := h & mask
		for slots[i] != 0 {
			i = (i + 1) & mask
		}
		slots[i] = uint32(k + 1)
	}
	t.slots, t.mask = slots, mask
}

// Size returns the total number of ids in all routes.
func (t *Table) Size() int { return len(t.data) }

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
