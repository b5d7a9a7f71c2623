package attribution

import (
	"fmt"
	"math/big"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/parcours-go/parcours/internal/benchlog"
	"github.com/parcours-go/parcours/internal/gen"
	"github.com/parcours-go/parcours/journey"
)

// naiveFromLog is FromLog written the plain way, from whole events and
// string routes, as a reference for the fast one.
func naiveFromLog(t *testing.T, l *journey.Log, opt FromLogOptions) []Row {
	t.Helper()
	isGoal := func(e journey.Event) bool {
		return slices.Contains(opt.GoalSteps, e.Step) || opt.Goal != nil && opt.Goal(e)
	}
	touch := func(e journey.Event) string {
		switch opt.By {
		case journey.ByChannel:
			return string(e.Channel)
		case journey.ByTouchpoint:
			return e.Touchpoint
		}
		return e.Step
	}
	rows := map[string]*Row{}
	values := map[string]*big.Float{} // exact sums
	add := func(evs []journey.Event, end time.Time, converted bool, value float64) {
		var route []string
		for _, e := range evs {
			if opt.Lookback > 0 && end.Sub(e.Time) > opt.Lookback {
				continue
			}
			if s := touch(e); s != "" {
				route = append(route, s)
			}
		}
		if len(route) == 0 {
			if opt.EmptyRoute == "" {
				return
			}
			route = []string{opt.EmptyRoute}
		}
		k := strings.Join(route, "\x00")
		j := rows[k]
		if j == nil {
			j = &Row{Touches: route}
			rows[k] = j
			values[k] = new(big.Float).SetPrec(2000)
		}
		if converted {
			j.Conversions++
			values[k].Add(values[k], big.NewFloat(value))
			j.Value, _ = values[k].Float64()
		} else {
			j.Nulls++
		}
	}
	for p := range l.Paths() {
		from := 0
		done := false
		for i, e := range p.Events {
			if isGoal(e) {
				add(p.Events[from:i], e.Time, true, e.Value)
				from = i + 1
				if !opt.EveryGoal {
					done = true
					break
				}
			}
		}
		if !done && from < len(p.Events) && !opt.ConvertingOnly {
			add(p.Events[from:], p.Events[len(p.Events)-1].Time, false, 0)
		}
	}
	out := make([]Row, 0, len(rows))
	for _, j := range rows {
		out = append(out, *j)
	}
	slices.SortFunc(out, func(a, b Row) int { return slices.Compare(a.Touches, b.Touches) })
	return out
}

func genLog(t testing.TB, customers int, seed uint64) *journey.Log {
	t.Helper()
	l := benchlog.Log(t, gen.Options{Customers: customers, Seed: seed, Convert: 0.2, MaxPath: 8})
	return l
}

func TestFromLogAgreesWithNaive(t *testing.T) {
	l := genLog(t, 3000, 7)
	purchase := []string{gen.Purchase}
	tests := []struct {
		name string
		opt  FromLogOptions
	}{
		{"by step", FromLogOptions{GoalSteps: purchase}},
		{"by channel", FromLogOptions{By: journey.ByChannel, GoalSteps: purchase}},
		{"by touchpoint", FromLogOptions{By: journey.ByTouchpoint, GoalSteps: purchase}},
		{"goal func", FromLogOptions{By: journey.ByChannel, Goal: func(e journey.Event) bool { return e.Step == "cart" }}},
		{"every goal", FromLogOptions{By: journey.ByChannel, GoalSteps: []string{"cart"}, EveryGoal: true}},
		{"lookback", FromLogOptions{By: journey.ByChannel, GoalSteps: purchase, Lookback: 30 * time.Hour}},
		{"every goal lookback", FromLogOptions{By: journey.ByChannel, GoalSteps: []string{"cart", gen.Purchase}, EveryGoal: true, Lookback: 10 * time.Hour}},
		{"empty route", FromLogOptions{By: journey.ByChannel, GoalSteps: []string{"visit"}, EmptyRoute: "(direct)"}},
		{"converting only", FromLogOptions{By: journey.ByChannel, GoalSteps: purchase, ConvertingOnly: true}},
	}
	for _, tt := range tests {
		for _, workers := range []int{1, 2, 3} {
			t.Run(fmt.Sprintf("%s/workers=%d", tt.name, workers), func(t *testing.T) {
				opt := tt.opt
				opt.Workers = workers
				got, err := FromLog(l, opt)
				if err != nil {
					t.Fatal(err)
				}
				want := naiveFromLog(t, l, opt)
				if diff := cmp.Diff(want, got); diff != "" {
					t.Errorf("FromLog (-naive +got):\n%s", diff)
				}
			})
		}
	}
}

func TestFromLogAgreesWithNaiveLarge(t *testing.T) {
	if testing.Short() {
		t.Skip("large")
	}
	l := benchlog.Log(t, gen.Options{Customers: 200000, Seed: 1})
	opt := FromLogOptions{By: journey.ByChannel, GoalSteps: []string{gen.Purchase}, Workers: 1}
	got, err := FromLog(l, opt)
	if err != nil {
		t.Fatal(err)
	}
	want := naiveFromLog(t, l, opt)
	t.Logf("%d routes", len(got))
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("FromLog (-naive +got):\n%s", diff)
	}
}
