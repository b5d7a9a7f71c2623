package attribution_test

import (
	"errors"
	"math"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/parcours-go/parcours/journey/attribution"
)

// worked is the route table of the research notes' worked example (§6):
// 6 conversions, 6 nulls, value 70.
func worked() []attribution.Row {
	return []attribution.Row{
		{Touches: []string{"A", "B"}, Conversions: 3, Nulls: 1, Value: 30},
		{Touches: []string{"A", "A", "C"}, Conversions: 1, Nulls: 1, Value: 20},
		{Touches: []string{"B"}, Conversions: 1, Nulls: 3, Value: 5},
		{Touches: []string{"C", "B"}, Conversions: 1, Nulls: 1, Value: 15},
	}
}

// zhao is the converting journeys of the notes' Shapley example (§3.5), 7
// conversions, each worth 10.
func zhao() []attribution.Row {
	j := func(conv float64, touches ...string) attribution.Row {
		return attribution.Row{Touches: touches, Conversions: conv, Value: 10 * conv}
	}
	return []attribution.Row{
		j(2, "A"), j(1, "A", "B"), j(1, "B", "A"), j(1, "B", "C"), j(1, "A", "B", "C"), j(1, "C"),
	}
}

// approx compares floats to 1e-12, relatively.
var approx = cmpopts.EquateApprox(1e-12, 1e-12)

// models are every model that takes a route table, for the tests that
// check what all of them must do.
var models = []struct {
	name  string
	model attribution.Model
}{
	{"first touch", attribution.FirstTouch},
	{"last touch", attribution.LastTouch},
	{"linear", attribution.Linear},
	{"position based 40/40", func(js []attribution.Row) (attribution.Result, error) {
		return attribution.PositionBased(js, 0.4, 0.4)
	}},
	{"position based 30/60", func(js []attribution.Row) (attribution.Result, error) {
		return attribution.PositionBased(js, 0.3, 0.6)
	}},
	{"shapley", func(js []attribution.Row) (attribution.Result, error) {
		return attribution.Shapley(js, attribution.ShapleyOptions{})
	}},
	{"ordered shapley", func(js []attribution.Row) (attribution.Result, error) {
		return attribution.Shapley(js, attribution.ShapleyOptions{Ordered: true})
	}},
	{"ordered shapley split", func(js []attribution.Row) (attribution.Result, error) {
		return attribution.Shapley(js, attribution.ShapleyOptions{Ordered: true, Repeats: attribution.SplitOccurrences})
	}},
	{"markov order 1", markovModel(1, false)},
	{"markov order 2", markovModel(2, false)},
	{"markov order 3", markovModel(3, false)},
	{"markov order 1 keeping repeats", markovModel(1, true)},
	{"markov order 2 keeping repeats", markovModel(2, true)},
	{"markov order 3 keeping repeats", markovModel(3, true)},
}

// markovModel is the Markov model of the given order as a Model.
func markovModel(order int, keepRepeats bool) attribution.Model {
	return func(js []attribution.Row) (attribution.Result, error) {
		return attribution.Markov(js, attribution.MarkovOptions{Order: order, KeepRepeats: keepRepeats})
	}
}

type credit = attribution.Credit

