package main

import (
	"bytes"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/parcours-go/parcours/funnel"
	"github.com/parcours-go/parcours/journey"
	"github.com/parcours-go/parcours/journey/attribution"
	"github.com/parcours-go/parcours/journey/eventio"
	"github.com/parcours-go/parcours/journey/graph"
	"github.com/parcours-go/parcours/journey/impact"
	"github.com/parcours-go/parcours/journey/paths"
	"github.com/parcours-go/parcours/journey/render"
	"github.com/parcours-go/parcours/journey/simulate"
	"github.com/parcours-go/parcours/objectives"
)

const (
	events   = "testdata/events.csv"          // hand-written: 12 customers with real times
	shopLog  = "testdata/shoeshop-events.csv" // 120 simulated customers of the shoe shop
	shopMap  = "testdata/shoeshop.json"
	routeTab = "testdata/routes.csv" // a ChannelAttribution route table
)

func readLog(t *testing.T, path string) *journey.Log {
	t.Helper()
	l, err := eventio.ReadFile(path, eventio.ReadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	return l
}

func readTestMap(t *testing.T) *journey.Map {
	t.Helper()
	f, err := os.Open(shopMap)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	m, err := journey.ReadMap(f)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// close reports whether a number printed in JSON equals the library's.
func close(a, b float64) bool {
	return a == b || math.Abs(a-b) <= 1e-12*math.Max(1, math.Abs(b))
}

func TestFunnel(t *testing.T) {
	v := goldenOutputs(t, "funnel", "funnel", events, "--steps", "visit,cart,checkout", "--window", "7d")
	f := funnel.Funnel{Window: 7 * 24 * time.Hour, Stages: []funnel.Stage{funnel.Step("visit"), funnel.Step("cart"), funnel.Step("checkout")}}
	rep, err := f.Analyze(readLog(t, events), funnel.Options{})
	if err != nil {
		t.Fatal(err)
	}
	got := rows(t, v, "stages")
	if len(got) != len(rep.Stages) || num(t, v, "customers") != float64(rep.Customers) {
		t.Fatalf("%d stages, %v customers; the library has %d, %d", len(got), v["customers"], len(rep.Stages), rep.Customers)
	}
	for k, s := range rep.Stages {
		row := got[k]
		if row["stage"] != s.Name || num(t, row, "reached") != float64(s.Reached) || num(t, row, "dropped") != float64(s.Dropped) ||
			!close(num(t, row, "from_first"), rep.Stages.FromFirst(k)) || !close(num(t, row, "from_previous"), rep.Stages.FromPrevious(k)) {
			t.Errorf("stage %d: %v; the library has %+v", k, row, s)
		}
		if k > 0 {
			for key, d := range map[string]time.Duration{
				"from_previous_p50_seconds": s.FromPrevious.Quantile(0.5), "from_previous_p90_seconds": s.FromPrevious.P90(),
				"from_first_p50_seconds": s.FromFirst.Median(), "from_first_p90_seconds": s.FromFirst.P90(),
			} {
				if !close(num(t, row, key), d.Seconds()) {
					t.Errorf("stage %d: %s = %v, the library has %v", k, key, row[key], d)
				}
			}
		} else if row["from_previous_p50_seconds"] != nil {
			t.Errorf("stage 0 has a time from the previous stage: %v", row)
		}
	}
	// A breakdown, a ClickHouse mode and an ordering.
	v = goldenOutputs(t, "funnel-by", "funnel", events, "--steps", "visit,cart|help,checkout", "--window", "2d", "--by", "device", "--order", "strict", "--mode", "strict_dedup")
	f = funnel.Funnel{Window: 48 * time.Hour, Order: funnel.Strict, StrictDedup: true,
		Stages: []funnel.Stage{funnel.Step("visit"), funnel.Step("cart", "help"), funnel.Step("checkout")}}
	rep, err = f.Analyze(readLog(t, events), funnel.Options{Breakdowns: []funnel.Breakdown{{By: funnel.ByProp, Prop: "device"}}})
	if err != nil {
		t.Fatal(err)
	}
	segs := rows(t, v, "segments")
	i := 0
	for _, s := range rep.Breakdowns[0].Segments {
		for k, st := range s.Stages {
			row := segs[i]
			i++
			value := s.Value
			if value == "" {
				value = "(none)"
			}
			if row["segment"] != value || num(t, row, "reached") != float64(st.Reached) || !close(num(t, row, "from_previous"), s.Stages.FromPrevious(k)) {
				t.Errorf("segment %q stage %d: %v; the library has %+v", s.Value, k, row, st)
			}
		}
	}
	if i != len(segs) {
		t.Errorf("%d segment rows, the library has %d", len(segs), i)
	}
	// Attempts and an unordered funnel run too, and count what the library counts.
	_, out, _ := runCmd(t, "", "funnel", events, "--steps", "cart,visit", "--order", "unordered", "--count", "attempts", "--output", "csv")
	f = funnel.Funnel{Order: funnel.Unordered, Stages: []funnel.Stage{funnel.Step("cart"), funnel.Step("visit")}}
	rep, err = f.Analyze(readLog(t, events), funnel.Options{Count: funnel.Attempts})
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 3 || !strings.HasPrefix(lines[2], "visit,"+itoa(rep.Stages[1].Reached)+",") {
		t.Errorf("unordered attempts:\n%s\nthe library reaches %d", out, rep.Stages[1].Reached)
	}
}

func TestFunnelExtras(t *testing.T) {
	v := goldenOutputs(t, "funnel-extras", "funnel", events, "--steps", "visit,cart,checkout", "--window", "7d", "--exclude", "help@2-3", "--trend", "week")
	f := funnel.Funnel{Window: 7 * 24 * time.Hour, Stages: []funnel.Stage{funnel.Step("visit"), funnel.Step("cart"), funnel.Step("checkout")},
		Exclusions: []funnel.Exclusion{{Stage: funnel.Step("help"), From: 1, To: 2}}}
	rep, err := f.Analyze(readLog(t, events), funnel.Options{Trend: funnel.Week})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Excluded == 0 || num(t, v, "excluded") != float64(rep.Excluded) {
		t.Errorf("excluded = %v; the library excludes %d (and should exclude c04)", v["excluded"], rep.Excluded)
	}
	tr := rows(t, v, "trend")
	i := 0
	for _, b := range rep.Trend {
		for _, s := range b.Stages {
			if tr[i]["start"] != b.Start.Format("2006-01-02") || num(t, tr[i], "reached") != float64(s.Reached) {
				t.Errorf("trend row %d: %v; the library has %v %+v", i, tr[i], b.Start, s)
			}
			i++
		}
	}
	if i != len(tr) {
		t.Errorf("%d trend rows, the library has %d", len(tr), i)
	}
	// An optional stage.
	_, out, _ := runCmd(t, "", "funnel", events, "--steps", "visit,cart,checkout", "--optional", "2", "--output", "jsonl")
	f = funnel.Funnel{Stages: []funnel.Stage{funnel.Step("visit"), funnel.Step("cart"), funnel.Step("checkout")}}
	f.Stages[1].Optional = true
	rep, err = f.Analyze(readLog(t, events), funnel.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out, `{"stage":"checkout","reached":`+itoa(rep.Stages[2].Reached)+",") {
		t.Errorf("optional stage: %s; the library reaches %d", out, rep.Stages[2].Reached)
	}
}

func itoa(n int) string { return plain(n) }

func TestPaths(t *testing.T) {
	l := withoutMarkers(readLog(t, shopLog))
	v := goldenOutputs(t, "paths-goal", "paths", shopLog, "--goal", "thank-you", "--top", "5")
	gv, err := paths.CountGoalVariants(l, func(e journey.Event) bool { return e.Step == "thank-you" }, paths.Options{})
	if err != nil {
		t.Fatal(err)
	}
	list := gv.List()
	got := rows(t, v, "variants")
	if len(got) != 5 {
		t.Fatalf("%d routes, want 5", len(got))
	}
	for i, row := range got {
		route := strings.Join(anyStrings(row["route"]), " > ")
		if route != strings.Join(list[i].Route, " > ") || num(t, row, "customers") != float64(list[i].Customers) ||
			num(t, row, "converted") != float64(list[i].Converted) || !close(num(t, row, "rate"), list[i].Rate) {
			t.Errorf("route %d: %v; the library has %+v", i, row, list[i])
		}
	}
	if num(t, v, "routes") != float64(len(list)) {
		t.Errorf("routes = %v, the library has %d", v["routes"], len(list))
	}

	v = goldenOutputs(t, "paths-channels", "paths", shopLog, "--by", "channel", "--top", "8")
	vv, err := paths.CountVariants(l, paths.Options{By: journey.ByChannel})
	if err != nil {
		t.Fatal(err)
	}
	vl := vv.List()
	got = rows(t, v, "variants")
	if len(got) != min(8, len(vl)) {
		t.Fatalf("%d channel routes, the library has %d", len(got), len(vl))
	}
	for i, row := range got {
		if !slices.Equal(anyStrings(row["route"]), vl[i].Route) || num(t, row, "customers") != float64(vl[i].Customers) {
			t.Errorf("channel route %d: %v; the library has %+v", i, row, vl[i])
		}
	}

	v = goldenOutputs(t, "paths-flows", "paths", shopLog, "--view", "flows", "--after", "browses-eshop", "--depth", "2", "--top", "3")
	fl, err := paths.CountFlows(l, paths.FlowOptions{Anchor: "browses-eshop", Depth: 2, Top: 3}, paths.Options{})
	if err != nil {
		t.Fatal(err)
	}
	flow := fl.Flow(3)
	nodes := rows(t, v, "nodes")
	if len(nodes) != len(flow.Nodes) {
		t.Fatalf("%d nodes, the library has %d", len(nodes), len(flow.Nodes))
	}
	for i, n := range flow.Nodes {
		if nodes[i]["name"] != n.Name || num(t, nodes[i], "level") != float64(n.Level) || num(t, nodes[i], "customers") != float64(n.Count) {
			t.Errorf("node %d: %v; the library has %+v", i, nodes[i], n)
		}
	}
	if len(rows(t, v, "links")) != len(flow.Links) {
		t.Errorf("links: %d, the library has %d", len(rows(t, v, "links")), len(flow.Links))
	}

	v = goldenOutputs(t, "paths-follows", "paths", events, "--view", "follows", "--top", "0")
	fo, err := paths.CountFollows(readLog(t, events), paths.Options{})
	if err != nil {
		t.Fatal(err)
	}
	got = rows(t, v, "follows")
	if len(got) != len(fo.List()) {
		t.Fatalf("%d pairs, the library has %d", len(got), len(fo.List()))
	}
	for _, row := range got {
		if n := fo.Count(row["from"].(string), row["to"].(string)); num(t, row, "count") != float64(n) {
			t.Errorf("%v: the library counts %d", row, n)
		}
	}

	v = goldenOutputs(t, "paths-loops", "paths", events, "--view", "loops")
	lo, err := paths.CountLoops(readLog(t, events), paths.Options{})
	if err != nil {
		t.Fatal(err)
	}
	got = rows(t, v, "loops")
	for i, x := range lo.List() {
		if got[i]["name"] != x.Name || num(t, got[i], "visits") != float64(x.Visits) || num(t, got[i], "returns") != float64(x.Returns) ||
			num(t, got[i], "repeaters") != float64(x.Repeaters) {
			t.Errorf("loop %d: %v; the library has %+v", i, got[i], x)
		}
	}
	if num(t, v, "looping") != float64(lo.Looping()) {
		t.Errorf("looping = %v, the library has %d", v["looping"], lo.Looping())
	}
}

func anyStrings(v any) []string {
	var out []string
	for _, x := range v.([]any) {
		out = append(out, x.(string))
	}
	return out
}

func TestValidate(t *testing.T) {
	v := goldenOutputs(t, "validate", "validate", shopMap)
	if v["valid"] != true || num(t, v, "steps") != float64(len(readTestMap(t).Steps)) {
		t.Errorf("validate: %v", v)
	}
	// A map with problems: every problem of journey.ReadMap, exit status 1.
	bad := filepath.Join(t.TempDir(), "bad.json")
	doc := `{"name":"m","stages":[{"id":"s"}],"steps":[{"id":"a","stage":"nowhere"},{"id":"b","stage":"s","touchpoints":["ghost"]}]}`
	if err := os.WriteFile(bad, []byte(doc), 0o644); err != nil {
		t.Fatal(err)
	}
	status, out, errs := runCmd(t, "", "validate", bad, "--output", "json")
	_, err := journey.ReadMap(strings.NewReader(doc))
	if status != exitData || err == nil {
		t.Fatalf("exit %d, library error %v", status, err)
	}
	want := strings.Split(err.Error(), "\n")
	for _, p := range want {
		if !strings.Contains(out, strings.ReplaceAll(p, `"`, `\"`)) {
			t.Errorf("problem %q not in the output:\n%s", p, out)
		}
	}
	if !strings.Contains(errs, itoa(len(want))+" problems") {
		t.Errorf("stderr: %q", errs)
	}
}

func TestGraph(t *testing.T) {
	v := goldenOutputs(t, "graph", "graph", shopLog, "--goal", "thank-you")
	g, err := journey.Learn(readLog(t, shopLog), journey.LearnOptions{GoalSteps: []string{"thank-you"}})
	if err != nil {
		t.Fatal(err)
	}
	if !close(num(t, v, "conversion"), g.Absorption(graph.Start, graph.Conversion)) || !close(num(t, v, "expected_steps"), g.ExpectedSteps(graph.Start)) {
		t.Errorf("conversion %v, expected steps %v; the library has %v, %v", v["conversion"], v["expected_steps"],
			g.Absorption(graph.Start, graph.Conversion), g.ExpectedSteps(graph.Start))
	}
	fr := g.Friction(graph.FrictionOptions{})
	got := rows(t, v, "states")
	if len(got) != len(fr) {
		t.Fatalf("%d states, the library ranks %d", len(got), len(fr))
	}
	for i, f := range fr {
		row := got[i]
		if row["state"] != f.State || !close(num(t, row, "goal"), g.Absorption(f.State, graph.Conversion)) ||
			!close(num(t, row, "expected_steps"), g.ExpectedSteps(f.State)) || !close(num(t, row, "leaving"), f.Leaving) ||
			!close(num(t, row, "loop_rate"), f.LoopRate) || !close(num(t, row, "drop"), f.Drop) {
			t.Errorf("state %d: %v; the library has %+v", i, row, f)
		}
	}
	// The drawings are the library's.
	for _, format := range []string{"mermaid", "dot"} {
		got := mustRun(t, "graph", shopLog, "--goal", "thank-you", "--draw", format)
		var want bytes.Buffer
		flow := render.GraphFlow(g, render.GraphFlowOptions{FrictionPoints: 3})
		if format == "dot" {
			err = render.DOT(&want, flow, render.GraphOptions{})
		} else {
			err = render.MermaidFlowchart(&want, flow, render.GraphOptions{})
		}
		if err != nil || got != want.String() {
			t.Errorf("--draw %s differs from the library's (%v):\n%s", format, err, got)
		}
		if alt := mustRun(t, "graph", shopLog, "--goal", "thank-you", "--format", format); alt != got {
			t.Errorf("--format %s differs from --draw %s", format, format)
		}
	}
	// Order 2 learns the order-2 graph.
	v2 := rows(t, goldenOutputs(t, "graph-order2", "graph", events, "--goal", "checkout", "--order", "2", "--top", "3"), "states")
	g2, err := journey.Learn(readLog(t, events), journey.LearnOptions{GoalSteps: []string{"checkout"}, Order: 2})
	if err != nil {
		t.Fatal(err)
	}
	if fr := g2.Friction(graph.FrictionOptions{Top: 3}); len(v2) != len(fr) || v2[0]["state"] != fr[0].State {
		t.Errorf("order 2: %v; the library has %+v", v2, fr)
	}
}

func TestAttribution(t *testing.T) {
	v := goldenOutputs(t, "attribution", "attribution", shopLog, "--goal", "thank-you")
	l := readLog(t, shopLog)
	from := attribution.FromLogOptions{By: journey.ByChannel, GoalSteps: []string{"thank-you"}}
	rs, err := attribution.FromLog(l, from)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]attribution.Result{}
	for name, f := range map[string]func() (attribution.Result, error){
		"markov":   func() (attribution.Result, error) { return attribution.Markov(rs, attribution.MarkovOptions{}) },
		"shapley":  func() (attribution.Result, error) { return attribution.Shapley(rs, attribution.ShapleyOptions{}) },
		"first":    func() (attribution.Result, error) { return attribution.FirstTouch(rs) },
		"last":     func() (attribution.Result, error) { return attribution.LastTouch(rs) },
		"linear":   func() (attribution.Result, error) { return attribution.Linear(rs) },
		"position": func() (attribution.Result, error) { return attribution.PositionBased(rs, 0.4, 0.4) },
		"timedecay": func() (attribution.Result, error) {
			return attribution.TimeDecay(l, attribution.TimeDecayOptions{FromLogOptions: from})
		},
	} {
		if want[name], err = f(); err != nil {
			t.Fatal(name, err)
		}
	}
	checkCredits(t, rows(t, v, "credits"), want, false)

	// A route table, with values and bootstrap intervals.
	v = goldenOutputs(t, "attribution-routes", "attribution", routeTab, "--model", "markov,shapley,linear", "--bootstrap", "50", "--seed", "2")
	f, err := os.Open(routeTab)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rs, err = attribution.ReadTable(f, attribution.TableOptions{})
	if err != nil {
		t.Fatal(err)
	}
	mk := func(rows []attribution.Row) (attribution.Result, error) {
		return attribution.Markov(rows, attribution.MarkovOptions{})
	}
	mres, _ := mk(rs)
	sres, _ := attribution.Shapley(rs, attribution.ShapleyOptions{})
	lres, _ := attribution.Linear(rs)
	got := rows(t, v, "credits")
	checkCredits(t, got, map[string]attribution.Result{"markov": mres, "shapley": sres, "linear": lres}, true)
	iv, err := attribution.Bootstrap(rs, mk, attribution.BootstrapOptions{Replications: 50, Level: 0.95, Seed: 2})
	if err != nil {
		t.Fatal(err)
	}
	for _, row := range got {
		c := row["touch"].(string)
		if !close(num(t, row, "markov_lo"), iv[c].Conversions.Lo) || !close(num(t, row, "markov_hi"), iv[c].Conversions.Hi) {
			t.Errorf("%s: interval [%v, %v]; the library has %+v", c, row["markov_lo"], row["markov_hi"], iv[c].Conversions)
		}
	}
	if _, ok := got[0]["timedecay"]; ok {
		t.Error("a route table has a time decay column")
	}

	// --order auto uses the order ChooseOrder recommends.
	status, out, errs := runCmd(t, "", "attribution", routeTab, "--model", "markov", "--order", "auto", "--output", "json")
	choice, err := attribution.ChooseOrder(rs, attribution.ChooseOrderOptions{Seed: 1})
	if status != 0 || err != nil || !strings.Contains(out, `"markov_order": `+itoa(choice.Recommended)) {
		t.Errorf("--order auto: exit %d %s, library %v %v:\n%s", status, errs, choice.Recommended, err, out)
	}
}

func checkCredits(t *testing.T, got []map[string]any, want map[string]attribution.Result, value bool) {
	t.Helper()
	n := 0
	for _, row := range got {
		c := row["touch"].(string)
		for m, res := range want {
			if !close(num(t, row, m), res[c].Conversions) {
				t.Errorf("%s %s: %v conversions, the library has %v", m, c, row[m], res[c].Conversions)
			}
			if value && !close(num(t, row, m+"_value"), res[c].Value) {
				t.Errorf("%s %s: value %v, the library has %v", m, c, row[m+"_value"], res[c].Value)
			}
		}
		if r, ok := want["markov"]; ok && !close(num(t, row, "markov_removal_effect"), r[c].RemovalEffect) {
			t.Errorf("markov %s: removal effect %v, the library has %v", c, row["markov_removal_effect"], r[c].RemovalEffect)
		}
		n++
	}
	if n != len(want["shapley"].Touches()) {
		t.Errorf("%d touches, the library has %d", n, len(want["shapley"].Touches()))
	}
}

func TestSimulate(t *testing.T) {
	got := mustRun(t, "simulate", shopMap, "--customers", "15", "--seed", "5", "--period", "30d")
	spec, err := simulate.FromMap(readTestMap(t))
	if err != nil {
		t.Fatal(err)
	}
	model, err := simulate.New(spec)
	if err != nil {
		t.Fatal(err)
	}
	l, err := model.Run(simulate.Options{Customers: 15, Seed: 5, Period: 30 * 24 * time.Hour, Prefix: "c"})
	if err != nil {
		t.Fatal(err)
	}
	var want bytes.Buffer
	if err := eventio.WriteCSV(&want, l, eventio.WriteOptions{}); err != nil {
		t.Fatal(err)
	}
	if got != want.String() {
		t.Errorf("simulate differs from the library's log:\n%s", got)
	}
	golden(t, "simulate.csv", got)
	js := mustRun(t, "simulate", shopMap, "--customers", "15", "--seed", "5", "--period", "30d", "--output", "jsonl")
	want.Reset()
	if err := eventio.WriteJSONL(&want, l); err != nil {
		t.Fatal(err)
	}
	if js != want.String() {
		t.Error("simulate --output jsonl differs from the library's log")
	}
}

func TestImpact(t *testing.T) {
	v := goldenOutputs(t, "impact", "impact", shopMap, shopLog, "--goal", "thank-you")
	rep, err := impact.Score(readTestMap(t), impact.Options{Log: readLog(t, shopLog),
		GoalSteps: map[objectives.Objective][]string{objectives.Conversion: {"thank-you"}}})
	if err != nil {
		t.Fatal(err)
	}
	got := rows(t, v, "departments")
	if len(got) != len(rep.Departments) {
		t.Fatalf("%d departments, the library has %d", len(got), len(rep.Departments))
	}
	for i, d := range rep.Departments {
		o, _ := d.Objective(objectives.Conversion)
		if got[i]["department"] != d.ID || !close(num(t, got[i], "score"), d.Score) || !close(num(t, got[i], "dependence"), o.Dependence) {
			t.Errorf("department %d: %v; the library has %s %v %v", i, got[i], d.ID, d.Score, o.Dependence)
		}
	}
	ex := rows(t, v, "explanations")
	for i, s := range rep.Explain(rep.Departments[0].ID) {
		if ex[i]["sentence"] != s {
			t.Errorf("explanation %d: %v; the library says %q", i, ex[i], s)
		}
	}
	// Without events, the designed journey is scored.
	v = goldenOutputs(t, "impact-design", "impact", shopMap, "--explain", "logistics")
	rep, err = impact.Score(readTestMap(t), impact.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if got := rows(t, v, "departments"); got[0]["department"] != rep.Departments[0].ID || v["source"] != rep.Source.String() {
		t.Errorf("designed: %v; the library ranks %s first, from %s", got[0], rep.Departments[0].ID, rep.Source)
	}
}

func TestReport(t *testing.T) {
	out := filepath.Join(t.TempDir(), "report.html")
	if s := mustRun(t, "report", shopMap, shopLog, "-o", out); s != "" {
		t.Errorf("stdout: %q", s)
	}
	got, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	m := readTestMap(t)
	goals := attribution.StepsAchieving(m, objectives.Conversion)
	res, err := analyseForReport(m, readLog(t, shopLog), goals, 30*24*time.Hour, 0)
	if err != nil {
		t.Fatal(err)
	}
	// The command's results are the library's, computed here independently.
	f, _ := funnel.FromMap(m)
	f.Window = 30 * 24 * time.Hour
	fr, err := f.Analyze(readLog(t, shopLog), funnel.Options{})
	if err != nil || res.Funnel.Stages[len(fr.Stages)-1].Reached != fr.Stages[len(fr.Stages)-1].Reached {
		t.Errorf("the report's funnel is not the library's: %v", err)
	}
	rep, err := render.JourneyReport(m, res, render.JourneyReportOptions{Sections: render.SectionOptions{Goal: goals}})
	if err != nil {
		t.Fatal(err)
	}
	var want bytes.Buffer
	if err := render.HTML(&want, rep); err != nil {
		t.Fatal(err)
	}
	if string(got) != want.String() {
		t.Error("the report differs from the library's")
	}
	if !bytes.Contains(got, []byte("<html")) || !bytes.Contains(got, []byte("Funnel")) {
		t.Error("the report has no funnel")
	}
	// The design alone makes a report too.
	if s := mustRun(t, "report", shopMap); !strings.Contains(s, "<html") {
		t.Error("report MAP: no HTML")
	}
}
