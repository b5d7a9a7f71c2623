package funnel

import (
	"math"
	"slices"
	"sort"

	"github.com/parcours-go/parcours/journey"
)

// This file is the reference the scan is tested against: the package
// documentation's definitions, written as directly as possible, by
// enumerating every chain. It is exponential and meant for small inputs.

type bfEvent struct {
	t     int64
	mask  []bool // stages reached
	xmask []bool // exclusions matched
}

// bfEntry is one (event, stage) pair, or a sentinel (stage -1) for an
// event that reaches no stage.
type bfEntry struct {
	t     int64
	stage int
	pos   int
}

type bfChain []bfEntry

// bfPrepare evaluates f's stages and exclusions on events, sorted by time
// (stably).
func bfPrepare(f Funnel, events []journey.Event) []bfEvent {
	events = slices.Clone(events)
	slices.SortStableFunc(events, func(a, b journey.Event) int { return a.Time.Compare(b.Time) })
	out := make([]bfEvent, len(events))
	for i, e := range events {
		out[i].t = e.Time.UnixNano()
		for _, s := range f.Stages {
			out[i].mask = append(out[i].mask, s.Match(e))
		}
		for _, x := range f.Exclusions {
			out[i].xmask = append(out[i].xmask, x.Stage.Match(e))
		}
	}
	return out
}

// bfEntries returns the entries sorted as ClickHouse sorts them: by time,
// then stage (sentinels first), then event.
func bfEntries(evs []bfEvent, sentinels bool) []bfEntry {
	var out []bfEntry
	for p, e := range evs {
		any := false
		for s, ok := range e.mask {
			if ok {
				out = append(out, bfEntry{e.t, s, p})
				any = true
			}
		}
		if !any && sentinels {
			out = append(out, bfEntry{e.t, -1, p})
		}
	}
	sort.SliceStable(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if a.t != b.t {
			return a.t < b.t
		}
		if a.stage != b.stage {
			return a.stage < b.stage
		}
		return a.pos < b.pos
	})
	return out
}

// bfChains returns every chain made of entries (a set, in sorted order)
// under f's rules, ignoring exclusions.
func bfChains(f Funnel, evs []bfEvent, entries []bfEntry) []bfChain {
	var out []bfChain
	var cur bfChain
	var walk func(from int)
	walk = func(from int) {
		out = append(out, slices.Clone(cur))
		last := cur[len(cur)-1]
		for i := from; i < len(entries); i++ {
			e := entries[i]
			if e.stage <= last.stage || !bfNext(f, last, e, evs, cur) {
				continue
			}
			cur = append(cur, e)
			walk(i + 1)
			cur = cur[:len(cur)-1]
		}
	}
	for i, e := range entries {
		if e.stage < 0 || !f.Open && e.stage != 0 {
			continue
		}
		cur = bfChain{e}
		walk(i + 1)
	}
	return out
}

// bfNext reports whether e may follow last in chain cur.
func bfNext(f Funnel, last, e bfEntry, evs []bfEvent, cur bfChain) bool {
	for k := last.stage + 1; k < e.stage; k++ {
		if !f.Stages[k].Optional {
			return false
		}
	}
	if e.t < last.t || f.StrictIncrease && e.t == last.t {
		return false
	}
	if f.StrictOnce {
		for _, c := range cur {
			if c.pos == e.pos {
				return false
			}
		}
	}
	if f.Window > 0 && e.t-cur[0].t > int64(f.Window) {
		return false
	}
	if w := f.Stages[e.stage].Within; w > 0 && e.t-last.t > int64(w) {
		return false
	}
	if f.Order == Consecutive {
		for _, x := range evs {
			if x.t > last.t && x.t < e.t {
				return false
			}
		}
	}
	return true
}

// bfLive reports whether an excluded event at time x counts: with no
// window, always; else if the latest event at or before x of the first
// stage (of any stage, in an unordered funnel) is at most a window before.
func bfLive(f Funnel, evs []bfEvent, x int64) bool {
	if f.Window == 0 {
		return true
	}
	for _, e := range evs {
		start := e.mask[0]
		if f.Order == Unordered {
			start = slices.Contains(e.mask, true)
		}
		if start && e.t <= x && x <= e.t+int64(f.Window) {
			return true
		}
	}
	return false
}

func bfLevel(chains []bfChain) int {
	best := 0
	for _, c := range chains {
		best = max(best, c[len(c)-1].stage+1)
	}
	return best
}

// bfValid reports whether chain c survives the exclusion events of evs
// before time limit (exclusive): an excluded event strictly after the
// chain's first event at a stage ≥ from and strictly before its first
// event at a stage ≥ to (or at any later time, if it has none) voids it.
func bfValid(f Funnel, c bfChain, evs []bfEvent, limit int64) bool {
	n := len(f.Stages)
	for xi, x := range f.Exclusions {
		from, to := x.span(n)
		open, close := int64(-1), int64(math.MaxInt64)
		hasOpen := false
		for _, e := range c {
			if e.stage >= from && !hasOpen {
				open, hasOpen = e.t, true
			}
			if e.stage >= to {
				close = e.t
				break
			}
		}
		if !hasOpen {
			continue
		}
		for _, ev := range evs {
			if ev.xmask[xi] && ev.t < limit && ev.t > open && ev.t < close && bfLive(f, evs, ev.t) {
				return false
			}
		}
	}
	return true
}