func TestModelsOnWorkedExamples(t *testing.T) {
	pos := attribution.PositionKey
	tests := []struct {
		name   string
		reason string
		model  attribution.Model
		js     []attribution.Row
		want   attribution.Result
	}{
		{
			name:   "first touch",
			reason: "notes §6.4: A starts 4 converting journeys worth 50",
			model:  attribution.FirstTouch, js: worked(),
			want: attribution.Result{"A": {Conversions: 4, Value: 50}, "B": {Conversions: 1, Value: 5}, "C": {Conversions: 1, Value: 15}},
		},
		{
			name:   "last touch",
			reason: "notes §6.4: A ends no journey but is on converting routes, so it is listed with 0",
			model:  attribution.LastTouch, js: worked(),
			want: attribution.Result{"A": {}, "B": {Conversions: 5, Value: 50}, "C": {Conversions: 1, Value: 20}},
		},
		{
			name:   "linear",
			reason: "notes §6.4: per touch, so the repeated A of A > A > C earns 2/3",
			model:  attribution.Linear, js: worked(),
			want: attribution.Result{
				"A": {Conversions: 13.0 / 6, Value: 85.0 / 3},
				"B": {Conversions: 3, Value: 55.0 / 2},
				"C": {Conversions: 5.0 / 6, Value: 85.0 / 6},
			},
		},
		{
			name:   "position based",
			reason: "notes §4.1: two touches split 0.5/0.5; A > A > C gives A 0.4 + 0.2 and C 0.4",
			model: func(js []attribution.Row) (attribution.Result, error) {
				return attribution.PositionBased(js, 0.4, 0.4)
			},
			js: worked(),
			want: attribution.Result{
				"A": {Conversions: 1.5 + 0.6, Value: 15 + 12},
				"B": {Conversions: 1.5 + 1 + 0.5, Value: 15 + 5 + 7.5},
				"C": {Conversions: 0.4 + 0.5, Value: 8 + 7.5},
			},
		},
		{
			name:   "position based, first only",
			reason: "first = 1 is first touch; a two-touch route splits 1:0",
			model: func(js []attribution.Row) (attribution.Result, error) {
				return attribution.PositionBased(js, 1, 0)
			},
			js:   worked(),
			want: attribution.Result{"A": {Conversions: 4, Value: 50}, "B": {Conversions: 1, Value: 5}, "C": {Conversions: 1, Value: 15}},
		},
		{
			name:   "position based, middle only",
			reason: "first = last = 0: two-touch routes split equally, longer ones go to their middle",
			model: func(js []attribution.Row) (attribution.Result, error) {
				return attribution.PositionBased(js, 0, 0)
			},
			js: worked(),
			want: attribution.Result{
				"A": {Conversions: 1.5 + 1, Value: 15 + 20},
				"B": {Conversions: 1.5 + 1 + 0.5, Value: 15 + 5 + 7.5},
				"C": {Conversions: 0.5, Value: 7.5},
			},
		},
		{
			name:   "shapley",
			reason: "notes §6.4: distinct touches share equally, so A > A > C gives A and C 1/2",
			model: func(js []attribution.Row) (attribution.Result, error) {
				return attribution.Shapley(js, attribution.ShapleyOptions{})
			},
			js: worked(),
			want: attribution.Result{
				"A": {Conversions: 2, Value: 25},
				"B": {Conversions: 3, Value: 27.5},
				"C": {Conversions: 1, Value: 17.5},
			},
		},
		{
			name:   "shapley, Zhao example",
			reason: "notes §3.5: φ_A = 10/3, φ_B = φ_C = 11/6, checked there against the full coalition sum",
			model: func(js []attribution.Row) (attribution.Result, error) {
				return attribution.Shapley(js, attribution.ShapleyOptions{})
			},
			js: zhao(),
			want: attribution.Result{
				"A": {Conversions: 10.0 / 3, Value: 100.0 / 3},
				"B": {Conversions: 11.0 / 6, Value: 110.0 / 6},
				"C": {Conversions: 11.0 / 6, Value: 110.0 / 6},
			},
		},
		{
			name:   "ordered shapley, Zhao example",
			reason: "notes §3.5's table: A 17/6 at 1 and 1/2 at 2; B 1 and 5/6; C 1, 1/2, 1/3",
			model: func(js []attribution.Row) (attribution.Result, error) {
				return attribution.Shapley(js, attribution.ShapleyOptions{Ordered: true})
			},
			js: zhao(),
			want: attribution.Result{
				pos("A", 1): {Conversions: 17.0 / 6, Value: 170.0 / 6},
				pos("A", 2): {Conversions: 0.5, Value: 5},
				pos("B", 1): {Conversions: 1, Value: 10},
				pos("B", 2): {Conversions: 5.0 / 6, Value: 50.0 / 6},
				pos("C", 1): {Conversions: 1, Value: 10},
				pos("C", 2): {Conversions: 0.5, Value: 5},
				pos("C", 3): {Conversions: 1.0 / 3, Value: 10.0 / 3},
			},
		},
		{
			name:   "ordered shapley, first occurrence",
			reason: "A > A > C has positions A 1, C 2 once its repeat is removed",
			model: func(js []attribution.Row) (attribution.Result, error) {
				return attribution.Shapley(js, attribution.ShapleyOptions{Ordered: true})
			},
			js: worked(),
			want: attribution.Result{
				pos("A", 1): {Conversions: 1.5 + 0.5, Value: 15 + 10},
				pos("B", 1): {Conversions: 1, Value: 5},
				pos("B", 2): {Conversions: 1.5 + 0.5, Value: 15 + 7.5},
				pos("C", 1): {Conversions: 0.5, Value: 7.5},
				pos("C", 2): {Conversions: 0.5, Value: 10},
			},
		},
		{
			name:   "ordered shapley, split occurrences",
			reason: "A > A > C: A's half splits over positions 1 and 2, C's half stays at 3",
			model: func(js []attribution.Row) (attribution.Result, error) {
				return attribution.Shapley(js, attribution.ShapleyOptions{Ordered: true, Repeats: attribution.SplitOccurrences})
			},
			js: worked(),
			want: attribution.Result{
				pos("A", 1): {Conversions: 1.5 + 0.25, Value: 15 + 5},
				pos("A", 2): {Conversions: 0.25, Value: 5},
				pos("B", 1): {Conversions: 1, Value: 5},
				pos("B", 2): {Conversions: 1.5 + 0.5, Value: 15 + 7.5},
				pos("C", 1): {Conversions: 0.5, Value: 7.5},
				pos("C", 3): {Conversions: 0.5, Value: 10},
			},
		},
		{
			name:   "ordered shapley, A > B > A first occurrence",
			reason: "notes §3.4 reading (a)",
			model: func(js []attribution.Row) (attribution.Result, error) {
				return attribution.Shapley(js, attribution.ShapleyOptions{Ordered: true})
			},
			js:   []attribution.Row{{Touches: []string{"A", "B", "A"}, Conversions: 1}},
			want: attribution.Result{pos("A", 1): {Conversions: 0.5}, pos("B", 2): {Conversions: 0.5}},
		},
		{
			name:   "ordered shapley, A > B > A split",
			reason: "notes §3.4 reading (b)",
			model: func(js []attribution.Row) (attribution.Result, error) {
				return attribution.Shapley(js, attribution.ShapleyOptions{Ordered: true, Repeats: attribution.SplitOccurrences})
			},
			js:   []attribution.Row{{Touches: []string{"A", "B", "A"}, Conversions: 1}},
			want: attribution.Result{pos("A", 1): {Conversions: 0.25}, pos("B", 2): {Conversions: 0.5}, pos("A", 3): {Conversions: 0.25}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := tt.model(tt.js)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, got, approx); diff != "" {
				t.Errorf("%s\n(-want +got):\n%s", tt.reason, diff)
			}
		})
	}
}

