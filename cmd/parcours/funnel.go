package main

import (
	"flag"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/parcours-go/parcours/funnel"
)

var funnelCommand = &command{
	name:    "funnel",
	args:    "EVENTS",
	summary: "a window funnel: customers at each stage, conversion, time to convert, breakdowns",
	about: `Runs a window funnel over the events (ClickHouse windowFunnel semantics): each
stage is reached by the events of its steps (--steps visit,cart,checkout; a
stage of several steps is written a|b), the whole chain within --window of its
first stage. For each stage: the customers (or attempts) who reached it and
dropped after it, conversion from the first and from the previous stage, and
quantiles of the time from the previous stage and from the first. --by splits
the funnel by the channel, touchpoint, step or a property of the customers.
EVENTS is a CSV or JSON Lines file, gzip-compressed or not, or - for standard
input.`,
	example: "parcours funnel events.csv --steps visit,cart,checkout --window 7d --by channel",
	minArgs: 1, maxArgs: 1,
	flags: func(fs *flag.FlagSet, e *env) func([]string) error {
		var in inputFlags
		in.register(fs)
		var (
			steps, order, modes, count, by, attr, quantiles string
			window, resolution                              time.Duration
			open                                            bool
			atStage, workers                                int
			optional, exclude, trend                        string
		)
		fs.StringVar(&steps, "steps", "", "the funnel's `stages`, comma-separated, each the step that reaches it, or several steps a|b (required)")
		fs.Var(durationFlag{&window}, "window", "the longest time from a chain's first stage to its last: a `duration` as 30m, 12h, 7d or 2w (default: no limit)")
		fs.StringVar(&order, "order", "ordered", "how stages follow each other: ordered, strict, consecutive or unordered")
		fs.StringVar(&modes, "mode", "", "ClickHouse `modes`, comma-separated: strict_dedup, strict_increase, strict_once, allow_reentry")
		fs.BoolVar(&open, "open", false, "an open funnel, entered at any stage")
		fs.StringVar(&count, "count", "customers", "what to count: customers or attempts")
		fs.StringVar(&by, "by", "", "break the funnel down by `dimension`: channel, touchpoint, step, or a property's name")
		fs.StringVar(&attr, "attribution", "first", "which event gives a customer its --by value: first, last or stage")
		fs.IntVar(&atStage, "at-stage", 1, "with --attribution stage: the stage (from 1) whose event gives the value")
		fs.StringVar(&quantiles, "quantiles", "0.5,0.9", "the `quantiles` of the times to convert, comma-separated, in [0, 1]")
		fs.Var(durationFlag{&resolution}, "resolution", "truncate times to convert to a multiple of this `duration` (default: the nanosecond)")
		fs.StringVar(&optional, "optional", "", "the `stages` (numbers from 1, comma-separated) a chain may skip")
		fs.StringVar(&exclude, "exclude", "", "`steps` that void a chain between two stages: step or step@FROM-TO (stage numbers; default from the first to the last), comma-separated")
		fs.StringVar(&trend, "trend", "", "a trend table by the `period` the chains start in: day, week or month")
		fs.IntVar(&workers, "workers", 0, "goroutines (default: one per core)")
		return func(args []string) error {
			f, opt, err := funnelSpec(steps, order, modes, count, by, attr, atStage, window, resolution, open, workers)
			if err != nil {
				return err
			}
			if err := funnelExtras(&f, &opt, optional, exclude, trend); err != nil {
				return err
			}
			qs, err := parseQuantiles(quantiles)
			if err != nil {
				return err
			}
			l, err := e.readEvents(args[0], &in)
			if err != nil {
				return err
			}
			rep, err := f.Analyze(l, opt)
			if err != nil {
				return err
			}
			return e.write(funnelResult(rep, f, qs, by))
		}
	},
}

