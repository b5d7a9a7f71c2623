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

// lastCache remembers the last string interned in one column, which for
// event data is very often the same as the next one (a customer's events
// come together; generated data reuses string values).
type lastCache struct {
	s   string
	sid uint32
	ok  bool
}

func (c *lastCache) id(d *dict, s string) uint32 {
	if c.ok && s == c.s {
		return c.sid
	}
	c.s, c.sid, c.ok = s, d.id(s), true
	return c.sid
}
