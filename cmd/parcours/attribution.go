package main

import (
	"bufio"
	"flag"
	"fmt"
	"io"
	"os"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/parcours-go/parcours/journey"
	"github.com/parcours-go/parcours/journey/attribution"
)

// attributionModels are the models, in the order of the output's columns.
var attributionModels = []string{"markov", "shapley", "first", "last", "linear", "position", "timedecay"}

var attributionCommand = &command{
	name:    "attribution",
	args:    "EVENTS|ROUTES",
	summary: "credit per channel under every attribution model, side by side",
	about: `Says which channels (or touchpoints, or steps: --by) earned the conversions,
under each --model, side by side: markov (removal effects of the order --order
Markov chain; --order auto chooses it on held-out customers), shapley, first
and last touch, linear, position (--first and --last shares, 40/40 by default)
and timedecay (--half-life). Conversions are the customers' first --goal
events; the value of a conversion is its event's value (the --value column).
--bootstrap N adds percentile intervals of each credit from N resamplings.

The input is an event file, or a route table in ChannelAttribution's layout
(path,total_conversions,total_null,total_conversion_value, or route,
conversions, nulls, value), recognised by its header or forced with --routes.
Time decay needs the events' times, so a route table has no timedecay column.`,
	example: "parcours attribution events.csv --goal checkout --model markov,shapley,last --bootstrap 200",
	minArgs: 1, maxArgs: 1,
	flags: func(fs *flag.FlagSet, e *env) func([]string) error {
		var in inputFlags
		in.register(fs)
		var (
			models, by, goal, order string
			routes, everyGoal       bool
			boot, workers           int
			seed                    uint64
			level, first, last      float64
			halfLife, lookback      time.Duration
		)
		fs.StringVar(&models, "model", strings.Join(attributionModels, ","), "the `models`, comma-separated")
		fs.StringVar(&by, "by", "channel", "what a touch is: channel, touchpoint or step")
		fs.StringVar(&goal, "goal", "", "the goal `steps`, comma-separated (required for events)")
		fs.StringVar(&order, "order", "1", "the Markov order k, or auto")
		fs.BoolVar(&routes, "routes", false, "the input is a route table (recognised by its header otherwise)")
		fs.BoolVar(&everyGoal, "every-goal", false, "split customers at every goal event, not only the first")
		fs.Var(durationFlag{&lookback}, "lookback", "keep only the touches this `duration` before the goal, as 30d (default: all)")
		fs.IntVar(&boot, "bootstrap", 0, "resamplings for confidence intervals; 0 for none")
		fs.Float64Var(&level, "level", 0.95, "the confidence level of the intervals")
		fs.Uint64Var(&seed, "seed", 1, "the random seed of --bootstrap and --order auto")
		fs.Float64Var(&first, "first", 0.4, "the position model's share of the first touch")
		fs.Float64Var(&last, "last", 0.4, "the position model's share of the last touch")
		fs.Var(durationFlag{&halfLife}, "half-life", "the time decay model's half-life, a `duration` as 7d (default 7d)")
		fs.IntVar(&workers, "workers", 0, "goroutines (default: one per core)")
		return func(args []string) error {
			b, err := parseBy("by", by)
			if err != nil {
				return err
			}
			chosen := splitList(models)
			if len(chosen) == 0 {
				return usagef("--model: name at least one of %s", strings.Join(attributionModels, ", "))
			}
			for _, m := range chosen {
				if !contains(attributionModels, m) {
					return usagef("--model %q: want some of %s", m, strings.Join(attributionModels, ", "))
				}
			}
			k, auto := 1, order == "auto"
			if !auto {
				if k, err = strconv.Atoi(order); err != nil || k < 1 {
					return usagef("--order %q: want a number at least 1, or auto", order)
				}
			}
			if boot < 0 || !(level > 0 && level < 1) {
				return usagef("--bootstrap must be at least 0 and --level in (0, 1)")
			}
			path := args[0]
			if !routes && path != "-" {
				routes, err = isRouteTable(path)
				if err != nil {
					return err
				}
			}
			goals := splitList(goal)
			from := attribution.FromLogOptions{By: b, GoalSteps: goals, EveryGoal: everyGoal, Lookback: lookback, Workers: workers}
			var rows []attribution.Row
			var l *journey.Log
			if routes {
				if contains(chosen, "timedecay") && models != strings.Join(attributionModels, ",") {
					return usagef("--model timedecay needs events: a route table has no times")
				}
				chosen = remove(chosen, "timedecay")
				if rows, err = e.readRoutes(path); err != nil {
					return err
				}
			} else {
				if len(goals) == 0 {
					return usagef("--goal is required with events: the step that converts, as checkout")
				}
				if l, err = e.readEvents(path, &in); err != nil {
					return err
				}
				if rows, err = attribution.FromLog(l, from); err != nil {
					return err
				}
			}
			r := &result{command: "attribution"}
			r.add("input", "input", kText, map[bool]string{true: "routes", false: "events"}[routes])
			if !routes {
				r.add("by", "by", kText, b.String())
			}
			var conv, nulls, value float64
			for _, row := range rows {
				conv += row.Conversions
				nulls += row.Nulls
				value += row.Value
			}
			r.add("routes", "routes", kInt, len(rows))
			r.add("conversions", "conversions", kFloat, conv)
			r.add("nulls", "non-converting", kFloat, nulls)
			r.add("value", "value", kFloat, value)
			if auto {
				c, err := attribution.ChooseOrder(rows, attribution.ChooseOrderOptions{Seed: seed})
				if err != nil {
					return fmt.Errorf("--order auto: %w", err)
				}
				k = c.Recommended
			}
			if contains(chosen, "markov") {
				r.add("markov_order", "Markov order", kInt, k)
			}
			run := func(name string) attribution.Model {
				switch name {
				case "markov":
					return func(rows []attribution.Row) (attribution.Result, error) {
						return attribution.Markov(rows, attribution.MarkovOptions{Order: k, Workers: workers})
					}
				case "shapley":
					return func(rows []attribution.Row) (attribution.Result, error) {
						return attribution.Shapley(rows, attribution.ShapleyOptions{})
					}
				case "first":
					return attribution.FirstTouch
				case "last":
					return attribution.LastTouch
				case "linear":
					return attribution.Linear
				case "position":
					return func(rows []attribution.Row) (attribution.Result, error) {
						return attribution.PositionBased(rows, first, last)
					}
				}
				return nil
			}
			results := map[string]attribution.Result{}
			intervals := map[string]attribution.Intervals{}
			for _, name := range chosen {
				var res attribution.Result
				if name == "timedecay" {
					res, err = attribution.TimeDecay(l, attribution.TimeDecayOptions{FromLogOptions: from, HalfLife: halfLife})
				} else {
					res, err = run(name)(rows)
				}
				if err != nil {
					return fmt.Errorf("model %s: %w", name, err)
				}
				results[name] = res
				if boot > 0 && name != "timedecay" {
					iv, err := attribution.Bootstrap(rows, run(name), attribution.BootstrapOptions{Replications: boot, Level: level, Seed: seed, Workers: workers})
					if err != nil {
						return fmt.Errorf("model %s: bootstrap: %w", name, err)
					}
					intervals[name] = iv
				}
			}
			attributionTable(r, chosen, results, intervals, value > 0)
			return e.write(r)
		}
	},
}

