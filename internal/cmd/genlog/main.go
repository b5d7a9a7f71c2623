// Command genlog writes a generated event log, of any size, as CSV or
// JSON Lines: realistic journeys over ten channels, paths of 1 to 20
// events, about 3% of customers converting (see package internal/gen).
//
//	go run ./internal/cmd/genlog -events 1000000 -format csv -o log.csv
//
// It streams: memory stays constant whatever the number of events. The
// same flags give the same file.
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"iter"
	"maps"
	"os"
	"slices"
	"time"

	"github.com/parcours-go/parcours/internal/eventfmt"
	"github.com/parcours-go/parcours/internal/gen"
	"github.com/parcours-go/parcours/journey"
)

func main() {
	if err := run(os.Args[1:], os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "genlog:", err)
		os.Exit(1)
	}
}

// propKeys are the property keys internal/gen gives events with Props.
var propKeys = []string{"campaign", "device"}

// run parses args and writes the log to the -o file, or to stdout.
func run(args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("genlog", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	events := fs.Int("events", 1000, "number of events to write (the last customer's path may be cut short)")
	customers := fs.Int("customers", 0, "write this many customers' whole paths instead of -events")
	format := fs.String("format", "csv", "csv or jsonl")
	out := fs.String("o", "", "output file (default stdout)")
	seed := fs.Uint64("seed", 1, "random seed: the same seed gives the same log")
	props := fs.Bool("props", false, "give events a device property and some a campaign")
	convert := fs.Float64("convert", 0.03, "share of converting customers")
	maxPath := fs.Int("maxpath", 20, "longest path")
	start := fs.String("start", "2025-01-01T00:00:00Z", "earliest first event, RFC 3339")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			fmt.Fprintln(stdout, "usage: genlog [flags]")
			fs.SetOutput(stdout)
			fs.PrintDefaults()
			return nil
		}
		return fmt.Errorf("%w (genlog -h lists the flags)", err)
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("unexpected argument %q", fs.Arg(0))
	}
	t0, err := time.Parse(time.RFC3339, *start)
	if err != nil {
		return fmt.Errorf("-start: %w", err)
	}
	switch {
	case *events < 0 || *customers < 0:
		return errors.New("-events and -customers must not be negative")
	case *convert < 0 || *convert > 1:
		return fmt.Errorf("-convert %v is not between 0 and 1", *convert)
	case *maxPath < 1:
		return fmt.Errorf("-maxpath %d is less than 1", *maxPath)
	case *format != "csv" && *format != "jsonl":
		return fmt.Errorf("-format %q: want csv or jsonl", *format)
	}
	opt := gen.Options{Customers: *customers, Events: *events, Seed: *seed, Convert: *convert,
		MaxPath: *maxPath, Props: *props, Start: t0}
	if *convert == 0 {
		opt.Convert = -1 // gen reads 0 as its default share; below 0, no one converts
	}
	seq := gen.Events(opt)
	if *customers == 0 {
		seq = firstN(seq, *events)
	}

	w := stdout
	var f *os.File
	if *out != "" {
		if f, err = os.Create(*out); err != nil {
			return err
		}
		w = f
	}
	if *format == "csv" {
		keys := []string{}
		if *props {
			keys = propKeys
		}
		err = writeCSV(w, seq, keys)
	} else {
		err = writeJSONL(w, seq)
	}
	if f != nil {
		if cerr := f.Close(); err == nil {
			err = cerr
		}
	}
	return err
}

// writeCSV writes the events in the order given, as eventio.WriteCSV
// writes a log, with a column for each of keys; the generator's events
// are valid and hold no other key.
func writeCSV(w io.Writer, seq iter.Seq[journey.Event], keys []string) error {
	cw, err := eventfmt.NewCSVWriter(w, eventfmt.WriteOptions{Props: keys, Prefix: "genlog"}, keys)
	if err != nil {
		return err
	}
	props := make([]string, len(keys))
	for e := range seq {
		for j, k := range keys {
			props[j] = e.Props[k]
		}
		cw.Row(e.Customer, e.Time.UnixNano(), e.Step, string(e.Channel), e.Touchpoint, e.Value, props)
		if err := cw.WriteErr(); err != nil {
			return err
		}
	}
	return cw.Flush()
}

// writeJSONL writes the events in the order given, as eventio.WriteJSONL
// writes a log.
func writeJSONL(w io.Writer, seq iter.Seq[journey.Event]) error {
	jw := eventfmt.NewJSONLWriter(w, "genlog")
	for e := range seq {
		jw.Begin(e.Customer, e.Time.UnixNano(), e.Step, string(e.Channel), e.Touchpoint, e.Value)
		keys := slices.Sorted(maps.Keys(e.Props))
		for j, k := range keys {
			jw.Prop(j == 0, k, e.Props[k])
		}
		jw.End(len(keys) > 0)
		if err := jw.WriteErr(); err != nil {
			return err
		}
	}
	return jw.Flush()
}

// firstN stops seq after n events.
func firstN(seq iter.Seq[journey.Event], n int) iter.Seq[journey.Event] {
	return func(yield func(journey.Event) bool) {
		if n == 0 {
			return
		}
		i := 0
		for e := range seq {
			if !yield(e) {
				return
			}
			if i++; i == n {
				return
			}
		}
	}
}
