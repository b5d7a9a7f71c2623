package attribution_test

import (
	"errors"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/parcours-go/parcours/journey/attribution"
)

// lastTwo is a table whose conversions depend on the last two touches: the
// 100 customers whose route ends a > b convert 9 times in 10, the 100
// whose route ends b > b once in 10.
func lastTwo() []attribution.Row {
	return []attribution.Row{
		{Touches: []string{"a", "b"}, Conversions: 45, Nulls: 5},
		{Touches: []string{"b", "a", "b"}, Conversions: 45, Nulls: 5},
		{Touches: []string{"b", "b"}, Conversions: 5, Nulls: 45},
		{Touches: []string{"a", "b", "b"}, Conversions: 5, Nulls: 45},
	}
}

func TestChooseOrderInSample(t *testing.T) {
	tests := []struct {
		name   string
		reason string
		js     []attribution.Row
		opt    attribution.ChooseOrderOptions
		want   attribution.OrderChoice
	}{
		{
			name: "worked example",
			reason: "notes §6.5: at order 1 every route predicts 1/2, so the ROC curve is the point (1, 1), AUC 1/2, " +
				"and 1 − (1/2)·11/(12−3−1) = 5/16; order 2 has C(4, 2) = 6 possible states for 4 routes and is skipped",
			js:  worked(),
			opt: attribution.ChooseOrderOptions{MaxOrder: 2, InSample: true},
			want: attribution.OrderChoice{
				Orders:      []attribution.OrderScore{{Order: 1, Evaluated: true, AUC: 0.5, PenalisedAUC: 5.0 / 16}, {Order: 2}},
				Recommended: 1,
				AtLimit:     true,
			},
		},
		{
			name: "conversions follow the last two touches",
			reason: "order 1 sees b last everywhere: AUC 1/2, penalised 1 − (1/2)·199/197; order 2 predicts 9/10 and 1/10, " +
				"one ROC point at (1/10, 9/10), AUC 9/10, penalised 1 − (1/10)·199/196; order 3 has 4 possible states for 4 routes",
			js:  lastTwo(),
			opt: attribution.ChooseOrderOptions{MaxOrder: 3, InSample: true},
			want: attribution.OrderChoice{
				Orders: []attribution.OrderScore{
					{Order: 1, Evaluated: true, AUC: 0.5, PenalisedAUC: 1 - 0.5*199/197},
					{Order: 2, Evaluated: true, AUC: 0.9, PenalisedAUC: 1 - 0.1*199/196},
					{Order: 3},
				},
				Recommended: 2,
				AtLimit:     true,
			},
		},
		{
			name:   "two thresholds",
			reason: "the fewest points: the highest prediction and the lowest give the same curve here",
			js:     lastTwo(),
			opt:    attribution.ChooseOrderOptions{MaxOrder: 2, InSample: true, Thresholds: 2},
			want: attribution.OrderChoice{
				Orders: []attribution.OrderScore{
					{Order: 1, Evaluated: true, AUC: 0.5, PenalisedAUC: 1 - 0.5*199/197},
					{Order: 2, Evaluated: true, AUC: 0.9, PenalisedAUC: 1 - 0.1*199/196},
				},
				Recommended: 2,
				AtLimit:     true,
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := attribution.ChooseOrder(tt.js, tt.opt)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, got, approx); diff != "" {
				t.Errorf("%s\n(-want +got):\n%s", tt.reason, diff)
			}
		})
	}
	got, err := attribution.ChooseOrder(worked(), attribution.ChooseOrderOptions{InSample: true})
	if err != nil {
		t.Fatal(err)
	}
	if len(got.Orders) != 10 || got.Recommended != 1 {
		t.Errorf("default MaxOrder: %d orders, recommended %d; want 10 and 1", len(got.Orders), got.Recommended)
	}
}

// secondOrder returns a table of routes over three touches whose
// customers convert with a probability set by the last two touches: 0.6
// after a > b, 0.05 otherwise.
func secondOrder(r *rand.Rand) []attribution.Row {
	touches := []string{"a", "b", "c"}
	var js []attribution.Row
	for range 3000 {
		route := make([]string, 1+r.IntN(6))
		for i := range route {
			route[i] = touches[r.IntN(3)]
		}
		p := 0.05
		if n := len(route); n >= 2 && route[n-2] == "a" && route[n-1] == "b" {
			p = 0.6
		}
		j := attribution.Row{Touches: route}
		for range 1 + r.IntN(10) {
			if r.Float64() < p {
				j.Conversions++
			} else {
				j.Nulls++
			}
		}
		js = append(js, j)
	}
	return js
}

