// Command duckdb runs parcours and DuckDB side by side on the same
// generated export: it writes one CSV of customer events in time order
// (columns customer_id,ts,channel,event,converted, times written
// 2024-01-15 22:10:16), loads it with DuckDB's read_csv and with
// parcours' eventio.ReadFile, runs in each the same four analyses (a
// 4-step funnel in a 7-day window, channel transitions with repeats
// collapsed, the top 10 channel routes with their conversions, first,
// last and linear attribution), checks that the answers are equal and
// prints the time of each phase, the ratios and each engine's peak
// memory.
//
//	go run . -customers 1000000
//
// Each engine runs in a process of its own, started by this one, so that
// its peak resident memory (VmHWM, which counts DuckDB's allocations as
// well as Go's heap) is its own; -runs runs each several times, the two
// engines taking turns, and the table keeps the fastest time of each
// phase. An answer that differs between the engines is an error.
package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"text/tabwriter"
	"time"

	"github.com/parcours-go/parcours/journey/eventio"
)

func main() {
	if err := run(os.Args[1:], os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "duckdb:", err)
		os.Exit(1)
	}
}

const (
	engineDuckDB   = "duckdb"
	engineParcours = "parcours"
)

func run(args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("duckdb", flag.ContinueOnError)
	customers := fs.Int("customers", 1_000_000, "customers in the generated export (about 10 events each)")
	seed := fs.Uint64("seed", 1, "seed of the generated export")
	runs := fs.Int("runs", 3, "runs of each engine, taking turns; the table keeps the fastest of each phase")
	csvPath := fs.String("csv", "", "read this export instead of generating one (with -engine: the file to read)")
	keep := fs.Bool("keep", false, "keep the generated export and print its path")
	engine := fs.String("engine", "", "run one engine in this process and print its result as JSON (used by the command itself)")
	extra := fs.String("extra", "props", "what parcours makes of the converted column: props (a property, the default, as a user would read it) or ignore")
	if err := fs.Parse(args); err != nil {
		return err
	}
	ctx := context.Background()
	x, err := eventio.ParseExtra(*extra)
	if err != nil {
		return fmt.Errorf("-extra: %w", err)
	}
	readOptions.Extra = x
	if *engine != "" {
		res, err := runEngine(ctx, *engine, *csvPath)
		if err != nil {
			return err
		}
		res.PeakRSS = peakRSS()
		return json.NewEncoder(stdout).Encode(res)
	}
	if *runs < 1 {
		return fmt.Errorf("-runs %d: want at least 1", *runs)
	}

	path := *csvPath
	var size int64
	if path == "" {
		if *customers < 1 {
			return fmt.Errorf("-customers %d: want at least 1", *customers)
		}
		dir, err := os.MkdirTemp("", "parcours-duckdb-")
		if err != nil {
			return err
		}
		if !*keep {
			defer os.RemoveAll(dir)
		}
		path = filepath.Join(dir, "events.csv")
		t0 := time.Now()
		events, sz, err := writeExportFile(path, *customers, *seed)
		if err != nil {
			return err
		}
		size = sz
		fmt.Fprintf(stdout, "generated %d customers, %d events, %.0f MB in %.1f s", *customers, events, float64(size)/1e6, time.Since(t0).Seconds())
		if *keep {
			fmt.Fprintf(stdout, ": %s", path)
		}
		fmt.Fprintln(stdout)
	} else {
		st, err := os.Stat(path)
		if err != nil {
			return err
		}
		size = st.Size()
	}

	self, err := os.Executable()
	if err != nil {
		return err
	}
	best := map[string]*Result{}
	var ref *Answers
	for i := range *runs {
		order := []string{engineDuckDB, engineParcours}
		if i%2 == 1 {
			order = []string{engineParcours, engineDuckDB}
		}
		for _, eng := range order {
			res, err := runChild(ctx, self, eng, path)
			if err != nil {
				return err
			}
			if ref == nil {
				ref = &res.Answers
			} else if err := compareAnswers(*ref, res.Answers); err != nil {
				return fmt.Errorf("the engines disagree (%s, run %d, against the first run):\n%w", eng, i+1, err)
			}
			keepBest(best, res)
		}
	}
	fmt.Fprintf(stdout, "%s: %d events of %d customers, %.0f MB; answers equal in every run\n",
		path, ref.Events, ref.Customers, float64(size)/1e6)
	printTable(stdout, best[engineDuckDB], best[engineParcours], *runs)
	return nil
}

