package simulate_test

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/parcours-go/parcours/journey"
	"github.com/parcours-go/parcours/journey/eventio"
	"github.com/parcours-go/parcours/journey/graph"
	"github.com/parcours-go/parcours/journey/simulate"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/")

// csv returns the log written by eventio.WriteCSV.
func csv(t *testing.T, l *journey.Log) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := eventio.WriteCSV(&b, l, eventio.WriteOptions{}); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// names returns the step, channel and touchpoint names of a log, by id.
func names(l *journey.Log) [3][]string {
	return [3][]string{l.Names(journey.ByStep), l.Names(journey.ByChannel), l.Names(journey.ByTouchpoint)}
}

func TestSameSeedSameLogWhateverWorkers(t *testing.T) {
	tests := []struct {
		name, reason string
		model        *simulate.Model
		opt          simulate.Options
	}{
		{
			name:   "chain",
			reason: "a bare chain with a self-loop: steps only, all at the start time",
			model:  must(simulate.New(simulate.Spec{Graph: loopChain(t)})),
			opt:    simulate.Options{Customers: 5003, Seed: 21},
		},
		{
			name:   "map with personas",
			reason: "personas, touchpoints, four distributions of waits, values, a period and a cap",
			model:  salesModel(t),
			opt:    simulate.Options{Customers: 5003, Seed: 22, Period: 90 * 24 * time.Hour, MaxSteps: 6, Prefix: "b"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var first *journey.Log
			for _, w := range []int{1, 2, 7} {
				opt := tt.opt
				opt.Workers = w
				l, err := tt.model.Run(opt)
				if err != nil {
					t.Fatal(err)
				}
				if first == nil {
					first = l
					continue
				}
				if !bytes.Equal(csv(t, first), csv(t, l)) {
					t.Errorf("%s: %d workers give another log than 1", tt.reason, w)
				}
				if diff := cmp.Diff(names(first), names(l)); diff != "" {
					t.Errorf("%s: %d workers number the names otherwise (-1 worker +%d):\n%s", tt.reason, w, w, diff)
				}
			}
			opt := tt.opt
			opt.Seed++
			other, err := tt.model.Run(opt)
			if err != nil {
				t.Fatal(err)
			}
			if bytes.Equal(csv(t, first), csv(t, other)) {
				t.Errorf("%s: seeds %d and %d give the same log", tt.reason, tt.opt.Seed, opt.Seed)
			}
		})
	}
}

// TestLogReadsBackTheSame checks that the simulated log is the log a
// reader builds from its CSV: same events, and names numbered in the
// same (first-seen) order.
func TestLogReadsBackTheSame(t *testing.T) {
	l, err := salesModel(t).Run(simulate.Options{Customers: 3000, Seed: 23, Workers: 3, Period: time.Hour})
	if err != nil {
		t.Fatal(err)
	}
	back, err := eventio.ReadCSV(bytes.NewReader(csv(t, l)), eventio.ReadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(back.Events(), l.Events()); diff != "" {
		t.Errorf("events (-read back +simulated):\n%s", diff)
	}
	if diff := cmp.Diff(names(back), names(l)); diff != "" {
		t.Errorf("names (-read back +simulated):\n%s", diff)
	}
	if got, want := l.Customer(0), "c0000"; got != want {
		t.Errorf("first customer %q, want %q (zero-padded to the width of 2999)", got, want)
	}
}

func TestReplicationsWhateverWorkers(t *testing.T) {
	base := salesModel(t)
	variant, err := base.Scale("quote", "order", 1.3)
	if err != nil {
		t.Fatal(err)
	}
	var first *simulate.Comparison
	for _, w := range []int{1, 2, 7} {
		c, err := simulate.Compare(base, variant, simulate.ReplicateOptions{
			Options:      simulate.Options{Customers: 5000, Seed: 24, Workers: w},
			Replications: 4,
			Reach:        []string{"order"},
		})
		if err != nil {
			t.Fatal(err)
		}
		if first == nil {
			first = c
		} else if diff := cmp.Diff(first, c); diff != "" {
			t.Errorf("%d workers give another comparison than 1 (-1 +%d):\n%s", w, w, diff)
		}
	}
	// A replication is a Run with the replication's seed.
	l, err := base.Run(simulate.Options{Customers: 5000, Seed: simulate.ReplicationSeed(24, 2)})
	if err != nil {
		t.Fatal(err)
	}
	conv := 0.0
	for e := range l.All() {
		if e.Step == graph.Conversion {
			conv++
		}
	}
	if got, want := first.Baseline.Runs[2][0], conv/5000; got != want {
		t.Errorf("replication 2 converts %v, its Run %v", got, want)
	}
}

// TestGolden pins the log of a small run: a change to the streams, the
// distributions or the walk shows as a diff. Rewrite it with
// go test ./journey/simulate -run Golden -update. The same file must come
// out with GOAMD64=v3, where the compiler fuses multiply-adds unless told
// not to.
func TestGolden(t *testing.T) {
	l, err := salesModel(t).Run(simulate.Options{Customers: 12, Seed: 2025, Period: 30 * 24 * time.Hour, Workers: 5})
	if err != nil {
		t.Fatal(err)
	}
	got := csv(t, l)
	path := filepath.Join("testdata", "sales.csv")
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(string(want), string(got)); diff != "" {
		t.Errorf("log (-%s +got):\n%s", path, diff)
	}
}

func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}