func TestChooseOrderHeldOut(t *testing.T) {
	js := secondOrder(rand.New(rand.NewPCG(23, 24)))
	opt := attribution.ChooseOrderOptions{MaxOrder: 5, Seed: 7}
	got, err := attribution.ChooseOrder(js, opt)
	if err != nil {
		t.Fatal(err)
	}
	if got.Recommended != 2 {
		t.Errorf("the conversions follow the last two touches, but order %d is recommended: %+v", got.Recommended, got.Orders)
	}
	if !(got.Orders[1].AUC > got.Orders[0].AUC+0.05) {
		t.Errorf("order 2's held-out AUC %v is not clearly above order 1's %v", got.Orders[1].AUC, got.Orders[0].AUC)
	}
	if got.AtLimit {
		t.Errorf("order 2 of 5 is reported at the limit")
	}
	again, err := attribution.ChooseOrder(js, opt)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(got, again); diff != "" {
		t.Errorf("the same seed gives another choice (-first +second):\n%s", diff)
	}
	// In sample, longer windows fit the routes' own noise: AUC keeps
	// growing with the order (0.70, 0.77 … 0.85 at order 6 here), and
	// the penalty for C(n+k−1, k) states is too light to stop it.
	inSample, err := attribution.ChooseOrder(js, attribution.ChooseOrderOptions{MaxOrder: 5, InSample: true})
	if err != nil {
		t.Fatal(err)
	}
	if inSample.Recommended <= 2 {
		t.Errorf("in sample, order %d is recommended; the held-out choice is meant to differ here: %+v", inSample.Recommended, inSample.Orders)
	}
	// Routes have at most 6 touches: from order 6 on, each route's last
	// state is the whole route, and the AUC no longer changes.
	long, err := attribution.ChooseOrder(js, attribution.ChooseOrderOptions{MaxOrder: 8, Seed: 7})
	if err != nil {
		t.Fatal(err)
	}
	if o := long.Orders; !o[7].Evaluated || o[5].AUC != o[6].AUC || o[6].AUC != o[7].AUC || o[4].AUC == o[5].AUC {
		t.Errorf("AUC at orders 5 to 8: %v, %v, %v, %v; want the last three equal", o[4].AUC, o[5].AUC, o[6].AUC, o[7].AUC)
	}
	opt.Seed++
	other, err := attribution.ChooseOrder(js, opt)
	if err != nil {
		t.Fatal(err)
	}
	if other.Orders[0].AUC == got.Orders[0].AUC {
		t.Errorf("another seed holds out the same customers: AUC %v both times", got.Orders[0].AUC)
	}
}

func TestChooseOrderErrors(t *testing.T) {
	tests := []struct {
		name   string
		reason string
		js     []attribution.Row
		opt    attribution.ChooseOrderOptions
		want   error  // sentinel, or nil to match text
		text   string // in the message
	}{
		{"negative max order", "orders start at 1", worked(), attribution.ChooseOrderOptions{MaxOrder: -1}, attribution.ErrBadOption, "MaxOrder"},
		{"huge max order", "a result of a billion orders is a mistake", worked(), attribution.ChooseOrderOptions{MaxOrder: 1e9}, attribution.ErrBadOption, "MaxOrder"},
		{"hold-out of 1", "nothing would be left to learn from", worked(), attribution.ChooseOrderOptions{Holdout: 1}, attribution.ErrBadOption, "Holdout"},
		{"negative hold-out", "a share is in (0, 1)", worked(), attribution.ChooseOrderOptions{Holdout: -0.2}, attribution.ErrBadOption, "Holdout"},
		{"one threshold", "a curve needs two points", worked(), attribution.ChooseOrderOptions{Thresholds: 1}, attribution.ErrBadOption, "Thresholds"},
		{
			"weighted counts", "customers are held out one by one",
			[]attribution.Row{{Touches: []string{"a"}, Conversions: 1.5, Nulls: 1}}, attribution.ChooseOrderOptions{},
			attribution.ErrNotWhole, "rows[0]",
		},
		{
			"no nulls", "without non-converting customers there is no false positive rate",
			[]attribution.Row{{Touches: []string{"a"}, Conversions: 4}, {Touches: []string{"b"}, Conversions: 2}},
			attribution.ChooseOrderOptions{InSample: true}, nil, "0 nulls",
		},
		{"bad journey", "journeys are checked as every model checks them", []attribution.Row{{Conversions: 1}}, attribution.ChooseOrderOptions{}, attribution.ErrEmptyRoute, "rows[0]"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := attribution.ChooseOrder(tt.js, tt.opt)
			if err == nil || tt.want != nil && !errors.Is(err, tt.want) || !strings.Contains(err.Error(), tt.text) {
				t.Errorf("%s: error %v, want %v mentioning %q", tt.reason, err, tt.want, tt.text)
			}
		})
	}
	// Weighted counts are fine in sample.
	js := []attribution.Row{{Touches: []string{"a"}, Conversions: 1.5, Nulls: 1}, {Touches: []string{"b"}, Conversions: 0.5, Nulls: 2}, {Touches: []string{"a", "b"}, Nulls: 1}}
	if _, err := attribution.ChooseOrder(js, attribution.ChooseOrderOptions{InSample: true}); err != nil {
		t.Errorf("weighted counts in sample: %v", err)
	}
}
