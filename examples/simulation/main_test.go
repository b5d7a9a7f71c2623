package main

import (
	"bytes"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// interval matches "x [lo, hi]".
var interval = regexp.MustCompile(`([+-]?[0-9.]+) \[([+-]?[0-9.]+), ([+-]?[0-9.]+)\]`)

// comparison is a row of the printed comparison.
type comparison struct {
	baseline, variant, diff [3]float64 // mean, low, high
	exact                   float64
	hasExact                bool
	unit                    float64 // the last printed place: 0.0001, 0.01 or 0.1
}

// parse reads the printed comparison and personas tables.
func parse(t *testing.T, out string) (rows map[string]comparison, personas map[string][3]float64, funnel [][]int) {
	t.Helper()
	rows = map[string]comparison{}
	personas = map[string][3]float64{} // share, exact conversion, with the intervention
	section := ""
	for _, line := range strings.Split(out, "\n") {
		switch {
		case strings.HasPrefix(line, "PERSONA"), strings.HasPrefix(line, "OUTCOME"), strings.HasPrefix(line, "STAGE"):
			section = strings.Fields(line)[0]
			continue
		case strings.TrimSpace(line) == "":
			section = ""
			continue
		}
		switch section {
		case "PERSONA":
			f := strings.Fields(line)
			personas[f[0]] = [3]float64{num(t, f[1]), num(t, f[len(f)-2]), num(t, f[len(f)-1])}
		case "OUTCOME":
			m := interval.FindAllStringSubmatch(line, -1)
			if len(m) != 3 {
				t.Fatalf("row %q: %d intervals", line, len(m))
			}
			name := strings.TrimSpace(line[:strings.Index(line, m[0][0])])
			var c comparison
			for k, dst := range []*[3]float64{&c.baseline, &c.variant, &c.diff} {
				for j := range 3 {
					dst[j] = num(t, m[k][j+1])
				}
			}
			if _, frac, ok := strings.Cut(m[2][1], "."); ok {
				c.unit = math.Pow(10, -float64(len(frac)))
			}
			last := strings.Fields(line)[len(strings.Fields(line))-1]
			if last != "-" {
				c.exact, c.hasExact = num(t, last), true
			}
			rows[name] = c
		case "STAGE":
			var counts []int
			for _, f := range strings.Fields(line)[1:] {
				n, err := strconv.Atoi(f)
				if err != nil {
					t.Fatalf("funnel row %q: %v", line, err)
				}
				counts = append(counts, n)
			}
			funnel = append(funnel, counts)
		}
	}
	return rows, personas, funnel
}

func num(t *testing.T, s string) float64 {
	t.Helper()
	x, err := strconv.ParseFloat(s, 64)
	if err != nil {
		t.Fatalf("%q: %v", s, err)
	}
	return x
}

func TestRunPrintsAConsistentComparison(t *testing.T) {
	tests := []struct {
		name, reason string
		args         []string
		customers    int
	}{
		{name: "defaults", reason: "what a user sees first: 30 replications of 20 000 customers", customers: 20000},
		{
			name: "smaller, 99%", reason: "fewer customers and replications, another seed, two workers",
			args: []string{"-customers", "4000", "-reps", "12", "-seed", "7", "-workers", "2", "-level", "0.99"}, customers: 4000,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var b bytes.Buffer
			if err := run(tt.args, &b); err != nil {
				t.Fatal(err)
			}
			out := b.String()
			rows, personas, funnel := parse(t, out)
			if len(rows) != 7 {
				t.Errorf("%s: %d outcome rows, want 7:\n%s", tt.reason, len(rows), out)
			}
			exact := 0
			for name, r := range rows {
				// Rounding is monotone, so the printed interval still
				// contains the printed exact effect.
				if r.hasExact {
					exact++
					if !(r.diff[1] <= r.exact && r.exact <= r.diff[2]) {
						t.Errorf("%s: %s: the interval [%v, %v] misses the exact effect %v", tt.reason, name, r.diff[1], r.diff[2], r.exact)
					}
				}
				// Each interval contains its mean; the difference of the
				// means is the mean difference, up to the rounding.
				for _, e := range [][3]float64{r.baseline, r.variant, r.diff} {
					if !(e[1] <= e[0] && e[0] <= e[2]) {
						t.Errorf("%s: %s: mean %v outside its interval [%v, %v]", tt.reason, name, e[0], e[1], e[2])
					}
				}
				// Three figures rounded to half a unit each.
				if d := r.variant[0] - r.baseline[0] - r.diff[0]; math.Abs(d) > 1.5*r.unit+1e-9 {
					t.Errorf("%s: %s: variant − baseline = %v, printed difference %v", tt.reason, name, r.variant[0]-r.baseline[0], r.diff[0])
				}
			}
			if exact != 5 {
				t.Errorf("%s: %d outcomes with an exact effect, want 5 (conversion, value, three reaches)", tt.reason, exact)
			}
			// The conversion rate is the share that signs: every signer converts.
			if c, s := rows["conversion (signed orders)"], rows["reach signs-order"]; c != s {
				t.Errorf("%s: conversion %+v and reach of signs-order %+v differ", tt.reason, c, s)
			}
			// The population's exact rates are the share-weighted personas'.
			all := personas["all"]
			for k := 1; k <= 2; k++ {
				mix := 0.0
				for id, p := range personas {
					if id != "all" {
						mix += p[0] * p[k]
					}
				}
				if math.Abs(mix-all[k]) > 2e-4 {
					t.Errorf("%s: personas mix to %.4f, the population's rate is %.4f", tt.reason, mix, all[k])
				}
			}
			// The exact effect on conversion is the persona table's.
			if c := rows["conversion (signed orders)"]; math.Abs(c.exact-(all[2]-all[1])) > 2e-4 {
				t.Errorf("%s: exact effect %v, persona table %v", tt.reason, c.exact, all[2]-all[1])
			}
			// The funnel: everyone reaches contact; each stage's count is the
			// personas' sum and never more than the stage before.
			if len(funnel) != 5 {
				t.Fatalf("%s: %d funnel rows, want 5", tt.reason, len(funnel))
			}
			for k, row := range funnel {
				if row[0] != row[1]+row[2] {
					t.Errorf("%s: stage %d: %d customers, personas %d + %d", tt.reason, k, row[0], row[1], row[2])
				}
				if k == 0 && row[0] != tt.customers {
					t.Errorf("%s: %d customers reach contact, want all %d", tt.reason, row[0], tt.customers)
				}
				if k > 0 && row[0] > funnel[k-1][0] {
					t.Errorf("%s: stage %d has more customers than the one before", tt.reason, k)
				}
			}
		})
	}
}