// funnelExtras sets the optional stages, exclusions and trend of the flags.
func funnelExtras(f *funnel.Funnel, opt *funnel.Options, optional, exclude, trend string) error {
	n := len(f.Stages)
	stageNum := func(flag, s string) (int, error) {
		k, err := strconv.Atoi(strings.TrimSpace(s))
		if err != nil || k < 1 || k > n {
			return 0, usagef("--%s: %q is not a stage number from 1 to %d", flag, s, n)
		}
		return k, nil
	}
	for _, s := range splitList(optional) {
		k, err := stageNum("optional", s)
		if err != nil {
			return err
		}
		f.Stages[k-1].Optional = true
	}
	for _, x := range splitList(exclude) {
		step, rng, ranged := strings.Cut(x, "@")
		e := funnel.Exclusion{Stage: funnel.Step(step), From: 0, To: 0}
		if ranged {
			a, b, ok := strings.Cut(rng, "-")
			if !ok {
				return usagef("--exclude %q: want step@FROM-TO, as help@2-3", x)
			}
			from, err := stageNum("exclude", a)
			if err != nil {
				return err
			}
			to, err := stageNum("exclude", b)
			if err != nil {
				return err
			}
			e.From, e.To = from-1, to-1
		}
		f.Exclusions = append(f.Exclusions, e)
	}
	if trend != "" {
		p, err := funnel.ParsePeriod(trend)
		if err != nil || p == funnel.NoTrend {
			return usagef("--trend %q: want day, week or month", trend)
		}
		opt.Trend = p
	}
	if err := f.Validate(); err != nil {
		return usagef("%s", oneLine(err))
	}
	return nil
}

// funnelSpec makes the funnel and its options from the flags.
func funnelSpec(steps, order, modes, count, by, attr string, atStage int, window, resolution time.Duration, open bool, workers int) (funnel.Funnel, funnel.Options, error) {
	var f funnel.Funnel
	var opt funnel.Options
	stages := splitList(steps)
	if len(stages) == 0 {
		return f, opt, usagef("--steps is required: the funnel's stages, as visit,cart,checkout")
	}
	for _, s := range stages {
		var names []string
		for _, n := range strings.Split(s, "|") {
			if n = strings.TrimSpace(n); n != "" {
				names = append(names, n)
			}
		}
		if len(names) == 0 {
			return f, opt, usagef("--steps: empty stage in %q", steps)
		}
		f.Stages = append(f.Stages, funnel.Step(names...).Named(strings.Join(names, "|")))
	}
	f.Window = window
	f.Open = open
	o, err := funnel.ParseOrder(order)
	if err != nil {
		return f, opt, usagef("--order %q: want ordered, strict, consecutive or unordered", order)
	}
	f.Order = o
	for _, m := range splitList(modes) {
		switch strings.ReplaceAll(strings.ToLower(m), "-", "_") {
		case "strict_dedup", "strict_deduplication":
			f.StrictDedup = true
		case "strict_increase":
			f.StrictIncrease = true
		case "strict_once":
			f.StrictOnce = true
		case "allow_reentry":
			f.AllowReentry = true
		default:
			o, err := funnel.ParseOrder(m)
			if err != nil {
				return f, opt, usagef("--mode %q: want strict_dedup, strict_increase, strict_once or allow_reentry", m)
			}
			f.Order = o
		}
	}
	if err := f.Validate(); err != nil {
		return f, opt, usagef("%s", oneLine(err))
	}
	opt.Workers = workers
	opt.Resolution = resolution
	c, err := funnel.ParseCount(count)
	if err != nil {
		return f, opt, usagef("--count %q: want customers or attempts", count)
	}
	opt.Count = c
	if by != "" {
		b := funnel.Breakdown{}
		switch strings.ToLower(by) {
		case "channel":
			b.By = funnel.ByChannel
		case "touchpoint":
			b.By = funnel.ByTouchpoint
		case "step":
			b.By = funnel.ByStep
		default:
			b.By = funnel.ByProp
			b.Prop = by
		}
		a, err := funnel.ParseAttribution(attr)
		if err != nil {
			return f, opt, usagef("--attribution %q: want first, last or stage", attr)
		}
		b.Attribution = a
		if a == funnel.AtStage {
			if atStage < 1 || atStage > len(f.Stages) {
				return f, opt, usagef("--at-stage %d: want 1 to %d", atStage, len(f.Stages))
			}
			b.Stage = atStage - 1
		}
		opt.Breakdowns = []funnel.Breakdown{b}
	}
	return f, opt, nil
}