// runEngine runs one engine on the export at path.
func runEngine(ctx context.Context, engine, path string) (Result, error) {
	if path == "" {
		return Result{}, errors.New("-engine needs -csv")
	}
	clock := newClock()
	var a Answers
	var err error
	switch engine {
	case engineDuckDB:
		a, err = runDuckDB(ctx, path, clock)
	case engineParcours:
		a, err = runParcours(ctx, path, clock)
	default:
		return Result{}, fmt.Errorf("-engine %q: want %s or %s", engine, engineDuckDB, engineParcours)
	}
	if err != nil {
		return Result{}, err
	}
	return Result{Engine: engine, Answers: a, Times: clock.times, LoadRSS: clock.loadRSS}, nil
}

// runChild runs one engine in a process of its own and returns its result.
func runChild(ctx context.Context, self, engine, path string) (*Result, error) {
	cmd := exec.CommandContext(ctx, self, "-engine", engine, "-csv", path, "-extra", readOptions.Extra.String())
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	if err := cmd.Run(); err != nil {
		return nil, fmt.Errorf("%s: %w: %s", engine, err, bytes.TrimSpace(errOut.Bytes()))
	}
	var res Result
	if err := json.Unmarshal(out.Bytes(), &res); err != nil {
		return nil, fmt.Errorf("%s: reading its result: %w", engine, err)
	}
	return &res, nil
}

// keepBest folds res into best: the fastest wall and CPU time of each
// phase, and the largest peak memory.
func keepBest(best map[string]*Result, res *Result) {
	b, ok := best[res.Engine]
	if !ok {
		best[res.Engine] = res
		return
	}
	for p, t := range res.Times {
		bt := b.Times[p]
		b.Times[p] = Timing{Wall: min(bt.Wall, t.Wall), CPU: min(bt.CPU, t.CPU)}
	}
	b.LoadRSS = max(b.LoadRSS, res.LoadRSS)
	b.PeakRSS = max(b.PeakRSS, res.PeakRSS)
}

// printTable prints, for each phase and in all, both engines' wall and
// CPU times and the ratio of parcours' wall time to DuckDB's.
func printTable(w io.Writer, duck, parc *Result, runs int) {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintf(tw, "phase\tDuckDB wall\tDuckDB CPU\tparcours wall\tparcours CPU\tparcours/DuckDB (wall)\t\n")
	var dt, pt Timing
	row := func(name string, d, p Timing) {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t\n", name, secs(d.Wall), secs(d.CPU), secs(p.Wall), secs(p.CPU), ratio(p.Wall, d.Wall))
	}
	for _, ph := range phases {
		d, p := duck.Times[ph], parc.Times[ph]
		dt.Wall, dt.CPU, pt.Wall, pt.CPU = dt.Wall+d.Wall, dt.CPU+d.CPU, pt.Wall+p.Wall, pt.CPU+p.CPU
		row(ph, d, p)
	}
	row("total", dt, pt)
	fmt.Fprintf(tw, "peak memory once loaded (VmHWM)\t%s\t\t%s\t\t%s\t\n", mb(duck.LoadRSS), mb(parc.LoadRSS), ratio(time.Duration(parc.LoadRSS), time.Duration(duck.LoadRSS)))
	fmt.Fprintf(tw, "peak memory (VmHWM)\t%s\t\t%s\t\t%s\t\n", mb(duck.PeakRSS), mb(parc.PeakRSS), ratio(time.Duration(parc.PeakRSS), time.Duration(duck.PeakRSS)))
	tw.Flush()
	fmt.Fprintf(w, "fastest of %d runs of each phase; the total adds those; peak memory is the largest of the runs, each engine in a process of its own\n", runs)
}

func secs(d time.Duration) string {
	if d < time.Second {
		return fmt.Sprintf("%.0f ms", float64(d)/float64(time.Millisecond))
	}
	return fmt.Sprintf("%.2f s", d.Seconds())
}

func ratio(a, b time.Duration) string {
	if b <= 0 {
		return "–"
	}
	return fmt.Sprintf("%.2f×", float64(a)/float64(b))
}

func mb(b int64) string {
	if b <= 0 {
		return "–"
	}
	return fmt.Sprintf("%.0f MB", float64(b)/1e6)
}
