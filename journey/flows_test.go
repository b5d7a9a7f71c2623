package journey

import (
	"cmp"
	"encoding/json"
	"errors"
	"slices"
	"strings"
	"testing"

	gocmp "github.com/google/go-cmp/cmp"
	"github.com/parcours-go/parcours/internal/pathcount"
	"github.com/parcours-go/parcours/touchpoint"
)

func TestFlowsByHand(t *testing.T) {
	l := pathsShopLog(t)
	name := func(level int, n string, count int) FlowNode { return FlowNode{Level: level, Name: n, Count: count} }
	end := func(level, count int) FlowNode {
		return FlowNode{Level: level, Name: "(end)", Kind: FlowEnd, Count: count}
	}
	start := func(level, count int) FlowNode {
		return FlowNode{Level: level, Name: "(start)", Kind: FlowStart, Count: count}
	}
	other := func(level, count int) FlowNode {
		return FlowNode{Level: level, Name: "(other)", Kind: FlowOther, Count: count}
	}
	tests := []struct {
		name   string
		reason string
		opt    FlowOptions
		want   Flow
	}{
		{
			name: "after visit",
			reason: "ann, bob, dan and eve have a visit (ann's first one is the anchor); dan and eve have nothing after it " +
				"and stay at (end); ann goes search, visit, cart and bob cart, cart, help",
			opt: FlowOptions{Anchor: "visit", Depth: 3, Top: -1},
			want: Flow{
				Customers: 4,
				Nodes: []FlowNode{
					name(0, "visit", 4),
					name(1, "cart", 1), name(1, "search", 1), end(1, 2),
					name(2, "cart", 1), name(2, "visit", 1), end(2, 2),
					name(3, "cart", 1), name(3, "help", 1), end(3, 2),
				},
				Links: []FlowLink{
					{Source: 0, Target: 1, Count: 1}, {Source: 0, Target: 2, Count: 1}, {Source: 0, Target: 3, Count: 2},
					{Source: 1, Target: 4, Count: 1}, {Source: 2, Target: 5, Count: 1}, {Source: 3, Target: 6, Count: 2},
					{Source: 4, Target: 8, Count: 1}, {Source: 5, Target: 7, Count: 1}, {Source: 6, Target: 9, Count: 2},
				},
			},
		},
		{
			name: "after visit, top 1",
			reason: "one name per level: cart wins every tie by name; search, visit and help fold into (other), " +
				"and the links follow the folded nodes",
			opt: FlowOptions{Anchor: "visit", Depth: 3, Top: 1},
			want: Flow{
				Customers: 4,
				Nodes: []FlowNode{
					name(0, "visit", 4),
					name(1, "cart", 1), other(1, 1), end(1, 2),
					name(2, "cart", 1), other(2, 1), end(2, 2),
					name(3, "cart", 1), other(3, 1), end(3, 2),
				},
				Links: []FlowLink{
					{Source: 0, Target: 1, Count: 1}, {Source: 0, Target: 2, Count: 1}, {Source: 0, Target: 3, Count: 2},
					{Source: 1, Target: 4, Count: 1}, {Source: 2, Target: 5, Count: 1}, {Source: 3, Target: 6, Count: 2},
					{Source: 4, Target: 8, Count: 1}, {Source: 5, Target: 7, Count: 1}, {Source: 6, Target: 9, Count: 2},
				},
			},
		},
		{
			name: "before buy",
			reason: "ann, cid, eve and fay buy; eve's buy is her first event, so she comes from (start); " +
				"only ann has two events before her buy, so level -2 is the last",
			opt: FlowOptions{Anchor: "buy", Backward: true, Depth: 2, Top: -1},
			want: Flow{
				Customers: 4,
				Nodes: []FlowNode{
					name(-2, "visit", 1), start(-2, 3),
					name(-1, "search", 2), name(-1, "cart", 1), start(-1, 1),
					name(0, "buy", 4),
				},
				Links: []FlowLink{{Source: 0, Target: 3, Count: 1}, {Source: 1, Target: 2, Count: 2}, {Source: 1, Target: 4, Count: 1}, {Source: 2, Target: 5, Count: 2}, {Source: 3, Target: 5, Count: 1}, {Source: 4, Target: 5, Count: 1}},
			},
		},
		{
			name:   "from the start",
			reason: "with no anchor every customer enters at (start); dan and gil have one event, then (end)",
			opt:    FlowOptions{Depth: 2},
			want: Flow{
				Customers: 7,
				Nodes: []FlowNode{
					start(0, 7),
					name(1, "search", 3), name(1, "visit", 3), name(1, "buy", 1),
					name(2, "buy", 2), name(2, "cart", 1), name(2, "search", 1), name(2, "visit", 1), end(2, 2),
				},
				Links: []FlowLink{
					{Source: 0, Target: 1, Count: 3}, {Source: 0, Target: 2, Count: 3}, {Source: 0, Target: 3, Count: 1},
					{Source: 1, Target: 4, Count: 2}, {Source: 1, Target: 8, Count: 1}, {Source: 2, Target: 5, Count: 1}, {Source: 2, Target: 6, Count: 1}, {Source: 2, Target: 8, Count: 1}, {Source: 3, Target: 7, Count: 1},
				},
			},
		},
		{
			name: "to the end",
			reason: "backward with no anchor ends every path at (end); last events: visit for ann, dan and eve, buy for cid " +
				"and fay, help and search fold; second to last: search for cid and fay, then buy wins the tie of three " +
				"by name, cart and visit fold, and dan and gil come from (start)",
			opt: FlowOptions{Backward: true, Depth: 2, Top: 2},
			want: Flow{
				Customers: 7,
				Nodes: []FlowNode{
					name(-2, "search", 2), name(-2, "buy", 1), other(-2, 2), start(-2, 2),
					name(-1, "visit", 3), name(-1, "buy", 2), other(-1, 2),
					end(0, 7),
				},
				Links: []FlowLink{
					{Source: 0, Target: 5, Count: 2}, {Source: 1, Target: 4, Count: 1}, {Source: 2, Target: 4, Count: 1}, {Source: 2, Target: 6, Count: 1}, {Source: 3, Target: 4, Count: 1}, {Source: 3, Target: 6, Count: 1},
					{Source: 4, Target: 7, Count: 3}, {Source: 5, Target: 7, Count: 2}, {Source: 6, Target: 7, Count: 2},
				},
			},
		},
		{
			name:   "unknown anchor",
			reason: "no path has the anchor: nobody enters, no node",
			opt:    FlowOptions{Anchor: "refund"},
			want:   Flow{},
		},
	}
	for _, tt := range tests {
		for _, w := range pathWorkers {
			got := l.CountFlows(tt.opt, w).Flow(tt.opt.Top)
			if diff := gocmp.Diff(tt.want, got); diff != "" {
				t.Errorf("%s, %d workers (%s) (-want +got):\n%s", tt.name, w, tt.reason, diff)
			}
		}
		if diff := gocmp.Diff(tt.want, l.Flows(tt.opt)); diff != "" {
			t.Errorf("%s: Flows differs from CountFlows (-want +got):\n%s", tt.name, diff)
		}
	}
}

