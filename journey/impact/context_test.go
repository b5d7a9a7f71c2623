package impact_test

import (
	"context"
	"errors"
	"fmt"
	"math"
	"testing"
	"time"

	"github.com/parcours-go/parcours/journey"
	"github.com/parcours-go/parcours/journey/impact"
)

// TestScoreContext checks that a done context stops the reading of the
// log with its error, and that a live one changes nothing.
func TestScoreContext(t *testing.T) {
	m := smallMap()
	t0 := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	var evs []journey.Event
	for c := range 5000 {
		for k, s := range []string{"visit", "compare", "buy"}[:1+c%3] {
			evs = append(evs, journey.Event{Customer: fmt.Sprint("c", c), Time: t0.Add(time.Duration(k) * time.Minute), Step: s})
		}
	}
	l, err := journey.NewLog(evs)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if r, err := impact.Score(m, impact.Options{Log: l, Context: ctx}); !errors.Is(err, context.Canceled) || r != nil {
		t.Errorf("cancelled: %v; want context.Canceled and no report", err)
	}
	live, err := impact.Score(m, impact.Options{Log: l, Context: context.Background()})
	if err != nil {
		t.Fatal(err)
	}
	plain, err := impact.Score(m, impact.Options{Log: l})
	if err != nil {
		t.Fatal(err)
	}
	// The customers c with c%3 = 2 buy: 1,666 of 5,000.
	if live.Objectives[0].Reach != plain.Objectives[0].Reach || math.Abs(plain.Objectives[0].Reach-1666.0/5000) > 1e-12 {
		t.Errorf("reach with a live context %v, without %v; want 1666/5000", live.Objectives[0].Reach, plain.Objectives[0].Reach)
	}
}
