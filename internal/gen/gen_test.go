package gen

import (
	"slices"
	"testing"

	"github.com/parcours-go/parcours/journey"
)

func TestGenerated(t *testing.T) {
	opt := Options{Customers: 20000, Seed: 7}
	evs := Slice(opt)
	l, err := journey.NewLog(evs)
	if err != nil {
		t.Fatal(err)
	}
	if l.Customers() != 20000 {
		t.Fatalf("%d customers", l.Customers())
	}
	mean := float64(l.Len()) / float64(l.Customers())
	if mean < 9.5 || mean > 11.5 {
		t.Errorf("mean path length %.2f, want about 10.5 (uniform 1..20)", mean)
	}
	conv := 0
	for p := range l.Paths() {
		if n := len(p.Events); n < 1 || n > 20 {
			t.Fatalf("path of %d events", n)
		}
		if p.Events[len(p.Events)-1].Step == Purchase {
			conv++
			if p.Events[len(p.Events)-1].Value <= 0 {
				t.Fatal("a purchase without value")
			}
		}
	}
	// 3% of 20000 is 600; the standard deviation is sqrt(20000·0.03·0.97) ≈ 24.
	if conv < 600-5*24 || conv > 600+5*24 {
		t.Errorf("%d converting customers, want 600 ± 120", conv)
	}
	if l.NumNames(journey.ByChannel) != 10 {
		t.Errorf("%d channels", l.NumNames(journey.ByChannel))
	}
	if !slices.EqualFunc(evs[:100], Slice(opt)[:100], func(a, b journey.Event) bool {
		return a.Customer == b.Customer && a.Time.Equal(b.Time) && a.Step == b.Step
	}) {
		t.Error("the same seed must give the same events")
	}
	byEvents := Slice(Options{Events: 1000, Seed: 1})
	if len(byEvents) < 1000 || len(byEvents) > 1020 {
		t.Errorf("Events: 1000 gave %d", len(byEvents))
	}
}
