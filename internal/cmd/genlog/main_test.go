package main

import (
	"bytes"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/parcours-go/parcours/internal/gen"
	"github.com/parcours-go/parcours/journey"
	"github.com/parcours-go/parcours/journey/eventio"
)

func TestRun(t *testing.T) {
	tests := []struct {
		name   string
		reason string
		args   []string
		read   func(*bytes.Reader, eventio.ReadOptions) (*journey.Log, error)
		events int
		props  bool
	}{
		{name: "csv", reason: "the default format, exactly -events events", args: []string{"-events", "500"}, read: readCSV, events: 500},
		{name: "jsonl props", reason: "JSON Lines with properties", args: []string{"-events", "300", "-format", "jsonl", "-props", "-seed", "9"}, read: readJSONL, events: 300, props: true},
		{name: "csv props", reason: "CSV with the property columns", args: []string{"-events", "300", "-props"}, read: readCSV, events: 300, props: true},
		{name: "none", reason: "zero events is an empty file that reads as an empty log", args: []string{"-events", "0"}, read: readCSV, events: 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out bytes.Buffer
			if err := run(tt.args, &out); err != nil {
				t.Fatal(err)
			}
			l, err := tt.read(bytes.NewReader(out.Bytes()), eventio.ReadOptions{})
			if err != nil {
				t.Fatal(err)
			}
			if l.Len() != tt.events {
				t.Errorf("%d events, want %d (%s)", l.Len(), tt.events, tt.reason)
			}
			if l.HasProps() != tt.props {
				t.Errorf("HasProps() = %v, want %v (%s)", l.HasProps(), tt.props, tt.reason)
			}
		})
	}
}

func readCSV(r *bytes.Reader, o eventio.ReadOptions) (*journey.Log, error) {
	return eventio.ReadCSV(r, o)
}
func readJSONL(r *bytes.Reader, o eventio.ReadOptions) (*journey.Log, error) {
	return eventio.ReadJSONL(r, o)
}

// TestRunFileMatchesGenerator checks that the file holds the generator's
// events, and that the same flags give the same bytes.
func TestRunFileMatchesGenerator(t *testing.T) {
	path := filepath.Join(t.TempDir(), "log.csv")
	args := []string{"-customers", "50", "-seed", "4", "-props", "-o", path}
	if err := run(args, nil); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	got, err := eventio.ReadCSV(bytes.NewReader(data), eventio.ReadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	want, err := journey.NewLog(gen.Slice(gen.Options{Customers: 50, Seed: 4, Props: true}))
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(want.Events(), got.Events()); diff != "" {
		t.Errorf("events (-want +got):\n%s", diff)
	}
	var again bytes.Buffer
	if err := run(args[:len(args)-2], &again); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(data, again.Bytes()) {
		t.Error("the same flags gave different output")
	}
}

// TestPropKeys checks that propKeys lists every key the generator uses.
func TestPropKeys(t *testing.T) {
	seen := map[string]bool{}
	for e := range gen.Events(gen.Options{Customers: 2000, Seed: 1, Props: true}) {
		for k := range e.Props {
			seen[k] = true
		}
	}
	var keys []string
	for k := range seen {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	if diff := cmp.Diff(propKeys, keys); diff != "" {
		t.Errorf("property keys (-want +got):\n%s", diff)
	}
}

func TestRunErrors(t *testing.T) {
	tests := []struct {
		name   string
		reason string
		args   []string
		want   string
	}{
		{name: "bad flag", reason: "unknown flags are reported", args: []string{"-nope"}, want: "flag provided but not defined"},
		{name: "bad format", reason: "only csv and jsonl", args: []string{"-format", "xml"}, want: "want csv or jsonl"},
		{name: "negative", reason: "counts are not negative", args: []string{"-events", "-1"}, want: "must not be negative"},
		{name: "bad start", reason: "start is RFC 3339", args: []string{"-start", "monday"}, want: "-start"},
		{name: "argument", reason: "no positional arguments", args: []string{"extra"}, want: "unexpected argument"},
		{name: "bad file", reason: "an output file that cannot be created", args: []string{"-o", filepath.Join(t.TempDir(), "no", "such", "dir")}, want: "no such file"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := run(tt.args, &bytes.Buffer{})
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("run(%q) = %v, want an error containing %q (%s)", tt.args, err, tt.want, tt.reason)
			}
		})
	}
	var out bytes.Buffer
	if err := run([]string{"-h"}, &out); err != nil || !strings.Contains(out.String(), "-events") {
		t.Errorf("run(-h) = %v, printing %q; want the usage", err, out.String())
	}
}

// TestRunConvert checks that -convert sets the share of converting
// customers, 0 included.
func TestRunConvert(t *testing.T) {
	for _, tt := range []struct {
		convert   string
		purchases bool
	}{{"0", false}, {"1", true}} {
		var out bytes.Buffer
		if err := run([]string{"-customers", "300", "-convert", tt.convert}, &out); err != nil {
			t.Fatal(err)
		}
		l, err := eventio.ReadCSV(&out, eventio.ReadOptions{})
		if err != nil {
			t.Fatal(err)
		}
		_, got := l.Lookup(journey.ByStep, gen.Purchase)
		if got != tt.purchases {
			t.Errorf("-convert %s: purchases %v, want %v", tt.convert, got, tt.purchases)
		}
	}
}