// TestFlowsByChannel: events with no channel are not in the flow, and a
// path whose events have none enters a flow without anchor and ends at
// once.
func TestFlowsByChannel(t *testing.T) {
	l, _ := NewLog([]Event{
		{Customer: "a", Time: at(0), Step: "x", Channel: touchpoint.Web},
		{Customer: "a", Time: at(1), Step: "y"},
		{Customer: "a", Time: at(2), Step: "z", Channel: touchpoint.Email},
		{Customer: "b", Time: at(0), Step: "x"},
	})
	want := Flow{
		Customers: 2,
		Nodes: []FlowNode{
			{Level: 0, Name: "(start)", Kind: FlowStart, Count: 2},
			{Level: 1, Name: "web", Count: 1}, {Level: 1, Name: "(end)", Kind: FlowEnd, Count: 1},
			{Level: 2, Name: "email", Count: 1}, {Level: 2, Name: "(end)", Kind: FlowEnd, Count: 1},
		},
		Links: []FlowLink{{Source: 0, Target: 1, Count: 1}, {Source: 0, Target: 2, Count: 1}, {Source: 1, Target: 3, Count: 1}, {Source: 2, Target: 4, Count: 1}},
	}
	if diff := gocmp.Diff(want, l.Flows(FlowOptions{By: ByChannel})); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

// naiveFlow is the definition of a flow, on paths: each entering
// customer's nodes, level by level, then folded.
func naiveFlow(l *Log, opt FlowOptions) Flow {
	depth, top := opt.Depth, opt.Top
	if depth <= 0 {
		depth = 5
	}
	if top == 0 {
		top = 10
	}
	type nd struct {
		kind FlowKind
		name string
	}
	filler, virtual := nd{FlowEnd, "(end)"}, nd{FlowStart, "(start)"}
	if opt.Backward {
		filler, virtual = virtual, filler
	}
	var seqs [][]nd // by distance from the anchor
	reach := 0
	for p := range l.Paths() {
		route := naiveRoute(p.Events, opt.By)
		var seq []nd
		var rest []string
		if opt.Anchor != "" {
			at := slices.Index(route, opt.Anchor)
			if at < 0 {
				continue
			}
			seq = append(seq, nd{FlowName, opt.Anchor})
			if opt.Backward {
				rest = slices.Clone(route[:at])
				slices.Reverse(rest)
			} else {
				rest = route[at+1:]
			}
		} else {
			seq = append(seq, virtual)
			rest = slices.Clone(route)
			if opt.Backward {
				slices.Reverse(rest)
			}
		}
		for _, s := range rest {
			seq = append(seq, nd{FlowName, s})
		}
		reach = max(reach, min(depth, len(seq)-1))
		seqs = append(seqs, seq)
	}
	if len(seqs) == 0 {
		return Flow{}
	}
	at := func(seq []nd, d int) nd {
		if d < len(seq) {
			return seq[d]
		}
		return filler
	}
	// Count, fold, order.
	folded := make([]map[nd]nd, reach+1)
	var levels [][]nd
	counts := make([]map[nd]int, reach+1)
	for d := range reach + 1 {
		raw := map[nd]int{}
		for _, seq := range seqs {
			raw[at(seq, d)]++
		}
		var names []nd
		for k := range raw {
			if k.kind == FlowName {
				names = append(names, k)
			}
		}
		slices.SortFunc(names, func(a, b nd) int {
			if raw[a] != raw[b] {
				return raw[b] - raw[a]
			}
			return strings.Compare(a.name, b.name)
		})
		folded[d] = map[nd]nd{}
		counts[d] = map[nd]int{}
		for k, n := range raw {
			to := k
			if k.kind == FlowName && top >= 0 && slices.Index(names, k) >= top {
				to = nd{FlowOther, "(other)"}
			}
			folded[d][k] = to
			counts[d][to] += n
		}
		var lv []nd
		for k := range counts[d] {
			lv = append(lv, k)
		}
		slices.SortFunc(lv, func(a, b nd) int {
			if a.kind != b.kind {
				return cmp.Compare(a.kind, b.kind)
			}
			if counts[d][a] != counts[d][b] {
				return counts[d][b] - counts[d][a]
			}
			return strings.Compare(a.name, b.name)
		})
		levels = append(levels, lv)
	}
	out := Flow{Customers: len(seqs)}
	index := make([]map[nd]int, reach+1)
	for i := range reach + 1 {
		d := i
		if opt.Backward {
			d = reach - i
		}
		index[d] = map[nd]int{}
		for _, k := range levels[d] {
			index[d][k] = len(out.Nodes)
			level := d
			if opt.Backward {
				level = -d
			}
			out.Nodes = append(out.Nodes, FlowNode{Level: level, Name: k.name, Kind: k.kind, Count: counts[d][k]})
		}
	}
	links := map[[2]int]int{}
	for _, seq := range seqs {
		for d := range reach {
			a := index[d][folded[d][at(seq, d)]]
			b := index[d+1][folded[d+1][at(seq, d+1)]]
			if opt.Backward {
				a, b = b, a
			}
			links[[2]int{a, b}]++
		}
	}
	for k, n := range links {
		out.Links = append(out.Links, FlowLink{Source: k[0], Target: k[1], Count: n})
	}
	slices.SortFunc(out.Links, func(a, b FlowLink) int {
		if a.Source != b.Source {
			return a.Source - b.Source
		}
		return a.Target - b.Target
	})
	return out
}

// checkFlowSums checks that the counts add up: each level's nodes sum to
// the customers, and each node's links out (in) sum to its count.
func checkFlowSums(t *testing.T, f Flow) {
	t.Helper()
	perLevel := map[int]int{}
	out, in := map[int]int{}, map[int]int{}
	first, last := 0, 0
	for _, n := range f.Nodes {
		perLevel[n.Level] += n.Count
		first, last = min(first, n.Level), max(last, n.Level)
	}
	for lv, n := range perLevel {
		if n != f.Customers {
			t.Errorf("level %d sums to %d, not %d customers", lv, n, f.Customers)
		}
	}
	for _, k := range f.Links {
		out[k.Source] += k.Count
		in[k.Target] += k.Count
		if f.Nodes[k.Target].Level != f.Nodes[k.Source].Level+1 {
			t.Errorf("link %+v skips a level", k)
		}
	}
	for i, n := range f.Nodes {
		if n.Level != last && out[i] != n.Count {
			t.Errorf("node %d %+v: links out sum to %d", i, n, out[i])
		}
		if n.Level != first && in[i] != n.Count {
			t.Errorf("node %d %+v: links in sum to %d", i, n, in[i])
		}
	}
}

func TestFlowsAgreeWithTheDefinition(t *testing.T) {
	for trial, l := range randomLogs(t, 41, 20) {
		for _, by := range []By{ByStep, ByChannel, ByTouchpoint} {
			var opts []FlowOptions
			for _, anchor := range []string{"", "cart", "web", "home", "nowhere"} {
				for _, back := range []bool{false, true} {
					for _, depth := range []int{0, 1, 3, 40} {
						for _, top := range []int{-1, 0, 1, 3} {
							opts = append(opts, FlowOptions{By: by, Anchor: anchor, Backward: back, Depth: depth, Top: top})
						}
					}
				}
			}
			for _, opt := range opts {
				want := naiveFlow(l, opt)
				for _, w := range []int{1, 2, 5} {
					got := l.CountFlows(opt, w).Flow(opt.Top)
					if diff := gocmp.Diff(want, got); diff != "" {
						t.Fatalf("trial %d, %+v, %d workers (-want +got):\n%s", trial, opt, w, diff)
					}
				}
				checkFlowSums(t, want)
			}
		}
	}
}

// TestFlowsSparseCounters: with many names the counters are maps, not
// matrices, and give the same flow.
func TestFlowsSparseCounters(t *testing.T) {
	l := longPath(t, 3000, 600)
	for _, opt := range []FlowOptions{{Depth: 4, Top: 2}, {Anchor: "s7", Backward: true, Depth: 9}, {Anchor: "s599", Depth: 3}} {
		if diff := gocmp.Diff(naiveFlow(l, opt), l.CountFlows(opt, 2).Flow(opt.Top)); diff != "" {
			t.Errorf("%+v (-want +got):\n%s", opt, diff)
		}
	}
}

func TestFlowCountsAddAndMerge(t *testing.T) {
	opt := FlowOptions{Anchor: "b", Depth: 2}
	f := NewFlowCounts(opt)
	f.Add([]string{"a", "b", "c", "d", "e"}, 2)
	f.Add([]string{"b"}, 1)
	f.Add([]string{"a"}, 5)           // no anchor: not in the flow
	f.Add([]string{"b", "x", "y"}, 0) // nobody
	f.Add([]string{"b", "x", "y"}, -1)
	want := Flow{
		Customers: 3,
		Nodes: []FlowNode{
			{Level: 0, Name: "b", Count: 3},
			{Level: 1, Name: "c", Count: 2}, {Level: 1, Name: "(end)", Kind: FlowEnd, Count: 1},
			{Level: 2, Name: "d", Count: 2}, {Level: 2, Name: "(end)", Kind: FlowEnd, Count: 1},
		},
		Links: []FlowLink{{Source: 0, Target: 1, Count: 2}, {Source: 0, Target: 2, Count: 1}, {Source: 1, Target: 3, Count: 2}, {Source: 2, Target: 4, Count: 1}},
	}
	if diff := gocmp.Diff(want, f.Flow(0)); diff != "" {
		t.Errorf("Add (-want +got):\n%s", diff)
	}
	// Counts from a log, with other name ids, merge in.
	l, _ := NewLog([]Event{
		{Customer: "x", Time: at(0), Step: "d"}, {Customer: "x", Time: at(1), Step: "b"}, {Customer: "x", Time: at(2), Step: "c"},
	})
	if err := f.Merge(l.CountFlows(opt, 1)); err != nil {
		t.Fatal(err)
	}
	want.Customers = 4
	want.Nodes[0].Count = 4
	want.Nodes[1].Count = 3
	want.Nodes[2].Count = 1
	want.Nodes[4].Count = 2
	want.Links = []FlowLink{{Source: 0, Target: 1, Count: 3}, {Source: 0, Target: 2, Count: 1}, {Source: 1, Target: 3, Count: 2}, {Source: 1, Target: 4, Count: 1}, {Source: 2, Target: 4, Count: 1}}
	if diff := gocmp.Diff(want, f.Flow(0)); diff != "" {
		t.Errorf("Merge (-want +got):\n%s", diff)
	}
	if f.Customers() != 4 || f.Options() != (pathcount.FlowOptions{Anchor: "b", Depth: 2}) {
		t.Errorf("Customers, Options = %d, %+v", f.Customers(), f.Options())
	}
	// Counts of another flow do not merge.
	before := f.Flow(0)
	for _, o := range []FlowOptions{{Anchor: "c", Depth: 2}, {Anchor: "b"}, {Anchor: "b", Depth: 2, Backward: true}, {Anchor: "b", Depth: 2, By: ByChannel}} {
		err := f.Merge(l.CountFlows(o, 1))
		if err == nil || !strings.HasPrefix(err.Error(), "journey: ") {
			t.Errorf("merging %+v: %v", o, err)
		}
	}
	if diff := gocmp.Diff(before, f.Flow(0)); diff != "" {
		t.Errorf("a refused merge changed the counts (-want +got):\n%s", diff)
	}
	// Top does not matter; the zero value takes the first options merged.
	var z FlowCounts
	if err := z.Merge(&FlowCounts{}); err != nil || z.Options() != (pathcount.FlowOptions{}) {
		t.Errorf("merging empty zero values: %v", err)
	}
	if err := z.Merge(f); err != nil {
		t.Fatal(err)
	}
	if err := z.Merge(l.CountFlows(FlowOptions{Anchor: "b", Depth: 2, Top: 7}, 2)); err != nil {
		t.Error(err)
	}
	var zz FlowCounts
	zz.Add([]string{"q"}, 1)
	if zz.Options() != (pathcount.FlowOptions{Depth: 5}) || zz.Flow(0).Customers != 1 {
		t.Errorf("the zero value adds with the zero options: %+v", zz.Options())
	}
}

func TestFlowJSON(t *testing.T) {
	f := pathsShopLog(t).Flows(FlowOptions{Anchor: "cart", Depth: 1})
	b, err := json.Marshal(f)
	if err != nil {
		t.Fatal(err)
	}
	const want = `{"customers":2,"nodes":[{"level":0,"name":"cart","kind":"name","value":2},` +
		`{"level":1,"name":"buy","kind":"name","value":1},{"level":1,"name":"cart","kind":"name","value":1}],` +
		`"links":[{"source":0,"target":1,"value":1},{"source":0,"target":2,"value":1}]}`
	if string(b) != want {
		t.Errorf("got  %s\nwant %s", b, want)
	}
	var back Flow
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatal(err)
	}
	if diff := gocmp.Diff(f, back); diff != "" {
		t.Errorf("round trip (-want +got):\n%s", diff)
	}
	for k := range FlowStart + 1 {
		var got FlowKind
		text, err := k.MarshalText()
		if err != nil || got.UnmarshalText([]byte(strings.ToUpper(string(text)))) != nil || got != k {
			t.Errorf("%v does not round-trip", k)
		}
	}
	var k FlowKind
	if err := k.UnmarshalText([]byte("edge")); !errors.Is(err, ErrUnknownFlowKind) {
		t.Errorf("unknown kind: %v", err)
	}
	if _, err := FlowKind(9).MarshalText(); err == nil || FlowKind(9).String() != "FlowKind(9)" {
		t.Error("bad FlowKind")
	}
}
