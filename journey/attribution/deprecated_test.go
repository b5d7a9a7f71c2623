package attribution_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/parcours-go/parcours/internal/benchlog"
	"github.com/parcours-go/parcours/internal/gen"
	"github.com/parcours-go/parcours/journey"
	"github.com/parcours-go/parcours/journey/attribution"
)

// The deprecated names give what their replacements give.

func TestJourneyIsRow(t *testing.T) {
	old := []attribution.Journey{
		{Touches: []string{"A", "B"}, Conversions: 3, Nulls: 1, Value: 30},
		{Touches: []string{"B"}, Conversions: 1, Nulls: 3, Value: 5},
	}
	var rows []attribution.Row = old // the same type: old callers compile
	for name, m := range map[string]attribution.Model{
		"first": attribution.FirstTouch, "last": attribution.LastTouch, "linear": attribution.Linear,
	} {
		got, err := m(old)
		if err != nil {
			t.Fatal(err)
		}
		want, err := m(rows)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("%s (-Row +Journey):\n%s", name, diff)
		}
	}
	// FirstTouch of the table, worked by hand: A earns the first row, B the second.
	got, _ := attribution.FirstTouch(old)
	want := attribution.Result{"A": {Conversions: 3, Value: 30}, "B": {Conversions: 1, Value: 5}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("FirstTouch of []Journey (-want +got):\n%s", diff)
	}
}

func TestTableJourneysIsRows(t *testing.T) {
	var tb attribution.Table
	for _, r := range worked() {
		if err := tb.Add(r); err != nil {
			t.Fatal(err)
		}
	}
	if diff := cmp.Diff(tb.Rows(), tb.Journeys()); diff != "" {
		t.Errorf("(-Rows +Journeys):\n%s", diff)
	}
	if len(tb.Journeys()) != 4 {
		t.Errorf("%d rows, want the 4 distinct routes of the table", len(tb.Journeys()))
	}
}

func TestMarkovLogIsTheTablesChain(t *testing.T) {
	l := benchlog.Log(t, gen.Options{Customers: 3000, Seed: 9})
	from := attribution.FromLogOptions{By: journey.ByChannel, GoalSteps: []string{gen.Purchase}, Workers: 1}
	for _, order := range []int{1, 2} {
		opt := attribution.MarkovOptions{Order: order, Workers: 1}
		got, err := attribution.MarkovLog(l, from, opt)
		if err != nil {
			t.Fatal(err)
		}
		want, err := markovOfCounts(l, from, opt)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(want, got, approx); diff != "" {
			t.Errorf("order %d (-CountLog, Table.MarkovChain +MarkovLog):\n%s", order, diff)
		}
		rows, err := attribution.FromLog(l, from)
		if err != nil {
			t.Fatal(err)
		}
		want, err = attribution.Markov(rows, opt)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(want, got, approx); diff != "" {
			t.Errorf("order %d (-FromLog, Markov +MarkovLog):\n%s", order, diff)
		}
	}
}

// TestResultTotal checks the deprecated Total against the table's sums,
// which every model's credits add up to: 6 conversions worth 70 in the
// worked table.
func TestResultTotal(t *testing.T) {
	r, err := attribution.Linear(worked())
	if err != nil {
		t.Fatal(err)
	}
	var tb attribution.Table
	for _, row := range worked() {
		if err := tb.Add(row); err != nil {
			t.Fatal(err)
		}
	}
	conv, _, value := tb.Total()
	if diff := cmp.Diff(credit{Conversions: 6, Value: 70}, credit{Conversions: conv, Value: value}, approx); diff != "" {
		t.Errorf("Table.Total (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(credit{Conversions: conv, Value: value}, r.Total(), approx); diff != "" {
		t.Errorf("Result.Total (-Table.Total +Result.Total):\n%s", diff)
	}
}
