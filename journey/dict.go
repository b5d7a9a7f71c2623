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

// ID, IDBytes and Name let a names.Cache intern into d.
func (d *dict) ID(s string) uint32      { return d.id(s) }
func (d *dict) IDBytes(b []byte) uint32 { return d.idBytes(b) }
func (d *dict) Name(id uint32) string   { return d.names[id] }

func (d *dict) lookup(s string) (uint32, bool) {
	id, ok := d.ids[s]
	return id, ok
}
