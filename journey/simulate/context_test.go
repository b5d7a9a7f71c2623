package simulate_test

import (
	"context"
	"errors"
	"testing"

	"github.com/parcours-go/parcours/journey/simulate"
)

// TestContext checks that a done context stops Run and Replicate with its
// error, and that a live one changes nothing.
func TestContext(t *testing.T) {
	m := must(simulate.New(simulate.Spec{Graph: loopChain(t)}))
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	for _, w := range []int{1, 2} {
		l, err := m.Run(simulate.Options{Customers: 10000, Workers: w, Context: ctx})
		if !errors.Is(err, context.Canceled) || l != nil {
			t.Errorf("%d workers, cancelled: %v; want context.Canceled and no log", w, err)
		}
	}
	if _, err := simulate.Replicate(m, simulate.ReplicateOptions{Options: simulate.Options{Customers: 100, Context: ctx}}); !errors.Is(err, context.Canceled) {
		t.Errorf("Replicate, cancelled: %v; want context.Canceled", err)
	}
	live, err := m.Run(simulate.Options{Customers: 1000, Seed: 7, Context: context.Background()})
	if err != nil {
		t.Fatal(err)
	}
	plain, err := m.Run(simulate.Options{Customers: 1000, Seed: 7})
	if err != nil {
		t.Fatal(err)
	}
	if live.Len() != plain.Len() || live.Customers() != 1000 {
		t.Errorf("with a live context: %d events, without: %d", live.Len(), plain.Len())
	}
}
