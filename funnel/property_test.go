package funnel

import (
	"flag"
	"fmt"
	"math/rand/v2"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/parcours-go/parcours/journey"
)

// randomCase draws a small funnel and one customer's events, with many
// simultaneous events, so that every rule and tie gets exercised.
func randomCase(r *rand.Rand) (Funnel, []journey.Event) {
	n := 1 + r.IntN(4)
	f := Funnel{Stages: condStages(n)}
	if r.IntN(3) > 0 {
		f.Window = time.Duration(1+r.IntN(5)) * time.Second
	}
	switch r.IntN(6) {
	case 0, 1:
		f.Order = Ordered
	case 2:
		f.Order = Strict
	case 3:
		f.Order = Consecutive
	case 4:
		f.Order = Unordered
	case 5:
		f.Order = Ordered
		f.Open = true
	}
	f.StrictOnce = r.IntN(3) == 0
	if f.Order != Unordered {
		f.StrictDedup = !f.Open && r.IntN(4) == 0
		f.StrictIncrease = r.IntN(4) == 0
		f.AllowReentry = f.Order == Strict && r.IntN(2) == 0
		for k := 1; k < n; k++ {
			if k < n-1 && r.IntN(4) == 0 {
				f.Stages[k].Optional = true
			}
			if r.IntN(4) == 0 {
				f.Stages[k].Within = time.Duration(r.IntN(3)) * time.Second
			}
		}
	}
	if !f.Open && n > 1 && r.IntN(2) == 0 {
		for range 1 + r.IntN(2) {
			from, to := 0, 0
			if f.Order != Unordered {
				from = r.IntN(n - 1)
				to = from + 1 + r.IntN(n-1-from)
			}
			name := "x" + strconv.Itoa(len(f.Exclusions))
			f.Exclusions = append(f.Exclusions, Exclusion{Stage: Stage{Name: name, Match: func(e journey.Event) bool {
				return strings.Contains(e.Touchpoint, name)
			}}, From: from, To: to})
		}
	}
	var evs []journey.Event
	for range r.IntN(*maxEvents + 1) {
		var conds []string
		for s := 1; s <= n; s++ {
			if r.IntN(3) == 0 {
				conds = append(conds, strconv.Itoa(s))
			}
		}
		step := strings.Join(conds, ",")
		if step == "" {
			step = "-"
		}
		e := journey.Event{Customer: "c", Time: time.Unix(int64(r.IntN(7)), 0), Step: step}
		for x := range f.Exclusions {
			if r.IntN(5) == 0 {
				e.Touchpoint += "x" + strconv.Itoa(x)
			}
		}
		evs = append(evs, e)
	}
	return f, evs
}

func describeCase(f Funnel, evs []journey.Event) string {
	var b strings.Builder
	fmt.Fprintf(&b, "order=%v open=%v W=%v dedup=%v inc=%v once=%v reentry=%v\n", f.Order, f.Open, f.Window, f.StrictDedup, f.StrictIncrease, f.StrictOnce, f.AllowReentry)
	for i, s := range f.Stages {
		fmt.Fprintf(&b, "  stage %d optional=%v within=%v\n", i+1, s.Optional, s.Within)
	}
	for _, x := range f.Exclusions {
		fmt.Fprintf(&b, "  exclusion %s from %d to %d\n", x.Stage.Name, x.From, x.To)
	}
	for _, e := range evs {
		fmt.Fprintf(&b, "  %d:{%s} %s\n", e.Time.Unix(), e.Step, e.Touchpoint)
	}
	return b.String()
}

// seed1 lets a run explore other cases: go test -run BruteForce -seed1=7.
var propIters = flag.Int("iters", 200000, "cases of the random property tests")

var maxEvents = flag.Int("maxev", 8, "most events of a customer in the random property tests")

var seed1 = flag.Uint64("seed1", 1, "seed of the random property tests")

func TestLevelMatchesBruteForce(t *testing.T) {
	r := rand.New(rand.NewPCG(*seed1, 2))
	iters := *propIters
	if testing.Short() {
		iters = 20000
	}
	fails := 0
	for i := range iters {
		f, evs := randomCase(r)
		if err := f.Validate(); err != nil {
			t.Fatalf("case %d: invalid funnel: %v\n%s", i, err, describeCase(f, evs))
		}
		want := bruteLevel(f, evs)
		if got := f.Level(evs); got != want {
			t.Errorf("case %d: Level = %d, brute force %d\n%s", i, got, want, describeCase(f, evs))
			if fails++; fails > 5 {
				t.FailNow()
			}
		}
	}
}
