package attribution_test

import (
	"context"
	"errors"
	"sync/atomic"
	"testing"

	"github.com/parcours-go/parcours/internal/benchlog"
	"github.com/parcours-go/parcours/internal/gen"
	"github.com/parcours-go/parcours/journey"
	"github.com/parcours-go/parcours/journey/attribution"
)

// TestCancelled gives every long computation an already-cancelled
// Context, and wants context.Canceled back and no result.
func TestCancelled(t *testing.T) {
	l := benchlog.Log(t, gen.Options{Customers: 2000, Seed: 4})
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	from := attribution.FromLogOptions{By: journey.ByChannel, GoalSteps: []string{gen.Purchase}}
	rows, err := attribution.FromLog(l, from)
	if err != nil {
		t.Fatal(err)
	}
	counted, err := attribution.CountLog(l, from)
	if err != nil {
		t.Fatal(err)
	}
	chain, err := counted.MarkovChain(attribution.MarkovOptions{Context: ctx})
	if !errors.Is(err, context.Canceled) || chain != nil {
		t.Errorf("Table.MarkovChain: %v, want context.Canceled and no chain", err)
	}
	cancelled := from
	cancelled.Context = ctx
	withGoal := cancelled
	withGoal.GoalSteps, withGoal.Goal = nil, func(e journey.Event) bool { return e.Step == gen.Purchase }

	tests := []struct {
		name string
		run  func() (any, error)
	}{
		{"FromLog", func() (any, error) { return attribution.FromLog(l, cancelled) }},
		{"FromLog with a Goal", func() (any, error) { return attribution.FromLog(l, withGoal) }},
		{"CountLog", func() (any, error) { return attribution.CountLog(l, cancelled) }},
		{"TimeDecay", func() (any, error) {
			return attribution.TimeDecay(l, attribution.TimeDecayOptions{FromLogOptions: cancelled})
		}},
		{"Markov", func() (any, error) { return attribution.Markov(rows, attribution.MarkovOptions{Context: ctx}) }},
		{"Markov order 3", func() (any, error) {
			return attribution.Markov(rows, attribution.MarkovOptions{Order: 3, Context: ctx})
		}},
		{"NewMarkovChain", func() (any, error) {
			return attribution.NewMarkovChain(rows, attribution.MarkovOptions{Context: ctx})
		}},
		{"MarkovLog", func() (any, error) {
			return attribution.MarkovLog(l, from, attribution.MarkovOptions{Context: ctx})
		}},
		{"Shapley", func() (any, error) { return attribution.Shapley(rows, attribution.ShapleyOptions{Context: ctx}) }},
		{"ordered Shapley", func() (any, error) {
			return attribution.Shapley(rows, attribution.ShapleyOptions{Ordered: true, Context: ctx})
		}},
		{"Bootstrap", func() (any, error) {
			return attribution.Bootstrap(rows, attribution.Linear, attribution.BootstrapOptions{Replications: 10, Context: ctx})
		}},
		{"ChooseOrder", func() (any, error) {
			return attribution.ChooseOrder(rows, attribution.ChooseOrderOptions{MaxOrder: 3, Context: ctx})
		}},
		{"ChooseOrder in sample", func() (any, error) {
			return attribution.ChooseOrder(rows, attribution.ChooseOrderOptions{MaxOrder: 3, InSample: true, Context: ctx})
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := tt.run()
			if !errors.Is(err, context.Canceled) {
				t.Errorf("error %v, want context.Canceled", err)
			}
			if !isNil(got) {
				t.Errorf("result %v with a cancelled context, want none", got)
			}
		})
	}
}

// isNil reports whether v, a result of the functions above, is empty.
func isNil(v any) bool {
	switch x := v.(type) {
	case []attribution.Row:
		return x == nil
	case *attribution.Table:
		return x == nil
	case *attribution.MarkovChain:
		return x == nil
	case attribution.Result:
		return x == nil
	case attribution.Intervals:
		return x == nil
	case attribution.OrderChoice:
		return x.Orders == nil
	}
	return false
}

// TestCancelMidway cancels while the work runs: Bootstrap stops after the
// replication that cancels, a Goal predicate's pass over the events stops,
// and a chain learned with a Context refuses its Result once it is done.
func TestCancelMidway(t *testing.T) {
	rows := worked()
	ctx, cancel := context.WithCancel(context.Background())
	var calls atomic.Int64
	model := func(rs []attribution.Row) (attribution.Result, error) {
		if calls.Add(1) == 3 {
			cancel()
		}
		return attribution.Linear(rs)
	}
	_, err := attribution.Bootstrap(rows, model, attribution.BootstrapOptions{Replications: 10000, Workers: 1, Context: ctx})
	if !errors.Is(err, context.Canceled) {
		t.Errorf("Bootstrap: %v, want context.Canceled", err)
	}
	if n := calls.Load(); n != 3 {
		t.Errorf("Bootstrap ran the model %d times after cancelling at the 3rd, want 3", n)
	}

	l := benchlog.Log(t, gen.Options{Customers: 20000, Seed: 4})
	ctx, cancel = context.WithCancel(context.Background())
	var seen atomic.Int64
	goal := func(e journey.Event) bool {
		if seen.Add(1) == 10 {
			cancel()
		}
		return e.Step == gen.Purchase
	}
	_, err = attribution.CountLog(l, attribution.FromLogOptions{Goal: goal, Context: ctx})
	if !errors.Is(err, context.Canceled) {
		t.Errorf("CountLog: %v, want context.Canceled", err)
	}
	if n := seen.Load(); n >= int64(l.Len()) {
		t.Errorf("CountLog's goal saw all %d events after cancelling at the 10th", n)
	}

	ctx, cancel = context.WithCancel(context.Background())
	m, err := attribution.NewMarkovChain(rows, attribution.MarkovOptions{Context: ctx})
	if err != nil {
		t.Fatal(err)
	}
	cancel()
	if _, err := m.Result(); !errors.Is(err, context.Canceled) {
		t.Errorf("MarkovChain.Result after cancel: %v, want context.Canceled", err)
	}
	if _, err := m.RemovalEffect([]string{"A"}); !errors.Is(err, context.Canceled) {
		t.Errorf("MarkovChain.RemovalEffect after cancel: %v, want context.Canceled", err)
	}
}
