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

// lastCache remembers the last strings interned in one column, in 16
// slots chosen by a cheap hash of the string's length and a few bytes.
// Event data repeats a handful of steps and channels, so nearly every
// lookup is answered here without hashing the whole string; when the
// strings share memory (generated data, a reader's interned names) the
// comparison is a pointer check.
type lastCache struct {
	slots [16]cacheSlot
}

type cacheSlot struct {
	s   string
	sid uint32
	ok  bool
}

func (c *lastCache) id(d *dict, s string) uint32 {
	var h uint
	if n := len(s); n > 0 {
		h = uint(n) ^ uint(s[0])<<1 ^ uint(s[n/2])<<2 ^ uint(s[n-1])<<3
	}
	e := &c.slots[h&15]
	if e.ok && e.s == s {
		return e.sid
	}
	*e = cacheSlot{s, d.id(s), true}
	return e.sid
}