func TestRunIsReproducible(t *testing.T) {
	args := []string{"-customers", "3000", "-reps", "4", "-seed", "11"}
	var a, b bytes.Buffer
	if err := run(append(args, "-workers", "1"), &a); err != nil {
		t.Fatal(err)
	}
	if err := run(append(args, "-workers", "3"), &b); err != nil {
		t.Fatal(err)
	}
	if a.String() != b.String() {
		t.Errorf("1 and 3 workers print different figures:\n%s\n---\n%s", a.String(), b.String())
	}
}

func TestRunErrors(t *testing.T) {
	dir := t.TempDir()
	noQuote := filepath.Join(dir, "no-quote.json")
	if err := os.WriteFile(noQuote, []byte(`{"name": "tiny", "steps": [{"id": "visit"}],
		"transitions": [{"from": "visit", "to": "(conversion)", "probability": 0.5}]}`), 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, reason string
		args         []string
		want         string
	}{
		{"missing file", "the map must exist", []string{"-map", filepath.Join(dir, "none.json")}, "no such file"},
		{"no quote step", "the script sets waits at steps the map must have", []string{"-map", noQuote}, `simulate: waits["requests-quote"]: unknown step "requests-quote"`},
		{"bad customers", "options are checked", []string{"-customers", "0"}, "simulate: options: customers: bad option: 0 is not positive"},
		{"bad flag", "flags are checked", []string{"-nope"}, "flag provided but not defined: -nope"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := run(tt.args, &bytes.Buffer{})
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("%s: got %v, want an error containing %q", tt.reason, err, tt.want)
			}
		})
	}
}
