package main

import (
	"bytes"
	"encoding/xml"
	"flag"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/parcours-go/parcours/examples/internal/seeds"
	"github.com/parcours-go/parcours/journey"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

// golden compares got with the golden file testdata/name, or rewrites
// it with -update.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to write it)", err)
	}
	if diff := cmp.Diff(string(want), string(got)); diff != "" {
		t.Errorf("%s (-want +got):\n%s", path, diff)
	}
}

func shippedMap(t *testing.T) *journey.Map {
	t.Helper()
	m, err := journey.ReadMap(bytes.NewReader(seeds.B2B))
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// TestRunGolden runs the example and checks what it prints and the
// Mermaid diagrams it writes against the golden files; CI has Mermaid
// parse and draw the golden diagrams.
func TestRunGolden(t *testing.T) {
	dir := t.TempDir()
	var out bytes.Buffer
	if err := run([]string{"-out", dir}, &out); err != nil {
		t.Fatal(err)
	}
	golden(t, "output.txt", []byte(strings.ReplaceAll(out.String(), dir, "OUT")))
	for _, p := range shippedMap(t).Personas {
		name := "b2b-" + p.ID + "-journey.mmd"
		got, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		golden(t, name, got)
		// The diagram printed is the file's.
		var indented strings.Builder
		for _, l := range strings.Split(strings.TrimSuffix(string(got), "\n"), "\n") {
			indented.WriteString(indent + "  " + l + "\n")
		}
		if !strings.Contains(out.String(), indented.String()) {
			t.Errorf("the output does not show %s as written", name)
		}
	}
}

// TestRunDiagrams checks the diagrams against the map: a section per
// sales stage, a task per step, and a journey map for each persona
// that parses as SVG and names every step.
func TestRunDiagrams(t *testing.T) {
	dir := t.TempDir()
	if err := run([]string{"-out", dir}, io.Discard); err != nil {
		t.Fatal(err)
	}
	m := shippedMap(t)
	if len(m.Personas) != 2 {
		t.Fatalf("%d personas, want the seed's 2 buyer personas", len(m.Personas))
	}
	for _, p := range m.Personas {
		mmd, err := os.ReadFile(filepath.Join(dir, "b2b-"+p.ID+"-journey.mmd"))
		if err != nil {
			t.Fatal(err)
		}
		var sections, tasks []string
		for _, l := range strings.Split(string(mmd), "\n") {
			l = strings.TrimSpace(l)
			switch {
			case strings.HasPrefix(l, "section "):
				sections = append(sections, strings.TrimPrefix(l, "section "))
			case strings.Count(l, ": ") >= 1 && !strings.HasPrefix(l, "title "):
				tasks = append(tasks, l)
			}
		}
		var stages []string
		for _, s := range m.Stages {
			stages = append(stages, s.Name)
		}
		if diff := cmp.Diff([]string{"Contact", "Qualification", "Prospecting", "Purchase", "After-sales"}, sections); diff != "" {
			t.Errorf("%s: sections (-want +got):\n%s", p.ID, diff)
		}
		if len(tasks) != len(m.Steps) {
			t.Errorf("%s: %d tasks, want one per step (%d)", p.ID, len(tasks), len(m.Steps))
		}
		// Each task's score is the persona's emotion on Mermaid's 1–5
		// scale: its empathy map's where it has one.
		for _, e := range p.Empathy {
			s, _ := m.Step(e.Step)
			want := strings.ReplaceAll(s.Name, ":", "#58;") + ": " + strconv.Itoa(e.Emotion.Score5()) + ":"
			found := false
			for _, task := range tasks {
				found = found || strings.HasPrefix(task, want)
			}
			if !found {
				t.Errorf("%s: no task %q in %q", p.ID, want, tasks)
			}
		}

		svg, err := os.ReadFile(filepath.Join(dir, "b2b-"+p.ID+"-map.svg"))
		if err != nil {
			t.Fatal(err)
		}
		d := xml.NewDecoder(bytes.NewReader(svg))
		root := ""
		var text strings.Builder
		for {
			tok, err := d.Token()
			if err == io.EOF {
				break
			}
			if err != nil {
				t.Fatalf("%s's SVG map does not parse: %v", p.ID, err)
			}
			switch tok := tok.(type) {
			case xml.StartElement:
				if root == "" {
					root = tok.Name.Local
				}
			case xml.CharData:
				text.Write(tok)
				text.WriteByte(' ')
			}
		}
		if root != "svg" {
			t.Errorf("%s's SVG map has the root %q", p.ID, root)
		}
		words := strings.Join(strings.Fields(text.String()), " ")
		for _, want := range append(stages, p.Name, "Empathy map") {
			if !strings.Contains(words, want) {
				t.Errorf("%s's SVG map does not say %q", p.ID, want)
			}
		}
	}
}

// TestRunBuyerJourney checks the buyer journey: every buyer gets to the
// information search, and each later stage is reached by fewer, down to
// the purchase.
func TestRunBuyerJourney(t *testing.T) {
	var out bytes.Buffer
	if err := run([]string{"-out", t.TempDir()}, &out); err != nil {
		t.Fatal(err)
	}
	stages := []string{"Trigger", "Information search", "Evaluation", "Decision", "Purchase"}
	blocks := strings.Split(out.String(), "Buyer journey: the steps")[1:]
	if len(blocks) != 2 {
		t.Fatalf("%d buyer journeys, want one per persona", len(blocks))
	}
	for i, b := range blocks {
		var reached []float64
		for _, l := range strings.Split(b, "\n") {
			l = strings.TrimSpace(l)
			for _, s := range stages[1:] {
				if rest, ok := strings.CutPrefix(l, s+" "); ok {
					f := strings.Fields(rest)
					x, err := strconv.ParseFloat(strings.TrimSuffix(f[0], "%"), 64)
					if err != nil {
						t.Fatalf("persona %d: %q: %v", i, l, err)
					}
					reached = append(reached, x)
				}
			}
		}
		if len(reached) != 4 || reached[0] != 100 {
			t.Fatalf("persona %d: reached %v, want 4 stages from 100%%", i, reached)
		}
		for k := 1; k < len(reached); k++ {
			if !(reached[k] < reached[k-1]) || reached[k] <= 0 {
				t.Errorf("persona %d: %s reached by %v%%, after %v%% at the stage before", i, stages[k+1], reached[k], reached[k-1])
			}
		}
	}
}

func TestRunErrors(t *testing.T) {
	tests := []struct {
		name, reason string
		args         []string
		want         string
	}{
		{"missing directory", "the output directory must exist", []string{"-out", filepath.Join(t.TempDir(), "none")}, "no such file"},
		{"unknown flag", "flags are checked", []string{"-nope"}, "flag provided but not defined: -nope"},
		{"argument", "the command takes flags only", []string{"more"}, `unexpected arguments ["more"]`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := run(tt.args, io.Discard)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("%s: got %v, want an error containing %q", tt.reason, err, tt.want)
			}
		})
	}
}

func TestRunHelp(t *testing.T) {
	var out bytes.Buffer
	if err := run([]string{"-h"}, &out); err != nil {
		t.Fatalf("-h: %v", err)
	}
	if !strings.HasPrefix(out.String(), "Usage of ") {
		t.Errorf("-h prints %q, want the usage", out.String())
	}
}