func TestBadRows(t *testing.T) {
	tests := []struct {
		name   string
		reason string
		j      attribution.Row
		want   error
	}{
		{"empty route", "a journey must have a touch", attribution.Row{Conversions: 1}, attribution.ErrEmptyRoute},
		{"empty route without customers", "even a row of zeros needs a route", attribution.Row{Touches: []string{}}, attribution.ErrEmptyRoute},
		{"negative conversions", "counts are at least 0", attribution.Row{Touches: []string{"a"}, Conversions: -1}, attribution.ErrBadCount},
		{"NaN nulls", "NaN is not a count", attribution.Row{Touches: []string{"a"}, Nulls: math.NaN()}, attribution.ErrBadCount},
		{"infinite conversions", "counts are finite", attribution.Row{Touches: []string{"a"}, Conversions: math.Inf(1)}, attribution.ErrBadCount},
		{"negative value", "values are at least 0", attribution.Row{Touches: []string{"a"}, Conversions: 1, Value: -3}, attribution.ErrBadCount},
		{"value without conversion", "only conversions carry value", attribution.Row{Touches: []string{"a"}, Nulls: 2, Value: 3}, attribution.ErrBadCount},
	}
	for _, tt := range tests {
		for _, m := range models {
			t.Run(tt.name+"/"+m.name, func(t *testing.T) {
				js := append(worked(), tt.j)
				r, err := m.model(js)
				if !errors.Is(err, tt.want) {
					t.Fatalf("%s: error %v, want %v", tt.reason, err, tt.want)
				}
				if r != nil {
					t.Errorf("result %v with an error", r)
				}
				if want := "rows[4]"; !strings.Contains(err.Error(), want) {
					t.Errorf("error %q does not name %s", err, want)
				}
			})
		}
	}
}