func parseQuantiles(s string) ([]float64, error) {
	var qs []float64
	for _, p := range splitList(s) {
		q, err := strconv.ParseFloat(p, 64)
		if err != nil || !(q >= 0 && q <= 1) {
			return nil, usagef("--quantiles: %q is not a number in [0, 1]", p)
		}
		qs = append(qs, q)
	}
	return qs, nil
}

// quantileKey names a quantile's column: p50, p90, p99.9.
func quantileKey(q float64) string {
	return "p" + strconv.FormatFloat(100*q, 'f', -1, 64)
}

func funnelColumns(qs []float64, segment bool) []column {
	var cols []column
	if segment {
		cols = append(cols, column{"segment", "segment", kText})
	}
	cols = append(cols,
		column{"stage", "stage", kText},
		column{"reached", "reached", kInt},
		column{"dropped", "dropped", kInt},
		column{"from_first", "of first", kPct},
		column{"from_previous", "of previous", kPct},
		column{"drop_off", "drop-off", kPct},
	)
	for _, q := range qs {
		k := quantileKey(q)
		cols = append(cols, column{"from_previous_" + k + "_seconds", k + " from previous", kDuration})
	}
	for _, q := range qs {
		k := quantileKey(q)
		cols = append(cols, column{"from_first_" + k + "_seconds", k + " from first", kDuration})
	}
	return cols
}

func funnelRows(t *table, segment *string, st funnel.Stages, qs []float64) {
	for k := range st {
		s := &st[k]
		var row []any
		if segment != nil {
			row = append(row, *segment)
		}
		row = append(row, s.Name, s.Reached, s.Dropped, st.FromFirst(k), st.FromPrevious(k), st.DropOff(k))
		for _, q := range qs {
			row = append(row, quantile(&s.FromPrevious, q))
		}
		for _, q := range qs {
			row = append(row, quantile(&s.FromFirst, q))
		}
		t.add(row...)
	}
}

func funnelResult(rep *funnel.Report, f funnel.Funnel, qs []float64, by string) *result {
	r := &result{command: "funnel"}
	r.add("customers", "customers", kInt, rep.Customers)
	unit := rep.Funnel.Count.String()
	r.add("count", "counting", kText, unit)
	r.add("order", "order", kText, f.Order.String())
	r.add("window_seconds", "window", kDuration, f.Window)
	r.add("excluded", "excluded", kInt, rep.Excluded)
	r.add("conversion", "conversion", kPct, rep.Stages.FromFirst(len(rep.Stages)-1))
	t := r.newTable("stages", fmt.Sprintf("stages (%s)", unit), funnelColumns(qs, false)...)
	funnelRows(t, nil, rep.Stages, qs)
	if window := f.Window; window == 0 {
		t.note = "no window: a chain may take any time"
	}
	if len(rep.Breakdowns) > 0 {
		b := rep.Breakdowns[0]
		seg := r.newTable("segments", "by "+by, funnelColumns(qs, true)...)
		for _, s := range b.Segments {
			v := s.Value
			if v == "" {
				v = "(none)"
			}
			funnelRows(seg, &v, s.Stages, qs)
		}
		r.primary = 1
	}
	if len(rep.Trend) > 0 {
		cols := append([]column{{"start", "start", kText}}, funnelColumns(nil, false)...)
		tr := r.newTable("trend", "trend, by the "+rep.Funnel.Trend.String()+" the chains start", cols...)
		for _, b := range rep.Trend {
			for k, s := range b.Stages {
				tr.add(b.Start.Format("2006-01-02"), s.Name, s.Reached, s.Dropped, b.Stages.FromFirst(k), b.Stages.FromPrevious(k), b.Stages.DropOff(k))
			}
		}
	}
	return r
}

// quantile returns the q-quantile of d, or nil (no figure) if d is empty.
func quantile(d *funnel.Durations, q float64) any {
	if d.Count() == 0 {
		return nil
	}
	return d.Quantile(q)
}
