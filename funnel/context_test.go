package funnel_test

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/parcours-go/parcours/funnel"
	"github.com/parcours-go/parcours/journey"
)

// TestAnalyzeContext checks that a done context stops Analyze with its
// error, and that a live one changes nothing.
func TestAnalyzeContext(t *testing.T) {
	t0 := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	var evs []journey.Event
	for c := range 10000 {
		for k, s := range []string{"visit", "cart", "buy"}[:1+c%3] {
			evs = append(evs, journey.Event{Customer: fmt.Sprint(c), Time: t0.Add(time.Duration(k) * time.Hour), Step: s})
		}
	}
	l, err := journey.NewLog(evs)
	if err != nil {
		t.Fatal(err)
	}
	f := funnel.Funnel{Stages: []funnel.Stage{funnel.Step("visit"), funnel.Step("cart"), funnel.Step("buy")}, Window: 24 * time.Hour}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	for _, w := range []int{1, 2} {
		rep, err := f.Analyze(l, funnel.Options{Context: ctx, Workers: w})
		if !errors.Is(err, context.Canceled) || rep != nil {
			t.Errorf("%d workers, cancelled: %v, %v; want context.Canceled and no report", w, rep, err)
		}
	}
	rep, err := f.Analyze(l, funnel.Options{Context: context.Background()})
	if err != nil {
		t.Fatal(err)
	}
	// Customers c with c%3 = 0 (3,334 of them) stop after the visit, those
	// with c%3 = 1 (3,333) after the cart.
	if got := []int{rep.Stages[0].Reached, rep.Stages[1].Reached, rep.Stages[2].Reached}; got[0] != 10000 || got[1] != 6666 || got[2] != 3333 {
		t.Errorf("reached %v, want [10000 6666 3333]", got)
	}
}
