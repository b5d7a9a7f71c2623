package main

import (
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/apache/beam/sdks/v2/go/pkg/beam/testing/ptest"
	"github.com/google/go-cmp/cmp"

	"github.com/parcours-go/parcours/funnel"
	"github.com/parcours-go/parcours/journey"
	"github.com/parcours-go/parcours/journey/attribution"
	"github.com/parcours-go/parcours/journey/eventio"
	"github.com/parcours-go/parcours/journey/paths"
)

func TestMain(m *testing.M) { ptest.MainWithDefault(m, "prism") }

// TestPipeline runs the example on the shoe shop's simulated customers
// of cmd/parcours's test data and checks its JSON against the library on
// one machine.
func TestPipeline(t *testing.T) {
	in := "../../../../cmd/parcours/testdata/shoeshop-events.csv"
	out := filepath.Join(t.TempDir(), "journeys.json")
	*input, *output, *steps, *window, *goal, *top = in, out, "wants-shoes|clicks-ad,browses-eshop,checkout,thank-you", "30d", "thank-you", 3
	p, err := pipeline()
	if err != nil {
		t.Fatal(err)
	}
	if err := ptest.Run(p); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(out)
	if err != nil {
		t.Fatalf("no output: %v", err)
	}
	var got Output
	if err := json.Unmarshal(b, &got); err != nil {
		t.Fatal(err)
	}

	l, err := eventio.ReadFile(in, eventio.ReadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	f := funnel.Funnel{Window: 30 * 24 * time.Hour, Stages: []funnel.Stage{
		funnel.Step("wants-shoes", "clicks-ad"), funnel.Step("browses-eshop"), funnel.Step("checkout"), funnel.Step("thank-you"),
	}}
	rep, err := f.Analyze(l, funnel.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if got.Customers != l.Customers() || got.Funnel == nil || len(got.Funnel.Stages) != 4 {
		t.Fatalf("%d customers, funnel %v; want %d customers and 4 stages", got.Customers, got.Funnel, l.Customers())
	}
	for k, st := range rep.Stages {
		if g := got.Funnel.Stages[k]; g.Reached != st.Reached || g.Dropped != st.Dropped {
			t.Errorf("stage %d: reached %d, dropped %d; want %d, %d", k, g.Reached, g.Dropped, st.Reached, st.Dropped)
		}
	}

	v, err := paths.CountVariants(l, paths.Options{})
	if err != nil {
		t.Fatal(err)
	}
	var want []Route
	for _, r := range v.List()[:3] {
		want = append(want, Route{r.Route, r.Customers})
	}
	if diff := cmp.Diff(want, got.Routes); diff != "" {
		t.Errorf("routes (-one machine +pipeline):\n%s", diff)
	}

	rows, err := attribution.FromLog(l, attribution.FromLogOptions{By: journey.ByChannel, GoalSteps: []string{"thank-you"}})
	if err != nil {
		t.Fatal(err)
	}
	res, err := attribution.Markov(rows, attribution.MarkovOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(got.Attribution.Touches) != len(res) || len(res) < 2 {
		t.Fatalf("%d touches credited, want %d", len(got.Attribution.Touches), len(res))
	}
	for _, c := range got.Attribution.Touches {
		w := res[c.Touch]
		if math.Abs(c.Conversions-w.Conversions) > 1e-9 || math.Abs(c.RemovalEffect-w.RemovalEffect) > 1e-9 {
			t.Errorf("%s: %+v, want %+v", c.Touch, c, w)
		}
	}
}

func TestParseWindow(t *testing.T) {
	for in, want := range map[string]time.Duration{"30d": 720 * time.Hour, "1d12h": 36 * time.Hour, "90m": 90 * time.Minute, "0": 0} {
		if got, err := parseWindow(in); err != nil || got != want {
			t.Errorf("%q: %v, %v; want %v", in, got, err, want)
		}
	}
	for _, in := range []string{"", "d", "-1d", "3x", "1d-2h"} {
		if _, err := parseWindow(in); err == nil {
			t.Errorf("%q accepted", in)
		}
	}
}
