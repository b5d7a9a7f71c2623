package funnel

import (
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/parcours-go/parcours/internal/gen"
	"github.com/parcours-go/parcours/journey"
)

// fastStages returns stages equivalent to condStages(n) for events whose
// step lists conditions from 1 to n, made with Step so that Analyze takes
// its fast path: stage i lists every step name that contains i.
func fastStages(n int, like []Stage) []Stage {
	var names []string
	for m := 1; m < 1<<n; m++ {
		var parts []string
		for s := range n {
			if m&(1<<s) != 0 {
				parts = append(parts, strconv.Itoa(s+1))
			}
		}
		names = append(names, strings.Join(parts, ","))
	}
	out := make([]Stage, n)
	for i := range out {
		var mine []string
		for _, nm := range names {
			if slices.Contains(strings.Split(nm, ","), strconv.Itoa(i+1)) {
				mine = append(mine, nm)
			}
		}
		out[i] = Step(mine...).Named(like[i].Name)
		out[i].Optional, out[i].Within = like[i].Optional, like[i].Within
	}
	return out
}

// fastExclusions are like's exclusions made with Touchpoint.
func fastExclusions(like []Exclusion) []Exclusion {
	out := slices.Clone(like)
	for i := range out {
		name := out[i].Stage.Name
		var tps []string
		for m := 1; m < 4; m++ {
			tp := ""
			for x := range 2 {
				if m&(1<<x) != 0 {
					tp += "x" + strconv.Itoa(x)
				}
			}
			if strings.Contains(tp, name) {
				tps = append(tps, tp)
			}
		}
		out[i].Stage = Touchpoint(tps...).Named(name)
	}
	return out
}

// referenceReport computes, customer by customer from the log's paths, the
// stage counts and durations of a report, the slow way: Level's path,
// with Match called on Events, and a plain tally.
func referenceReport(t *testing.T, f Funnel, l *journey.Log, opt Options) Stages {
	t.Helper()
	p, err := compile(f)
	if err != nil {
		t.Fatal(err)
	}
	n := len(f.Stages)
	reached, dropped := make([]int, n), make([]int, n)
	prev, first := make([][]int64, n), make([][]int64, n)
	res := int64(opt.Resolution)
	dur := func(d int64) int64 {
		if res > 0 {
			d -= d % res
		}
		return d
	}
	for path := range l.Paths() {
		var sq seq
		sq.reset(p, len(path.Events))
		for i := range path.Events {
			sq.times[i] = path.Events[i].Time.UnixNano()
			p.evalEvent(&path.Events[i], sq.mask(i), sq.xs, i)
		}
		newRunner(p).run(&sq, opt.Count == Attempts, func(u *unit) {
			if u.level == 0 || u.excluded {
				return
			}
			switch {
			case f.Open:
				for k := range n {
					if u.ev[k] >= 0 {
						reached[k]++
						if !u.cont[k] && k < n-1 {
							dropped[k]++
						}
					}
					if u.gap[k] >= 0 {
						prev[k] = append(prev[k], dur(u.gap[k]))
					}
				}
			case f.Order == Unordered:
				for k := range u.level {
					reached[k]++
					if k > 0 {
						prev[k] = append(prev[k], dur(u.at[k]-u.at[k-1]))
						first[k] = append(first[k], dur(u.at[k]-u.at[0]))
					}
				}
				if u.level < n {
					dropped[u.level-1]++
				}
			default:
				last := -1
				for k := range n {
					if u.ev[k] < 0 {
						continue
					}
					reached[k]++
					if last >= 0 {
						prev[k] = append(prev[k], dur(sq.times[u.ev[k]]-sq.times[u.ev[last]]))
						first[k] = append(first[k], dur(sq.times[u.ev[k]]-sq.times[u.ev[0]]))
					}
					last = k
				}
				if u.level < n {
					dropped[u.level-1]++
				}
			}
		})
	}
	out := make(Stages, n)
	for k := range n {
		out[k] = StageReport{Name: f.Stages[k].Name, Optional: f.Stages[k].Optional, Reached: reached[k], Dropped: dropped[k],
			FromPrevious: durationsOf(prev[k]), FromFirst: durationsOf(first[k])}
	}
	return out
}

// randomLog draws customers for funnel shape f with randomCase's events.
func randomLog(t *testing.T, r *rand.Rand, customers int) (Funnel, *journey.Log) {
	f, _ := randomCase(r)
	var evs []journey.Event
	for c := range customers {
		_, ce := randomCaseEvents(r, f)
		for i := range ce {
			ce[i].Customer = "c" + strconv.Itoa(c)
			ce[i].Time = ce[i].Time.Add(time.Duration(r.IntN(3)) * time.Millisecond)
		}
		evs = append(evs, ce...)
	}
	l, err := journey.NewLog(evs)
	if err != nil {
		t.Fatal(err)
	}
	return f, l
}

