package journey

import "github.com/parcours-go/parcours/internal/logcols"

// Packages of the module that fill a log's columns themselves (the
// simulation) build it through internal/logcols, which checks the
// columns; the log adopts their slices.
func init() {
	logcols.Build = func(c *logcols.Log) any {
		l := &Log{
			customers: c.Customers,
			offsets:   c.Offsets,
			times:     c.Times,
			syms:      c.Syms,
			valIdx:    c.ValIdx,
			vals:      c.Vals,
			propIdx:   c.PropIdx,
			propSet:   c.PropSet,
			sets:      pairSets{c.SetKV, c.SetEnd},
			props:     dictOf(c.PropNames),
		}
		for by := range l.dicts {
			l.dicts[by] = dictOf(c.Names[by])
		}
		return l
	}
}

// dictOf returns the dict of distinct names, ids in their order.
func dictOf(names []string) *dict {
	d := &dict{names: names, ids: make(map[string]uint32, len(names))}
	for i, s := range names {
		d.ids[s] = uint32(i)
	}
	return d
}
