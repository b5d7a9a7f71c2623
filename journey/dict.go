package journey

// dict interns strings to dense ids 0, 1, 2 … in order of first sight. A
// dict is shared, read-only, by every log derived from the one that built it.
type dict struct {
	names []string
	ids   map[string]uint32
}

func newDict() *dict { return &dict{ids: make(map[string]uint32)} }

// id returns the id of s, adding it if new.
func (d *dict) id(s string) uint32 {
	if id, ok := d.ids[s]; ok {
		return id
	}
	id := uint32(len(d.names))
	d.names = append(d.names, s)
	d.ids[s] = id
	return id
}

// idBytes is id for a byte slice; it allocates only for a new string.
func (d *dict) idBytes(b []byte) uint32 {
	if id, ok := d.ids[string(b)]; ok {
		return id
	}
	return d.id(string(b))
}

func (d *dict) lookup(s string) (uint32, bool) {
	id, ok := d.ids[s]
	return id, ok
}

// internCache remembers recent strings of one column and their ids, in a
// small table indexed by a cheap hash of the length and a few bytes. Event
// data repeats a handful of steps and channels (and a customer's id over
// its events), so nearly every lookup is answered here with one comparison
// instead of a map lookup; when the strings share memory the comparison is
// a pointer check. The cached strings are the dictionary's own, so a
// reader's reused byte buffer can be looked up without allocating.
type internCache [64]cacheSlot

type cacheSlot struct {
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

// id returns the id of s in d, adding it if new.
func (c *internCache) id(d *dict, s string) uint32 {
	var e *cacheSlot
	if n := len(s); n > 0 {
		e = &c[cacheIndex(n, s[0], s[n/2], s[n-1])]
	} else {
		e = &c[0]
	}
	if e.ok && e.s == s {
		return e.id
	}
	id := d.id(s)
	*e = cacheSlot{d.names[id], id, true}
	return id
}

// idBytes is id for a byte slice; it allocates only for a new string.
func (c *internCache) idBytes(d *dict, b []byte) uint32 {
	var e *cacheSlot
	if n := len(b); n > 0 {
		e = &c[cacheIndex(n, b[0], b[n/2], b[n-1])]
	} else {
		e = &c[0]
	}
	if e.ok && e.s == string(b) {
		return e.id
	}
	id := d.idBytes(b)
	*e = cacheSlot{d.names[id], id, true}
	return id
}
