// Package names maps names to dense ids for mergeable aggregates. A Table
// borrows a log's names (read-only, no copy) until a name the log does not
// have must be added; then it copies them and indexes them.
package names

import (
	"slices"
	"strings"
)

// Table maps names to dense ids. The zero value is an empty table ready to
// use. A Table is not safe for concurrent use.
type Table struct {
	Names []string          // the name of each id
	ids   map[string]uint32 // nil while Names is borrowed
}

// Borrow returns a table over names without copying them; names must not
// change while the table borrows them. Where a name repeats, the first id wins.
func Borrow(names []string) Table { return Table{Names: names} }

// Own makes t's names its own, so that new names can be added.
func (t *Table) Own() {
	if t.ids != nil {
		return
	}
	t.Names = slices.Clone(t.Names)
	t.ids = make(map[string]uint32, len(t.Names))
	for id, s := range t.Names {
		if _, dup := t.ids[s]; !dup {
			t.ids[s] = uint32(id)
		}
	}
}

// ID returns the id of s, adding it if new.
func (t *Table) ID(s string) uint32 {
	t.Own()
	if id, ok := t.ids[s]; ok {
		return id
	}
	id := uint32(len(t.Names))
	t.Names = append(t.Names, s)
	t.ids[s] = id
	return id
}

// Lookup returns the id of s, if t has it.
func (t *Table) Lookup(s string) (uint32, bool) {
	if t.ids == nil {
		t.Own()
	}
	id, ok := t.ids[s]
	return id, ok
}

// IDBytes is ID for a byte slice; it allocates only for a new name.
func (t *Table) IDBytes(b []byte) uint32 {
	t.Own()
	if id, ok := t.ids[string(b)]; ok {
		return id
	}
	return t.ID(string(b))
}

// Name returns the name of id.
func (t *Table) Name(id uint32) string { return t.Names[id] }

// AppendRoute appends the names of a route of ids to arena and returns
// the grown arena and the route's names, which alias it; the route is
// capped at its length, so that appending to it cannot overwrite the
// next one. Results that hold many routes share one arena this way.
func (t *Table) AppendRoute(arena []string, route []uint32) (grown, names []string) {
	lo := len(arena)
	for _, id := range route {
		arena = append(arena, t.Names[id])
	}
	return arena, arena[lo:len(arena):len(arena)]
}

// Adopt borrows o's names if t has none yet (copying them if o owns its own).
func (t *Table) Adopt(o *Table) {
	if len(t.Names) == 0 && t.ids == nil {
		t.Names = o.Names
		if o.ids != nil {
			t.Own()
		}
	}
}

// Translate returns, for each of o's ids, the id of the same name in t
// (adding names t lacks), or nil when both share the same names.
func (t *Table) Translate(o *Table) []uint32 {
	if len(o.Names) == 0 || len(t.Names) >= len(o.Names) && &t.Names[0] == &o.Names[0] {
		return nil
	}
	trans := make([]uint32, len(o.Names))
	for id, s := range o.Names {
		trans[id] = t.ID(s)
	}
	return trans
}

// Ranks returns, for each id, the rank of its name in byte-wise order, so
// that ids compare as their names do.
func (t *Table) Ranks() []uint32 {
	order := make([]uint32, len(t.Names))
	for i := range order {
		order[i] = uint32(i)
	}
	slices.SortFunc(order, func(a, b uint32) int { return strings.Compare(t.Names[a], t.Names[b]) })
	rank := make([]uint32, len(t.Names))
	for r, id := range order {
		rank[id] = uint32(r)
	}
	return rank
}

// CompareRoutes compares routes of ids element by element, as their names
// would compare with slices.Compare, given the ranks of Ranks.
func CompareRoutes(a, b []uint32, rank []uint32) int {
	for i := range min(len(a), len(b)) {
		if ra, rb := rank[a[i]], rank[b[i]]; ra != rb {
			if ra < rb {
				return -1
			}
			return 1
		}
	}
	return len(a) - len(b)
}

// Dict is what a Cache interns into: a name table such as Table.
type Dict interface {
	ID(s string) uint32
	IDBytes(b []byte) uint32
	Name(id uint32) string
}

// Cache remembers recent names of one column and their ids, in 64 slots
// chosen by a cheap hash of the length and a few bytes. Event data and
// route tables repeat a handful of names (and a customer's id over its
// events), so nearly every lookup is answered here with one comparison
// instead of a map lookup; when the strings share memory the comparison
// is a pointer check. The cached strings are the dictionary's own, so a
// reader's reused byte buffer can be looked up without allocating.
//
// The zero Cache is empty and ready to use. A Cache serves one Dict.
type Cache [64]slot

type slot struct {
	s  string
	id uint32
	ok bool
}

func cacheIndex(n int, first, mid, last byte) int {
	h := uint(n)
	if n > 0 {
		h = (h*31+uint(first))*31 + uint(mid)
		h = h*31 + uint(last)
	}
	return int(h % 64)
}

// ID returns the id of s in d, adding it if new.
func (c *Cache) ID(d Dict, s string) uint32 {
	e := &c[0]
	if n := len(s); n > 0 {
		e = &c[cacheIndex(n, s[0], s[n/2], s[n-1])]
	}
	if e.ok && e.s == s {
		return e.id
	}
	id := d.ID(s)
	*e = slot{d.Name(id), id, true}
	return id
}

// IDBytes is ID for a byte slice; it allocates only for a new name.
func (c *Cache) IDBytes(d Dict, b []byte) uint32 {
	e := &c[0]
	if n := len(b); n > 0 {
		e = &c[cacheIndex(n, b[0], b[n/2], b[n-1])]
	}
	if e.ok && e.s == string(b) {
		return e.id
	}
	id := d.IDBytes(b)
	*e = slot{d.Name(id), id, true}
	return id
}
