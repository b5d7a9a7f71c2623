package journey

import (
	"errors"
	"fmt"
	"maps"
	"math"
	"regexp"
	"slices"
)

// CleanOptions say how Clean tidies paths. The zero value changes nothing.
//
// Each name is first renamed, by Rename or else by the first of Patterns
// that matches it; then events whose new name is in Drop are removed; then
// Collapse merges runs of equal names. Renaming looks at the original
// name only: renames do not chain.
type CleanOptions struct {
	// By says what is cleaned: steps (the zero value), channels or
	// touchpoints. Events with no channel (touchpoint) are never renamed,
	// dropped or collapsed, and do not break a run of equal channels
	// (touchpoints), just as paths read by channel leave them out.
	By By
	// Rename maps names to new names, exactly. Several names may map to
	// one. A step may not be renamed to the empty string.
	Rename map[string]string
	// Patterns rename the names that Rename does not list: the first
	// pattern whose regular expression matches the whole name gives its
	// new name.
	Patterns []RenamePattern
	// Drop lists names, as renamed, whose events are removed. A customer
	// left with no event leaves the log.
	Drop []string
	// Collapse keeps only the first event of each run of consecutive
	// events with the same name, as renamed, once dropped events are
	// gone: a, a, b, a gives a, b, a. The kept event keeps its own time,
	// value and properties.
	Collapse bool
	// Keep, if set, protects events from Drop and Collapse: an event that
	// either would remove stays if Keep returns true for it (it is still
	// renamed). Protect goal events this way, since collapsing channels
	// would otherwise remove a purchase made on the channel of the event
	// before it. Keep sees the event as it is in the log being cleaned; it
	// is called only on events that would be removed, in log order.
	Keep func(Event) bool
}

// RenamePattern renames every name that Pattern matches to To.
type RenamePattern struct {
	// Pattern is a regular expression in the syntax of package regexp
	// (RE2), matched against the whole name: "checkout-.*" matches
	// "checkout-card" but not "pre-checkout-card".
	Pattern string
	To      string
}

// Clean returns a log whose paths are tidied as opt says: steps (channels,
// touchpoints) renamed by name or pattern, some dropped, consecutive
// repeats collapsed. Every analysis then reads the cleaned paths.
//
// Clean returns an error, joining every problem, for a pattern that does
// not compile or a step renamed to the empty string. It calls the
// patterns once per distinct name, not once per event, and takes O(n + k·p)
// time for n events, k names and p patterns. The cleaned log shares l's
// other names and, when no event is removed, every column but the one
// renamed; removing events copies 20 bytes per kept event.
func (l *Log) Clean(opt CleanOptions) (*Log, error) {
	by := opt.By
	by.valid()
	var errs []error
	res := make([]*regexp.Regexp, len(opt.Patterns))
	for i, p := range opt.Patterns {
		// Compiled alone first, so that an error quotes the pattern given.
		_, err := regexp.Compile(p.Pattern)
		if err == nil {
			res[i], err = regexp.Compile(`^(?:` + p.Pattern + `)$`)
		}
		if err != nil {
			errs = append(errs, fmt.Errorf("journey: clean: patterns[%d] %q: %w", i, p.Pattern, err))
		}
		if by == ByStep && p.To == "" {
			errs = append(errs, fmt.Errorf("journey: clean: patterns[%d] %q: renames steps to the empty string", i, p.Pattern))
		}
	}
	if by == ByStep {
		for _, from := range slices.Sorted(maps.Keys(opt.Rename)) {
			if opt.Rename[from] == "" {
				errs = append(errs, fmt.Errorf("journey: clean: rename %q: renames a step to the empty string", from))
			}
		}
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}

	// New names, once per distinct name.
	d := l.dicts[by]
	skip, hasSkip := l.emptyID(by)
	renamed := false
	newID := make([]uint32, len(d.names))
	nd := d
	if len(opt.Rename) > 0 || len(opt.Patterns) > 0 {
		nd = newDict()
		for id, s := range d.names {
			to := s
			if hasSkip && uint32(id) == skip {
				// no channel (touchpoint): left alone
			} else if r, ok := opt.Rename[s]; ok {
				to = r
			} else {
				for i, re := range res {
					if re.MatchString(s) {
						to = opt.Patterns[i].To
						break
					}
				}
			}
			renamed = renamed || to != s
			newID[id] = nd.id(to)
		}
		if !renamed {
			nd = d
		}
	}
	if !renamed {
		for id := range newID {
			newID[id] = uint32(id)
		}
	}
	dropped := make([]bool, len(nd.names))
	anyDrop := false
	for _, s := range opt.Drop {
		if id, ok := nd.lookup(s); ok && !(hasSkip && s == "") {
			dropped[id], anyDrop = true, true
		}
	}

	// Which events stay.
	syms := l.syms[by]
	var keep []uint64
	removed := 0
	if anyDrop || opt.Collapse {
		keep = make([]uint64, (len(syms)+63)/64)
		var r eventReader
		for c := range l.customers {
			lo, hi := l.Span(c)
			prev := uint32(math.MaxUint32) // no name yet
			reading := false
			for i := lo; i < hi; i++ {
				s := syms[i]
				if !(hasSkip && s == skip) {
					ns := newID[s]
					if dropped[ns] || opt.Collapse && ns == prev {
						if opt.Keep == nil {
							removed++
							continue
						}
						if !reading {
							r.reset(l, c, lo)
							reading = true
						}
						if !r.test(opt.Keep, i) {
							removed++
							continue
						}
					}
					prev = ns
				}
				keep[i/64] |= 1 << (i % 64)
			}
		}
	}

	var out *Log
	if removed > 0 {
		out = l.keepEvents(keep, len(syms)-removed)
	} else {
		cp := *l
		out = &cp
	}
	if renamed {
		out.dicts[by] = nd
		src := out.syms[by]
		if removed == 0 {
			out.syms[by] = make([]uint32, len(src)) // src is l's: do not write it
		}
		for i, s := range src {
			out.syms[by][i] = newID[s]
		}
	}
	return out, nil
}