func TestAnalyzeMatchesReference(t *testing.T) {
	r := rand.New(rand.NewPCG(*seed1, 4))
	iters := max(*propIters/100, 200)
	for i := range iters {
		f, l := randomLog(t, r, 1+r.IntN(12))
		opt := Options{Workers: 1 + r.IntN(3)}
		if !f.Open && r.IntN(3) == 0 {
			opt.Count = Attempts
		}
		if r.IntN(4) == 0 {
			opt.Resolution = time.Second
		}
		want := referenceReport(t, f, l, opt)
		// The same funnel with constructed stages takes the fast path.
		fast := f
		fast.Stages = fastStages(len(f.Stages), f.Stages)
		fast.Exclusions = fastExclusions(f.Exclusions)
		for _, g := range []Funnel{f, fast} {
			rep, err := g.Analyze(l, opt)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(want, rep.Stages); diff != "" {
				t.Fatalf("case %d (workers %d, %v): report stages (-want +got):\n%s\n%s", i, opt.Workers, opt.Count, diff, describeLog(f, l))
			}
		}
	}
}

// TestAnalyzeCountsMatchBruteForce checks the counts of customers against
// the definitions, for closed funnels without optional stages (where a
// stage's count is the customers whose level passes it).
func TestAnalyzeCountsMatchBruteForce(t *testing.T) {
	r := rand.New(rand.NewPCG(*seed1, 5))
	iters := max(*propIters/100, 200)
	for i := range iters {
		f, l := randomLog(t, r, 1+r.IntN(10))
		if f.Open {
			continue
		}
		for k := range f.Stages {
			f.Stages[k].Optional = false
		}
		rep, err := f.Analyze(l, Options{Workers: 2})
		if err != nil {
			t.Fatal(err)
		}
		n := len(f.Stages)
		reached, dropped, excluded := make([]int, n), make([]int, n), 0
		for path := range l.Paths() {
			lv := bruteLevel(f, path.Events)
			if lv < 0 {
				excluded++
				continue
			}
			for k := range lv {
				reached[k]++
			}
			if lv > 0 && lv < n {
				dropped[lv-1]++
			}
		}
		var gotR, gotD []int
		for _, s := range rep.Stages {
			gotR, gotD = append(gotR, s.Reached), append(gotD, s.Dropped)
		}
		if diff := cmp.Diff([][]int{reached, dropped, {excluded}}, [][]int{gotR, gotD, {rep.Excluded}}); diff != "" {
			t.Fatalf("case %d: reached, dropped, excluded (-want +got):\n%s\n%s", i, diff, describeLog(f, l))
		}
	}
}

func describeLog(f Funnel, l *journey.Log) string {
	var b strings.Builder
	b.WriteString(describeCase(f, nil))
	for p := range l.Paths() {
		b.WriteString(p.Customer + ":")
		for _, e := range p.Events {
			b.WriteString(" " + strconv.FormatInt(e.Time.UnixMilli(), 10) + "ms:{" + e.Step + "}" + e.Touchpoint)
		}
		b.WriteString("\n")
	}
	return b.String()
}