// bfResult is what the definitions say of one customer (ordered family).
type bfResult struct {
	evs    []bfEvent
	kept   []bfEntry // the entries before the stop
	limit  int64     // exclusion events at or after limit are ignored
	chains []bfChain // every chain of kept
	lall   int
	lvalid int
}

// bruteLevel is Level by the definitions.
func bruteLevel(f Funnel, events []journey.Event) int {
	evs := bfPrepare(f, events)
	if f.Order == Unordered {
		return bruteUnordered(f, evs)
	}
	r := bruteOrdered(f, evs)
	if len(f.Exclusions) > 0 && r.lvalid < r.lall {
		return -1
	}
	return r.lall
}

func bruteOrdered(f Funnel, evs []bfEvent) bfResult {
	all := bfEntries(evs, true)
	// Find the stop: the first sentinel or entry at which a mode stops.
	res := bfResult{evs: evs, limit: math.MaxInt64}
	seenStart := false
	endsAt := func(chains []bfChain, k int) bool {
		for _, c := range chains {
			if c[len(c)-1].stage == k {
				return true
			}
		}
		return false
	}
	for _, e := range all {
		if !f.Open {
			var chains []bfChain
			if f.StrictDedup || f.Order == Strict {
				chains = bfChains(f, evs, res.kept)
			}
			stopped := false
			switch {
			case e.stage < 0:
				stopped = f.Order == Strict && seenStart
			case e.stage == 0:
			case f.StrictDedup && endsAt(chains, e.stage):
				stopped = true
			case f.Order == Strict && seenStart:
				run := false
				for k := e.stage - 1; k >= 0; k-- {
					run = run || endsAt(chains, k)
					if !f.Stages[k].Optional {
						break
					}
				}
				if !run {
					if f.AllowReentry {
						continue
					}
					stopped = true
				}
			}
			if stopped {
				res.limit = e.t
				break
			}
		}
		if e.stage == 0 {
			seenStart = true
		}
		if e.stage >= 0 {
			res.kept = append(res.kept, e)
		}
	}
	res.chains = bfChains(f, evs, res.kept)
	res.lall = bfLevel(res.chains)
	for _, c := range res.chains {
		if bfValid(f, c, evs, res.limit) {
			res.lvalid = max(res.lvalid, c[len(c)-1].stage+1)
		}
	}
	return res
}

// bruteUnordered is the unordered level: the most stages covered by the
// events of one window [t0, t0+W], t0 the time of a stage's event; with
// StrictOnce each event covers one stage (the best assignment).
func bruteUnordered(f Funnel, evs []bfEvent) int {
	n := len(f.Stages)
	lall, lvalid := 0, 0
	for _, a := range evs {
		if !slices.Contains(a.mask, true) {
			continue
		}
		t0 := a.t
		var win []bfEvent
		for _, e := range evs {
			if e.t >= t0 && (f.Window == 0 || e.t-t0 <= int64(f.Window)) {
				win = append(win, e)
			}
		}
		lv := bfCover(f, win)
		lall = max(lall, lv)
		if len(f.Exclusions) == 0 {
			continue
		}
		// Completion time: the shortest prefix of the window covering all.
		tc := int64(-1)
		for i := range win {
			if bfCover(f, win[:i+1]) == n {
				tc = win[i].t
				break
			}
		}
		valid := true
		for _, e := range evs {
			if !slices.Contains(e.xmask, true) || e.t <= t0 || !bfLive(f, evs, e.t) {
				continue
			}
			if tc < 0 || e.t < tc {
				valid = false
			}
		}
		if valid {
			lvalid = max(lvalid, lv)
		}
	}
	if len(f.Exclusions) > 0 && lvalid < lall {
		return -1
	}
	return lall
}

// bfCover counts the stages the events cover, each event covering one
// stage under StrictOnce (by trying every assignment).
func bfCover(f Funnel, evs []bfEvent) int {
	n := len(f.Stages)
	if !f.StrictOnce {
		k := 0
		for s := range n {
			for _, e := range evs {
				if e.mask[s] {
					k++
					break
				}
			}
		}
		return k
	}
	best := 0
	used := make([]bool, n)
	var try func(i, k int)
	try = func(i, k int) {
		best = max(best, k)
		if i == len(evs) {
			return
		}
		try(i+1, k)
		for s := range n {
			if evs[i].mask[s] && !used[s] {
				used[s] = true
				try(i+1, k+1)
				used[s] = false
			}
		}
	}
	try(0, 0)
	return best
}