func attributionTable(r *result, models []string, results map[string]attribution.Result, intervals map[string]attribution.Intervals, withValue bool) {
	cols := []column{{"touch", "touch", kText}}
	for _, m := range models {
		cols = append(cols, column{m, m, kFloat})
		if _, ok := intervals[m]; ok {
			cols = append(cols, column{m + "_lo", m + " lo", kFloat}, column{m + "_hi", m + " hi", kFloat})
		}
		if withValue {
			cols = append(cols, column{m + "_value", m + " value", kFloat})
		}
		if m == "markov" {
			cols = append(cols, column{"markov_removal_effect", "removal effect", kPct})
		}
	}
	t := r.newTable("credits", "conversions attributed to each touch", cols...)
	seen := map[string]bool{}
	var touches []string
	for _, m := range models {
		for _, c := range results[m].Touches() {
			if !seen[c] {
				seen[c] = true
				touches = append(touches, c)
			}
		}
	}
	slices.Sort(touches)
	for _, c := range touches {
		row := []any{c}
		for _, m := range models {
			cr := results[m][c]
			row = append(row, cr.Conversions)
			if iv, ok := intervals[m]; ok {
				row = append(row, iv[c].Conversions.Lo, iv[c].Conversions.Hi)
			}
			if withValue {
				row = append(row, cr.Value)
			}
			if m == "markov" {
				row = append(row, cr.RemovalEffect)
			}
		}
		t.add(row...)
	}
}

// isRouteTable reports whether the file's header is that of a route table:
// a path (or route) column and a conversions column.
func isRouteTable(path string) (bool, error) {
	f, err := os.Open(path)
	if err != nil {
		return false, err
	}
	defer f.Close()
	line, err := bufio.NewReader(f).ReadString('\n')
	if err != nil && err != io.EOF {
		return false, fmt.Errorf("%s: %w", path, err)
	}
	var hasPath, hasConv bool
	for _, h := range strings.Split(strings.ToLower(strings.TrimSpace(line)), ",") {
		switch strings.Trim(strings.TrimSpace(h), `"`) {
		case "path", "route":
			hasPath = true
		case "total_conversions", "conversions":
			hasConv = true
		}
	}
	return hasPath && hasConv, nil
}

func (e *env) readRoutes(path string) ([]attribution.Row, error) {
	var r io.Reader = e.stdin
	if path != "-" {
		f, err := os.Open(path)
		if err != nil {
			return nil, err
		}
		defer f.Close()
		r = f
	}
	rows, err := attribution.ReadTable(bufio.NewReader(r), attribution.TableOptions{})
	if err != nil {
		return nil, fmt.Errorf("%s: %w", displayName(path), err)
	}
	return rows, nil
}

func contains(s []string, x string) bool {
	for _, y := range s {
		if y == x {
			return true
		}
	}
	return false
}

func remove(s []string, x string) []string {
	var out []string
	for _, y := range s {
		if y != x {
			out = append(out, y)
		}
	}
	return out
}
