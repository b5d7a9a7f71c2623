package main

import (
	"flag"
	"fmt"
	"strings"
	"time"

	"github.com/parcours-go/parcours/journey/eventio"
	"github.com/parcours-go/parcours/journey/simulate"
)

var simulateCommand = &command{
	name:    "simulate",
	args:    "MAP",
	summary: "simulated customers' events from a designed journey map",
	about: `Simulates --customers customers walking the designed journey of MAP (a
journey map in JSON), with its transition probabilities, waits and personas,
and writes their events as CSV (the default) or JSON Lines (--output jsonl, or
an -o file ending in .jsonl), ready for the other subcommands. The same --seed
gives the same events, byte for byte. Each simulated path ends with an event
for the state it ends in, (conversion) or (exit).`,
	example: "parcours simulate shoeshop.json --customers 2000 --seed 1 -o events.csv",
	minArgs: 1, maxArgs: 1,
	flags: func(fs *flag.FlagSet, e *env) func([]string) error {
		var (
			customers, workers, maxSteps int
			seed                         uint64
			start, prefix                string
			period                       time.Duration
		)
		fs.IntVar(&customers, "customers", 1000, "the number of customers")
		fs.Uint64Var(&seed, "seed", 1, "the random seed: the same seed gives the same events")
		fs.StringVar(&start, "start", "2025-01-01", "when the first journey starts (`date` or RFC 3339 time)")
		fs.Var(durationFlag{&period}, "period", "spread the journeys' starts over this `duration`, as 30d (default: all at --start)")
		fs.IntVar(&maxSteps, "max-steps", 0, "end a walk in (exit) after this many states (default 1000)")
		fs.StringVar(&prefix, "prefix", "c", "the prefix of the customer ids")
		fs.IntVar(&workers, "workers", 0, "goroutines (default: one per core); the events do not depend on it")
		return func(args []string) error {
			if customers <= 0 {
				return usagef("--customers %d: want at least 1", customers)
			}
			t0, err := parseStart(start)
			if err != nil {
				return err
			}
			format := e.out.format
			switch {
			case format == "table" && strings.HasSuffix(strings.TrimSuffix(e.out.file, ".gz"), ".jsonl"):
				format = "jsonl"
			case format == "table" || format == "csv":
				format = "csv"
			case format == "jsonl":
			default:
				return usagef("--output %s: simulate writes events, as csv or jsonl", format)
			}
			m, err := readMap(args[0])
			if err != nil {
				return err
			}
			spec, err := simulate.FromMap(m)
			if err != nil {
				return fmt.Errorf("%s: %w", args[0], err)
			}
			model, err := simulate.New(spec)
			if err != nil {
				return fmt.Errorf("%s: %w", args[0], err)
			}
			status := !e.quiet && isTerminal(e.stderr)
			if status {
				fmt.Fprintf(e.stderr, "simulating %s customers…", thousands(customers))
			}
			l, err := model.Run(simulate.Options{Customers: customers, Seed: seed, Workers: workers,
				Start: t0, Period: period, MaxSteps: maxSteps, Prefix: prefix})
			if status {
				fmt.Fprint(e.stderr, "\r\033[K")
			}
			if err != nil {
				return err
			}
			w, done, err := e.openOutput()
			if err != nil {
				return err
			}
			if format == "jsonl" {
				err = eventio.WriteJSONL(w, l)
			} else {
				err = eventio.WriteCSV(w, l, eventio.WriteOptions{})
			}
			if cerr := done(); err == nil {
				err = cerr
			}
			if err == nil && e.out.file != "" && status {
				fmt.Fprintf(e.stderr, "parcours: %s events of %s customers written to %s\n", thousands(l.Len()), thousands(l.Customers()), e.out.file)
			}
			return err
		}
	},
}

func parseStart(s string) (time.Time, error) {
	for _, layout := range []string{"2006-01-02", time.RFC3339Nano} {
		if t, err := time.Parse(layout, s); err == nil {
			return t.UTC(), nil
		}
	}
	return time.Time{}, usagef("--start %q: want a date (2025-01-01) or an RFC 3339 time", s)
}
