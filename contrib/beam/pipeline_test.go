package parcoursbeam_test

import (
	"encoding"
	"encoding/json"
	"errors"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/apache/beam/sdks/v2/go/pkg/beam"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/register"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/testing/ptest"
	"github.com/google/go-cmp/cmp"

	parcoursbeam "github.com/parcours-go/parcours/contrib/beam"
	"github.com/parcours-go/parcours/funnel"
	"github.com/parcours-go/parcours/journey"
	"github.com/parcours-go/parcours/journey/attribution"
	"github.com/parcours-go/parcours/journey/eventio"
	"github.com/parcours-go/parcours/journey/graph"
	"github.com/parcours-go/parcours/journey/paths"
	"github.com/parcours-go/parcours/journey/simulate"
)

func TestMain(m *testing.M) { ptest.MainWithDefault(m, "prism") }

// writeFn writes the one element it is given to Path, with its
// MarshalBinary (JSON for types without one); a second element fails.
type writeFn struct{ Path string }

func (f *writeFn) ProcessElement(x beam.T) error {
	var b []byte
	var err error
	if m, ok := x.(encoding.BinaryMarshaler); ok {
		b, err = m.MarshalBinary()
	} else {
		b, err = json.Marshal(x)
	}
	if err != nil {
		return err
	}
	w, err := os.OpenFile(f.Path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return err // a second element: the file exists
	}
	if _, err := w.Write(b); err != nil {
		w.Close()
		return err
	}
	return w.Close()
}

// writeBadFn appends bad rows, one JSON object a line.
type writeBadFn struct{ Dir string }

func (f *writeBadFn) ProcessElement(b parcoursbeam.BadRow) error {
	data, err := json.Marshal(b)
	if err != nil {
		return err
	}
	// One file per row, so that concurrent bundles cannot interleave.
	w, err := os.CreateTemp(f.Dir, "bad-*.json")
	if err != nil {
		return err
	}
	if _, err := w.Write(data); err != nil {
		w.Close()
		return err
	}
	return w.Close()
}

func init() {
	register.DoFn1x1[beam.T, error](&writeFn{})
	register.DoFn1x1[parcoursbeam.BadRow, error](&writeBadFn{})
}

// read reads what writeFn wrote into v.
func read(t *testing.T, path string, v any) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("the pipeline produced no result: %v", err)
	}
	if u, ok := v.(encoding.BinaryUnmarshaler); ok {
		err = u.UnmarshalBinary(b)
	} else {
		err = json.Unmarshal(b, v)
	}
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
}

// shoeshop simulates n customers of the shoe shop example.
func shoeshop(t testing.TB, n int) *journey.Log {
	t.Helper()
	f, err := os.Open("../../examples/shoeshop/shoeshop.json")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	m, err := journey.ReadMap(f)
	if err != nil {
		t.Fatal(err)
	}
	spec, err := simulate.FromMap(m)
	if err != nil {
		t.Fatal(err)
	}
	model, err := simulate.New(spec)
	if err != nil {
		t.Fatal(err)
	}
	l, err := model.Run(simulate.Options{Customers: n, Seed: 7, Period: 30 * 24 * time.Hour})
	if err != nil {
		t.Fatal(err)
	}
	return l
}

var (
	goal      = []string{"thank-you"}
	funnelOpt = parcoursbeam.FunnelOptions{
		Stages: []parcoursbeam.FunnelStage{
			{Steps: []string{"wants-shoes", "clicks-ad"}},
			{Name: "browse", Steps: []string{"browses-eshop"}},
			{Steps: []string{"checkout"}, Channels: []string{"web", "app"}},
			{Steps: goal},
		},
		Window:     30 * 24 * time.Hour,
		Breakdowns: []funnel.Breakdown{{By: funnel.ByChannel}},
	}
	tuning     = parcoursbeam.Tuning{BatchEvents: 700, Fanout: 3}
	routeOpt   = parcoursbeam.RouteOptions{By: journey.ByChannel, GoalSteps: goal, Tuning: tuning}
	transOpt   = parcoursbeam.TransitionOptions{Order: 2, GoalSteps: goal, Tuning: tuning}
	badLines   = []string{"c-bad-1,not a time,visit,web,,,", "c-bad-2,2025-01-02T00:00:00Z,,web,,,", "too,few"}
	csvColumns = "customer,time,step,channel,touchpoint,value"
)