// TestAnalyzeGenerated runs funnels over a generated log: any worker count
// gives the same report, and the log split by customer merges into it.
func TestAnalyzeGenerated(t *testing.T) {
	evs := gen.Slice(gen.Options{Events: 30000, Seed: 3, Props: true})
	l, err := journey.NewLog(evs)
	if err != nil {
		t.Fatal(err)
	}
	funnels := map[string]Funnel{
		"ordered": {Stages: []Stage{Step("visit"), Step("product"), Step("cart"), Step(gen.Purchase)}, Window: 7 * 24 * time.Hour},
		"strict-dedup": {Stages: []Stage{Step("visit", "search"), Channel("web"), Step("cart"), Step(gen.Purchase)},
			Order: Strict, StrictDedup: true, Window: 30 * 24 * time.Hour},
		"consecutive-once": {Stages: []Stage{Step("product"), Step("cart"), Step(gen.Purchase)}, Order: Consecutive, StrictOnce: true},
		"unordered":        {Stages: []Stage{Channel("email"), Channel("social"), Channel("ads")}, Order: Unordered, Window: 3 * 24 * time.Hour},
		"open":             {Stages: []Stage{Step("visit"), Step("product"), Step("cart"), Step(gen.Purchase)}, Open: true, Window: 14 * 24 * time.Hour},
		"exclusion-optional": {Stages: []Stage{Step("visit"), {Name: "search", Match: func(e journey.Event) bool { return e.Step == "search" }, Optional: true},
			Step("product"), Prop("device", "desktop"), Step(gen.Purchase)},
			Exclusions: []Exclusion{{Stage: Channel("phone"), From: 2, To: 4}}, Window: 20 * 24 * time.Hour},
	}
	opts := Options{
		Breakdowns: []Breakdown{{By: ByChannel}, {By: ByProp, Prop: "device", Attribution: LastTouch}, {By: ByStep, Attribution: AtStage, Stage: 1}},
		Trend:      Week, ListCustomers: true, Resolution: time.Minute,
	}
	for name, f := range funnels {
		t.Run(name, func(t *testing.T) {
			o := opts
			if !f.Open {
				o.Drivers = &Drivers{Steps: true, Channels: true, Props: []string{"campaign"}}
			}
			o.Workers = 1
			want, err := f.Analyze(l, o)
			if err != nil {
				t.Fatal(err)
			}
			if want.Stages[0].Reached == 0 {
				t.Fatal("nobody entered: the test funnel is wrong")
			}
			if diff := cmp.Diff(referenceReport(t, f, l, o), stripIDs(want.Stages)); diff != "" {
				t.Errorf("reference (-want +got):\n%s", diff)
			}
			for _, w := range []int{2, 3, 7} {
				o.Workers = w
				got, err := f.Analyze(l, o)
				if err != nil {
					t.Fatal(err)
				}
				if diff := cmp.Diff(want, got); diff != "" {
					t.Errorf("workers=%d (-want +got):\n%s", w, diff)
				}
			}
			// Split the log by customer in three, analyse and merge.
			o.Workers = 2
			var merged *Report
			for part := range 3 {
				sub := l.FilterCustomers(func(c string) bool { return int(c[len(c)-1]-'0')%3 == part })
				rep, err := f.Analyze(sub, o)
				if err != nil {
					t.Fatal(err)
				}
				if merged == nil {
					merged = rep
				} else if err := merged.Merge(rep); err != nil {
					t.Fatal(err)
				}
			}
			if diff := cmp.Diff(want, merged); diff != "" {
				t.Errorf("merged parts (-want +got):\n%s", diff)
			}
		})
	}
}

func stripIDs(s Stages) Stages {
	out := slices.Clone(s)
	for k := range out {
		out[k].Customers, out[k].DroppedCustomers = nil, nil
	}
	return out
}

// TestGeneratedMatchesBruteForce checks the counts of Analyze on a
// generated log against the definitions (every chain enumerated), for
// funnels of each order and mode. Customers have up to 20 events, which
// the enumeration handles.
func TestGeneratedMatchesBruteForce(t *testing.T) {
	l, err := journey.NewLog(gen.Slice(gen.Options{Events: 20000, Seed: 9, Convert: 0.2}))
	if err != nil {
		t.Fatal(err)
	}
	stages := []Stage{Step("visit", "search"), Step("product"), Step("cart"), Step(gen.Purchase)}
	day := 24 * time.Hour
	funnels := map[string]Funnel{
		"ordered":          {Stages: stages, Window: 3 * day},
		"strict-dedup":     {Stages: stages, Window: 10 * day, Order: Strict, StrictDedup: true},
		"strict-reentry":   {Stages: stages, Order: Strict, AllowReentry: true, StrictIncrease: true},
		"consecutive-once": {Stages: stages, Window: 10 * day, Order: Consecutive, StrictOnce: true},
		"unordered":        {Stages: stages, Window: 2 * day, Order: Unordered},
		"exclusion":        {Stages: stages, Window: 5 * day, Exclusions: []Exclusion{{Stage: Channel("email"), From: 1, To: 3}}},
		"within": {Stages: []Stage{stages[0], {Name: "product", Match: stages[1].Match, Within: day}, stages[2], stages[3]},
			Window: 8 * day, StrictIncrease: true},
	}
	for name, f := range funnels {
		t.Run(name, func(t *testing.T) {
			rep, err := f.Analyze(l, Options{Workers: 2})
			if err != nil {
				t.Fatal(err)
			}
			n := len(f.Stages)
			reached, excluded := make([]int, n), 0
			for p := range l.Paths() {
				lv := bruteLevel(f, p.Events)
				if lv < 0 {
					excluded++
				}
				for k := range max(lv, 0) {
					reached[k]++
				}
			}
			var got []int
			for _, s := range rep.Stages {
				got = append(got, s.Reached)
			}
			if diff := cmp.Diff([]int{excluded, 0}, []int{rep.Excluded, 0}); diff != "" {
				t.Errorf("excluded (-brute +Analyze):\n%s", diff)
			}
			if diff := cmp.Diff(reached, got); diff != "" {
				t.Errorf("reached (-brute +Analyze):\n%s", diff)
			}
			if reached[n-1] == 0 {
				t.Errorf("nobody completed: the test funnel is too hard to check anything")
			}
		})
	}
}