func TestBadOptions(t *testing.T) {
	js := worked()
	tests := []struct {
		name        string
		reason      string
		first, last float64
	}{
		{"sum over 1", "the first and last shares cannot exceed the whole", 0.7, 0.4},
		{"negative", "shares are at least 0", -0.1, 0.4},
		{"NaN", "NaN is not a share", math.NaN(), 0.4},
		{"over 1", "a share is at most 1", 1.5, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := attribution.PositionBased(js, tt.first, tt.last); !errors.Is(err, attribution.ErrBadOption) {
				t.Errorf("%s: error %v, want ErrBadOption", tt.reason, err)
			}
		})
	}
	if _, err := attribution.Shapley(js, attribution.ShapleyOptions{Ordered: true, Repeats: 9}); !errors.Is(err, attribution.ErrBadOption) {
		t.Errorf("unknown Repeats: error %v, want ErrBadOption", err)
	}
}

func TestErrorListsAtMost20(t *testing.T) {
	js := make([]attribution.Row, 30)
	_, err := attribution.Linear(js)
	if err == nil {
		t.Fatal("no error for 30 empty routes")
	}
	msg := err.Error()
	if !strings.Contains(msg, "rows[19]") || strings.Contains(msg, "rows[20]") || !strings.Contains(msg, "10 more bad rows") {
		t.Errorf("error does not list the first 20 and count the rest:\n%s", msg)
	}
}

func TestEmptyTable(t *testing.T) {
	for _, m := range models {
		t.Run(m.name, func(t *testing.T) {
			for _, js := range [][]attribution.Row{nil, {{Touches: []string{"a"}, Nulls: 5}}} {
				r, err := m.model(js)
				if err != nil {
					t.Fatal(err)
				}
				if len(r) != 0 {
					t.Errorf("no conversion, but result %v", r)
				}
			}
		})
	}
}

func TestPositionKey(t *testing.T) {
	tests := []struct {
		key   string
		touch string
		pos   int
		ok    bool
	}{
		{"email@2", "email", 2, true},
		{"a@b@13", "a@b", 13, true},
		{"@1", "", 1, true},
		{"email", "", 0, false},
		{"email@", "", 0, false},
		{"email@0", "", 0, false},
		{"email@+2", "", 0, false},
		{"email@x", "", 0, false},
	}
	for _, tt := range tests {
		touch, pos, ok := attribution.SplitPositionKey(tt.key)
		if touch != tt.touch || pos != tt.pos || ok != tt.ok {
			t.Errorf("SplitPositionKey(%q) = %q, %d, %v, want %q, %d, %v", tt.key, touch, pos, ok, tt.touch, tt.pos, tt.ok)
		}
		if ok && attribution.PositionKey(touch, pos) != tt.key {
			t.Errorf("PositionKey(%q, %d) = %q, want %q", touch, pos, attribution.PositionKey(touch, pos), tt.key)
		}
	}
}

func TestResultTouches(t *testing.T) {
	r, err := attribution.Linear(worked())
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"A", "B", "C"}, r.Touches()); diff != "" {
		t.Errorf("Touches (-want +got):\n%s", diff)
	}
}