// TestPipeline runs every transform over a CSV file of simulated customers
// with a few bad rows, on the local runner, and checks each result against
// the library's on the same events read on one machine: counts exactly,
// Markov attribution to 1e-9, and every bad row in the dead-letter output.
func TestPipeline(t *testing.T) {
	l := shoeshop(t, 3000)
	dir := t.TempDir()
	var csv strings.Builder
	if err := eventio.WriteCSV(&csv, l, eventio.WriteOptions{}); err != nil {
		t.Fatal(err)
	}
	header, body, _ := strings.Cut(csv.String(), "\n")
	if header != csvColumns+",persona" {
		t.Fatalf("header %q, want %q", header, csvColumns+",persona")
	}
	// Two files, each with the header, the bad rows in the second.
	rows := strings.Split(strings.TrimSuffix(body, "\n"), "\n")
	half := len(rows) / 2
	files := [][]string{rows[:half], append(slices.Clone(rows[half:]), badLines...)}
	for i, f := range files {
		data := header + "\n" + strings.Join(f, "\n") + "\n"
		if err := os.WriteFile(filepath.Join(dir, "events-"+string(rune('a'+i))+".csv"), []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	badDir := filepath.Join(dir, "bad")
	if err := os.Mkdir(badDir, 0o755); err != nil {
		t.Fatal(err)
	}
	out := func(name string) string { return filepath.Join(dir, name) }

	p, s := beam.NewPipelineWithRoot()
	events, bad, err := parcoursbeam.ReadCSV(s, filepath.Join(dir, "events-*.csv"), parcoursbeam.CSVOptions{})
	if err != nil {
		t.Fatal(err)
	}
	beam.ParDo0(s, &writeBadFn{Dir: badDir}, bad)
	grouped := parcoursbeam.GroupByCustomer(s, events)
	beam.ParDo0(s, &writeFn{out("variants")}, parcoursbeam.Variants(s, grouped, parcoursbeam.VariantsOptions{Tuning: tuning}))
	beam.ParDo0(s, &writeFn{out("follows")}, parcoursbeam.DirectlyFollows(s, grouped, parcoursbeam.FollowsOptions{By: journey.ByChannel}))
	beam.ParDo0(s, &writeFn{out("counts")}, parcoursbeam.TransitionCounts(s, grouped, transOpt))
	beam.ParDo0(s, &writeFn{out("table")}, parcoursbeam.RouteTable(s, grouped, routeOpt))
	beam.ParDo0(s, &writeFn{out("funnel")}, parcoursbeam.Funnel(s, grouped, funnelOpt))
	if err := ptest.Run(p); err != nil {
		t.Fatal(err)
	}

	// The same events, read on one machine.
	whole, err := eventio.ReadCSV(strings.NewReader(csv.String()), eventio.ReadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if whole.Len() != l.Len() || whole.Len() < 10000 {
		t.Fatalf("%d events read back, %d simulated", whole.Len(), l.Len())
	}

	t.Run("bad rows", func(t *testing.T) {
		names, _ := filepath.Glob(filepath.Join(badDir, "*.json"))
		var got []string
		for _, n := range names {
			var b parcoursbeam.BadRow
			read(t, n, &b)
			if b.Error == "" {
				t.Errorf("bad row %q without its error", b.Row)
			}
			got = append(got, b.Row)
		}
		slices.Sort(got)
		want := slices.Sorted(slices.Values(badLines))
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("dead letters (-want +got):\n%s", diff)
		}
	})
	t.Run("variants", func(t *testing.T) {
		want, _ := paths.CountVariants(whole, paths.Options{})
		var got paths.Variants
		read(t, out("variants"), &got)
		if got.Len() < 10 {
			t.Fatalf("only %d routes", got.Len())
		}
		if diff := cmp.Diff(want.List(), got.List()); diff != "" {
			t.Errorf("(-one machine +pipeline):\n%s", diff)
		}
		sum := 0
		for _, v := range got.List() {
			sum += v.Customers
		}
		if sum != whole.Customers() {
			t.Errorf("routes of %d customers, want %d", sum, whole.Customers())
		}
	})
	t.Run("directly follows", func(t *testing.T) {
		want, _ := paths.CountFollows(whole, paths.Options{By: journey.ByChannel})
		var got paths.Follows
		read(t, out("follows"), &got)
		if len(got.List()) == 0 {
			t.Fatal("no pair")
		}
		if diff := cmp.Diff(want.List(), got.List()); diff != "" {
			t.Errorf("(-one machine +pipeline):\n%s", diff)
		}
	})
	t.Run("transition counts", func(t *testing.T) {
		want, err := journey.Learn(whole, journey.LearnOptions{Order: 2, GoalSteps: goal})
		if err != nil {
			t.Fatal(err)
		}
		var counts graph.Counts
		read(t, out("counts"), &counts)
		got, err := counts.Graph()
		if err != nil {
			t.Fatal(err)
		}
		if got.Order() != 2 || got.NumTransitions() != want.NumTransitions() || got.NumTransitions() < 10 {
			t.Fatalf("order %d, %d transitions; want order 2, %d", got.Order(), got.NumTransitions(), want.NumTransitions())
		}
		for tr := range want.Transitions() {
			if w, g := want.Weight(tr.From, tr.To), got.Weight(tr.From, tr.To); w != g {
				t.Errorf("%s -> %s: weight %v, want %v", tr.From, tr.To, g, w)
			}
		}
		if w, g := want.Absorption(graph.Start, graph.Conversion), got.Absorption(graph.Start, graph.Conversion); math.Abs(w-g) > 1e-12 {
			t.Errorf("conversion probability %v, want %v", g, w)
		}
	})
	t.Run("route table", func(t *testing.T) {
		fromLog := attribution.FromLogOptions{By: journey.ByChannel, GoalSteps: goal}
		rows, err := attribution.FromLog(whole, fromLog)
		if err != nil {
			t.Fatal(err)
		}
		var table attribution.Table
		read(t, out("table"), &table)
		sortRows := func(r []attribution.Row) []attribution.Row {
			r = slices.Clone(r)
			slices.SortFunc(r, func(a, b attribution.Row) int { return slices.Compare(a.Touches, b.Touches) })
			return r
		}
		if diff := cmp.Diff(sortRows(rows), sortRows(table.Rows())); diff != "" {
			t.Errorf("rows (-one machine +pipeline):\n%s", diff)
		}
		want, err := attribution.Markov(rows, attribution.MarkovOptions{})
		if err != nil {
			t.Fatal(err)
		}
		chain, err := table.MarkovChain(attribution.MarkovOptions{})
		if err != nil {
			t.Fatal(err)
		}
		got, err := chain.Result()
		if err != nil {
			t.Fatal(err)
		}
		if len(want) < 3 || len(got) != len(want) {
			t.Fatalf("%d touches credited, want %d", len(got), len(want))
		}
		for touch, w := range want {
			g, ok := got[touch]
			if !ok || math.Abs(g.Conversions-w.Conversions) > 1e-9 || math.Abs(g.RemovalEffect-w.RemovalEffect) > 1e-9 || math.Abs(g.Value-w.Value) > 1e-9 {
				t.Errorf("%s: %+v, want %+v", touch, g, w)
			}
		}
	})
	t.Run("funnel", func(t *testing.T) {
		f, err := funnelOpt.Funnel()
		if err != nil {
			t.Fatal(err)
		}
		want, err := f.Analyze(whole, funnel.Options{Breakdowns: funnelOpt.Breakdowns})
		if err != nil {
			t.Fatal(err)
		}
		var got funnel.Report
		read(t, out("funnel"), &got)
		if got.Customers != whole.Customers() || got.Stages[len(got.Stages)-1].Reached == 0 {
			t.Fatalf("%d customers, %d converted; want %d customers", got.Customers, got.Stages[len(got.Stages)-1].Reached, whole.Customers())
		}
		wj, _ := json.Marshal(want)
		gj, _ := json.Marshal(&got)
		if string(wj) != string(gj) {
			t.Errorf("reports differ:\none machine %s\npipeline    %s", wj, gj)
		}
	})
}

// TestBadRowsFail checks that FailOnBadRows stops the pipeline at a bad
// row, naming it.
func TestBadRowsFail(t *testing.T) {
	p, s := beam.NewPipelineWithRoot()
	lines := beam.CreateList(s, []string{csvColumns, "c1,2025-01-01T00:00:00Z,visit,web,,", "c-bad-1,not a time,visit,web,,"})
	events, bad := parcoursbeam.ParseCSV(s, lines, parcoursbeam.CSVOptions{Header: csvColumns})
	parcoursbeam.FailOnBadRows(s, bad)
	beam.ParDo0(s, &writeFn{filepath.Join(t.TempDir(), "v")}, parcoursbeam.Variants(s, parcoursbeam.GroupByCustomer(s, events), parcoursbeam.VariantsOptions{}))
	err := ptest.Run(p)
	if err == nil || !strings.Contains(err.Error(), "c-bad-1") {
		t.Fatalf("got %v, want the pipeline to fail on the bad row", err)
	}
}

// TestIncompatibleMerge checks that counts of another order do not merge
// silently: the CombineFn returns the core's error.
func TestIncompatibleMerge(t *testing.T) {
	c := parcoursbeam.TransitionsCombine{Opt: parcoursbeam.TransitionOptions{Order: 2}}
	a, err := c.CreateAccumulator()
	if err != nil {
		t.Fatal(err)
	}
	other := &graph.Counts{Order: 1}
	other.AddPath([]string{"a"}, graph.Exit, 1)
	if _, err := c.MergeAccumulators(a, other); err == nil {
		t.Fatal("counts of order 1 merged into counts of order 2")
	}
	r := parcoursbeam.RoutesCombine{Opt: parcoursbeam.RouteOptions{GoalSteps: []string{"buy"}}}
	ta, err := r.CreateAccumulator()
	if err != nil {
		t.Fatal(err)
	}
	tb, err := parcoursbeam.RoutesCombine{Opt: parcoursbeam.RouteOptions{GoalSteps: []string{"signup"}}}.CreateAccumulator()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := r.MergeAccumulators(ta, tb); !errors.Is(err, attribution.ErrIncompatible) {
		t.Fatalf("tables of two goals: got %v, want ErrIncompatible", err)
	}
}

// TestNoEvents checks that a transform over no customer still gives one
// result, the empty one, rather than nothing.
func TestNoEvents(t *testing.T) {
	p, s := beam.NewPipelineWithRoot()
	lines := beam.CreateList(s, []string{csvColumns})
	events, bad := parcoursbeam.ParseCSV(s, lines, parcoursbeam.CSVOptions{Header: csvColumns})
	parcoursbeam.FailOnBadRows(s, bad)
	path := filepath.Join(t.TempDir(), "counts")
	opt := parcoursbeam.TransitionOptions{Order: 3}
	beam.ParDo0(s, &writeFn{path}, parcoursbeam.TransitionCounts(s, parcoursbeam.GroupByCustomer(s, events), opt))
	if err := ptest.Run(p); err != nil {
		t.Fatal(err)
	}
	var got graph.Counts
	read(t, path, &got)
	if got.Len() != 0 || got.Order != 3 {
		t.Fatalf("%d transitions of order %d, want none of order 3", got.Len(), got.Order)
	}
}
