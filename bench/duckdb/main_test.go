package main

import (
	"context"
	"hash/fnv"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

// handExport is a small export whose answers are worked out by hand below
// (days are counted from 2024-03-01):
//
//	a: visit, product, cart, purchase within minutes (web, web, app, app),
//	   then a visit and a second purchase on day 2 (web): level 4
//	b: visit day 0 (email); visit day 5, product day 6, cart day 11,
//	   purchase day 12 at the same second as day 5's visit + 7 days (web):
//	   from day 0 the cart is too late; from day 5 all four fit, the window
//	   being inclusive: level 4
//	c: visit day 0, product day 6 (ads), cart day 8 (social): the window
//	   runs from the visit, so the cart is too late: level 2
//	d: product, cart (web), no visit: level 0
//	e: purchase day 0, visit day 1 (app): level 1; it purchased at its
//	   first event, on the empty route, and has no touch to credit
//	f: visit (web), search (web), product (app), search, cart (web), an
//	   email opened: level 3, no purchase
//	g: a visit (web): level 1
const handExport = `customer_id,ts,channel,event,converted
a,2024-03-01 10:00:00,web,visit,0
a,2024-03-01 10:01:00,web,product,0
a,2024-03-01 10:02:00,app,cart,0
a,2024-03-01 10:03:00,app,purchase,1
a,2024-03-03 09:00:00,web,visit,0
a,2024-03-03 09:01:00,web,purchase,1
b,2024-03-01 08:00:00,email,visit,0
b,2024-03-06 08:00:00,web,visit,0
b,2024-03-07 08:00:00,web,product,0
b,2024-03-12 08:00:00,web,cart,0
b,2024-03-13 08:00:00,web,purchase,1
c,2024-03-01 12:00:00,ads,visit,0
c,2024-03-07 12:00:00,ads,product,0
c,2024-03-09 12:00:00,social,cart,0
d,2024-03-01 12:00:00,web,product,0
d,2024-03-02 12:00:00,web,cart,0
e,2024-03-01 12:00:00,app,purchase,1
e,2024-03-02 12:00:00,app,visit,0
f,2024-03-01 12:00:00,web,visit,0
f,2024-03-01 12:05:00,web,search,0
f,2024-03-01 12:10:00,app,product,0
f,2024-03-01 12:20:00,web,search,0
f,2024-03-01 12:30:00,web,cart,0
f,2024-03-01 13:00:00,email,open-email,0
g,2024-03-01 12:00:00,web,visit,0
`

// handAnswers are handExport's answers, worked out by hand from its comment.
var handAnswers = Answers{
	Customers: 7,
	Events:    25,
	// Levels a 4, b 4, c 2, d 0, e 1, f 3, g 1.
	Funnel: []int{6, 4, 3, 2},
	// Channel paths with repeats collapsed: a web app web; b email web;
	// c ads social; d web; e app; f web app web email; g web.
	Transitions: []Transition{
		{"ads", "social", 1}, {"app", "web", 2}, {"email", "web", 1}, {"web", "app", 2}, {"web", "email", 1},
	},
	// Every route is taken by one customer, so they come in route order.
	TopPaths: []Path{
		{"", 1, 1}, // e
		{"ads > ads > social", 1, 0},
		{"email > web > web > web", 1, 1}, // b
		{"web", 1, 0},
		{"web > web", 1, 0},
		{"web > web > app", 1, 1}, // a, up to its first purchase
		{"web > web > app > web > web > email", 1, 0},
	},
	Routes: 7,
	// The converting routes with touches: a web web app, b email web web web.
	First:  map[string]float64{"web": 1, "email": 1, "app": 0},
	Last:   map[string]float64{"app": 1, "web": 1, "email": 0},
	Linear: map[string]float64{"web": 2.0/3 + 3.0/4, "app": 1.0 / 3, "email": 1.0 / 4},
}

var approx = cmpopts.EquateApprox(0, 1e-12)

func TestHandMadeExport(t *testing.T) {
	path := filepath.Join(t.TempDir(), "hand.csv")
	if err := os.WriteFile(path, []byte(handExport), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, engine := range []string{engineDuckDB, engineParcours} {
		t.Run(engine, func(t *testing.T) {
			res, err := runEngine(context.Background(), engine, path)
			if err != nil {
				t.Fatal(err)
			}
			if d := cmp.Diff(handAnswers, res.Answers, approx); d != "" {
				t.Errorf("answers (-want +got):\n%s", d)
			}
			for _, ph := range phases {
				if _, ok := res.Times[ph]; !ok {
					t.Errorf("no time for phase %s", ph)
				}
			}
			if runtime.GOOS == "linux" && (res.LoadRSS <= 0 || res.LoadRSS > peakRSS()) {
				t.Errorf("peak memory once loaded %d, want it measured and at most the peak now, %d", res.LoadRSS, peakRSS())
			}
		})
	}
}

// testCustomers is the size of the side-by-side test: 10^4 customers, or
// PARCOURS_DUCKDB_CUSTOMERS.
func testCustomers(t *testing.T) int {
	s := os.Getenv("PARCOURS_DUCKDB_CUSTOMERS")
	if s == "" {
		return 10_000
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 1 {
		t.Fatalf("PARCOURS_DUCKDB_CUSTOMERS=%q: want a positive number", s)
	}
	return n
}

func TestSideBySide(t *testing.T) {
	customers := testCustomers(t)
	path := filepath.Join(t.TempDir(), "events.csv")
	events, _, err := writeExportFile(path, customers, 1)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	duck, err := runDuckDB(ctx, path, newClock())
	if err != nil {
		t.Fatal(err)
	}
	parc, err := runParcours(ctx, path, newClock())
	if err != nil {
		t.Fatal(err)
	}
	if err := compareAnswers(duck, parc); err != nil {
		t.Fatalf("DuckDB and parcours disagree:\n%v", err)
	}
	// The comparison means something only if the analyses found things.
	if parc.Customers != customers || parc.Events != events {
		t.Errorf("read %d customers and %d events, want %d and %d", parc.Customers, parc.Events, customers, events)
	}
	for k := 1; k < len(parc.Funnel); k++ {
		if parc.Funnel[k] <= 0 || parc.Funnel[k] >= parc.Funnel[k-1] {
			t.Errorf("funnel %v: want each stage reached by fewer customers than the one before, and by some", parc.Funnel)
		}
	}
	if len(parc.TopPaths) != 10 || parc.TopPaths[0].Converted == parc.TopPaths[0].Customers {
		t.Errorf("top paths %v: want 10, the first with customers who did not purchase", parc.TopPaths)
	}
	if len(parc.Transitions) != len(channels)*(len(channels)-1) {
		t.Errorf("%d transitions between %d channels: want every ordered pair", len(parc.Transitions), len(channels))
	}
	var first, last, linear float64
	for ch := range parc.First {
		first, last, linear = first+parc.First[ch], last+parc.Last[ch], linear+parc.Linear[ch]
	}
	if first == 0 || first != last || linear < first-1e-6 || linear > first+1e-6 {
		t.Errorf("credits: first %v, last %v, linear %v: want the same conversions, more than none", first, last, linear)
	}
}

func TestCompareAnswersFindsDifferences(t *testing.T) {
	change := []struct {
		name string
		f    func(a *Answers)
	}{
		{"customers", func(a *Answers) { a.Customers++ }},
		{"funnel", func(a *Answers) { a.Funnel[2]-- }},
		{"transitions", func(a *Answers) { a.Transitions[0].Count++ }},
		{"missing transition", func(a *Answers) { a.Transitions = a.Transitions[1:] }},
		{"top paths", func(a *Answers) { a.TopPaths[3].Converted++ }},
		{"routes", func(a *Answers) { a.Routes++ }},
		{"first touch", func(a *Answers) { a.First["web"] += 1e-6 }},
		{"absent credit", func(a *Answers) { delete(a.Last, "email") }},
		{"linear", func(a *Answers) { a.Linear["app"] *= 1 + 1e-8 }},
	}
	if err := compareAnswers(handAnswers, clone(handAnswers)); err != nil {
		t.Fatalf("equal answers: %v", err)
	}
	b := clone(handAnswers)
	b.Linear["web"] *= 1 + 1e-12
	if err := compareAnswers(handAnswers, b); err != nil {
		t.Errorf("credits 1e-12 apart: %v", err)
	}
	for _, c := range change {
		b := clone(handAnswers)
		c.f(&b)
		if err := compareAnswers(handAnswers, b); err == nil {
			t.Errorf("%s changed: no difference found", c.name)
		}
	}
}

func clone(a Answers) Answers {
	a.Funnel = slices.Clone(a.Funnel)
	a.Transitions = slices.Clone(a.Transitions)
	a.TopPaths = slices.Clone(a.TopPaths)
	cp := func(m map[string]float64) map[string]float64 {
		out := map[string]float64{}
		for k, v := range m {
			out[k] = v
		}
		return out
	}
	a.First, a.Last, a.Linear = cp(a.First), cp(a.Last), cp(a.Linear)
	return a
}

func TestGenerate(t *testing.T) {
	rows := generate(2000, 7)
	if !slices.Equal(rows, generate(2000, 7)) {
		t.Fatal("the same seed gave other rows")
	}
	last := map[int32]int64{}
	steps := map[uint8]bool{}
	for i, r := range rows {
		if i > 0 && r.t < rows[i-1].t {
			t.Fatalf("row %d at %d after a row at %d: not in time order", i, r.t, rows[i-1].t)
		}
		if prev, ok := last[r.customer]; ok && r.t <= prev {
			t.Fatalf("customer %d: an event at %d after one at %d: times must increase", r.customer, r.t, prev)
		}
		last[r.customer] = r.t
		steps[r.step] = true
	}
	if len(last) != 2000 {
		t.Errorf("%d customers, want 2000", len(last))
	}
	if n := float64(len(rows)) / 2000; n < 8 || n > 12 {
		t.Errorf("%.1f events per customer, want about 10", n)
	}
	if len(steps) != len(funnelSteps)+len(otherSteps) {
		t.Errorf("%d distinct steps, want %d", len(steps), len(funnelSteps)+len(otherSteps))
	}

	var b strings.Builder
	if err := writeExport(&b, rows[:3]); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(b.String(), "\n")
	if lines[0] != "customer_id,ts,channel,event,converted" || len(lines) != 5 {
		t.Fatalf("export:\n%s", b.String())
	}
	for i, line := range lines[1:4] {
		r := rows[i]
		want := "c" + strings.Repeat("0", 7-len(strconv.Itoa(int(r.customer)))) + strconv.Itoa(int(r.customer)) + "," +
			exportStart.Add(time.Duration(r.t)*time.Second).Format("2006-01-02 15:04:05") + "," +
			channels[r.channel] + "," + stepName(r.step) + ","
		if stepName(r.step) == purchase {
			want += "1"
		} else {
			want += "0"
		}
		if line != want {
			t.Errorf("line %d: %q, want %q", i+1, line, want)
		}
	}
}

// TestSameShapeAsTheCore checks that generate makes the rows of the core's
// export shape (internal/gen's ExportRows, which the core's export-shaped
// benchmarks read): the same FNV-1a digest of 1000 customers' rows, seed
// 1, as internal/gen's TestExportDigest checks.
func TestSameShapeAsTheCore(t *testing.T) {
	const coreDigest = 0xace1df0a645b3259
	h := fnv.New64a()
	for _, r := range generate(1000, 1) {
		h.Write([]byte(strconv.Itoa(int(r.customer)) + "," + strconv.FormatInt(r.t, 10) + "," +
			strconv.Itoa(int(r.channel)) + "," + strconv.Itoa(int(r.step)) + "\n"))
	}
	if got := h.Sum64(); got != coreDigest {
		t.Errorf("digest %#x, want %#x: the generator no longer makes internal/gen's export shape", got, uint64(coreDigest))
	}
}
