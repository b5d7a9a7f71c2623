package main

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"errors"
	"io"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/parcours-go/parcours/examples/internal/textfmt"
	"github.com/parcours-go/parcours/journey"
	"github.com/parcours-go/parcours/journey/eventio"
)

func TestRunPrintsTheContactMap(t *testing.T) {
	var out bytes.Buffer
	if err := run([]string{"-contacts"}, &out); err != nil {
		t.Fatal(err)
	}
	got := out.String()
	if !strings.HasPrefix(got, "shoeshop: 5 stages, 16 steps, 34 touchpoints, 9 departments\n") {
		t.Errorf("header: %q", strings.SplitN(got, "\n", 2)[0])
	}
	lines := strings.Split(strings.TrimSpace(got), "\n")
	// header, blank, column titles, then one row per (step, touchpoint) pair.
	if rows := len(lines) - 3; rows != 35 {
		t.Errorf("%d rows, want 35 (one per touchpoint placed at a step)", rows)
	}
	for _, want := range []string{
		"Wants to buy shoes", "Calls the hotline", "Uses a $10 coupon for a new purchase",
		"Hotline employee", "Return address label", "Customer care", "Logistics service providers",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("output lacks %q", want)
		}
	}
}

func TestRunReportsEveryBreakOfABrokenMap(t *testing.T) {
	want := []string{
		`map "shoeshop-broken": steps[3] "checkout": touchpoints[0]: unknown touchpoint "basket"`,
		`map "shoeshop-broken": steps[5] "awaits-parcel": stage: unknown stage "delivery"`,
		`map "shoeshop-broken": steps[7] "tries-shoes": emotion: -5 is off the scale [-2, 2]`,
		`map "shoeshop-broken": transitions[28] "rates" -> "refund": to: unknown step "refund"`,
		`map "shoeshop-broken": transitions from "browses-eshop": probabilities sum to 1.05, more than 1`,
		`map "shoeshop-broken": catalog: touchpoints[16] "shipping-updates": owner: unknown department "ops"`,
		`map "shoeshop-broken": personas: shares sum to 1.15, more than 1`,
	}
	html := filepath.Join(t.TempDir(), "report.html")
	for _, args := range [][]string{
		{"-map", "testdata/broken.json", "-contacts"},
		{"-map", "testdata/broken.json", "-customers", "100", "-html", html},
	} {
		err := run(args, &bytes.Buffer{})
		if err == nil {
			t.Fatalf("%q: the broken map was accepted", args)
		}
		if diff := cmp.Diff(want, strings.Split(err.Error(), "\n")); diff != "" {
			t.Errorf("%q: errors (-want +got):\n%s", args, diff)
		}
	}
	if _, err := os.Stat(html); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("a report was written for a broken map: %v", err)
	}
}

func TestRunReachabilityOfTheBrokenMap(t *testing.T) {
	// Reachability is checked once every reference resolves: mend the
	// references of the broken map and the unreachable step remains.
	data, err := readFile("testdata/broken.json")
	if err != nil {
		t.Fatal(err)
	}
	for old, repl := range map[string]string{`"basket"`: `"cart"`, `"delivery"`: `"service"`, `-5`: `-1`, `"to": "refund"`: `"to": "(exit)"`, `"probability": 0.9`: `"probability": 0.3`, `"ops"`: `"logistics"`, `"share": 0.7`: `"share": 0.5`} {
		data = bytes.Replace(data, []byte(old), []byte(repl), 1)
	}
	err = runMap(data, &bytes.Buffer{})
	want := `map "shoeshop-broken": steps[16] "dead-end": unreachable: no route from (start) leads here`
	if err == nil || err.Error() != want {
		t.Errorf("got %v\nwant %s", err, want)
	}
}

func TestRunBadArguments(t *testing.T) {
	dir := t.TempDir()
	txt := filepath.Join(dir, "events.txt")
	if err := os.WriteFile(txt, []byte("customer,time,step\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	empty := filepath.Join(dir, "empty.csv")
	if err := os.WriteFile(empty, []byte("customer,time,step\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	bad := filepath.Join(dir, "bad.csv")
	if err := os.WriteFile(bad, []byte("customer,time,step\nc1,yesterday,checkout\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	noPurchase := filepath.Join(dir, "no-purchase.json")
	if err := os.WriteFile(noPurchase, []byte(`{"name": "tiny", "steps": [{"id": "visit"}]}`), 0o644); err != nil {
		t.Fatal(err)
	}
	html := filepath.Join(dir, "report.html")
	tests := []struct {
		name, reason string
		args         []string
		want         string
	}{
		{"missing map", "the map must exist", []string{"-map", "testdata/none.json"}, "no such file"},
		{"unknown flag", "flags are checked", []string{"-nope"}, "flag provided but not defined: -nope"},
		{"argument", "the command takes flags only", []string{"more"}, `unexpected arguments ["more"]`},
		{"missing log", "the log must exist", []string{"-log", filepath.Join(dir, "none.csv"), "-html", html}, "no such file"},
		{"log format", "a log is CSV or JSON Lines", []string{"-log", txt, "-html", html}, "cannot tell the format"},
		{"empty log", "there must be events to analyse", []string{"-log", empty, "-html", html}, "the log has no event"},
		{"bad log", "the reader's errors name the file and line", []string{"-log", bad, "-html", html}, "bad.csv:2: "},
		{"no purchase", "the tour needs the purchase step", []string{"-map", noPurchase, "-html", html}, `map "tiny" has no step "thank-you"`},
		{"no customers", "the simulation's options are checked", []string{"-customers", "0", "-html", html}, "customers"},
		{"unwritable report", "the report's errors are returned", []string{"-customers", "50", "-html", filepath.Join(dir, "no", "such", "dir.html")}, "no such file"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := run(tt.args, io.Discard)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("%s: got %v, want an error containing %q", tt.reason, err, tt.want)
			}
		})
	}
	if _, err := os.Stat(html); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("a report was written on error: %v", err)
	}
}

// section returns the lines of the printed tour's section whose heading
// starts with prefix ("1. Funnel"), up to the next heading.
func section(t *testing.T, out, prefix string) []string {
	t.Helper()
	_, rest, ok := strings.Cut(out, "\n"+prefix)
	if !ok {
		t.Fatalf("no section %q in:\n%s", prefix, out)
	}
	lines := strings.Split(rest, "\n")
	for i, l := range lines[1:] {
		if len(l) > 2 && l[0] >= '1' && l[0] <= '9' && l[1] == '.' {
			return lines[:i+1]
		}
	}
	return lines
}

// rows returns the rows of the table whose header starts with head, in
// a section, as their fields; the rule and the total row are left out.
func rows(t *testing.T, lines []string, head string) (header []string, rows [][]string) {
	t.Helper()
	for i, l := range lines {
		if strings.HasPrefix(strings.TrimSpace(l), head) {
			header = strings.Fields(l)
			for _, r := range lines[i+1:] {
				if strings.TrimSpace(r) == "" || strings.HasPrefix(strings.TrimSpace(r), "---") {
					break
				}
				rows = append(rows, strings.Fields(r))
			}
			return header, rows
		}
	}
	t.Fatalf("no table %q in %q", head, lines)
	return nil, nil
}

// count reads a printed whole number: 20,000.
func count(t *testing.T, s string) int {
	t.Helper()
	n, err := strconv.Atoi(strings.ReplaceAll(s, ",", ""))
	if err != nil {
		t.Fatalf("%q: %v", s, err)
	}
	return n
}

// tourFigures are the figures of a printed tour that its tests check.
type tourFigures struct {
	customers   int   // from the second line
	funnel      []int // customers reaching each stage
	personas    []int // at the first stage, by persona
	purchased   int   // from the routes' heading
	attribution map[string]int
	departments int
}

var customersRE = regexp.MustCompile(`([0-9,]+) customers`)

func parseTour(t *testing.T, out string) tourFigures {
	t.Helper()
	var f tourFigures
	// "Simulated 3,000 customers with seed 1: …" or "events.csv: 3,000 customers, …"
	m := customersRE.FindStringSubmatch(strings.SplitN(out, "\n", 3)[1])
	if m == nil {
		t.Fatalf("the second line does not say how many customers:\n%s", out)
	}
	f.customers = count(t, m[1])

	header, stages := rows(t, section(t, out, "1. Funnel"), "STAGE")
	if len(stages) != 5 || strings.Join(header[len(header)-2:], " ") != "JULIE MARC" {
		t.Fatalf("funnel: %d stages and columns %q, want 5 stages and a column per persona", len(stages), header)
	}
	for k, r := range stages {
		f.funnel = append(f.funnel, count(t, r[1]))
		if k == 0 {
			f.personas = []int{count(t, r[len(r)-2]), count(t, r[len(r)-1])}
		}
	}

	routes := section(t, out, "2. Top routes")
	f.purchased = count(t, strings.Fields(routes[1])[0]) // "5,399 of the 20,000 customers purchased"

	attr := section(t, out, "4. Attribution")
	header, channels := rows(t, attr, "CHANNEL")
	f.attribution = map[string]int{}
	for _, r := range channels {
		for j, cell := range r[1 : len(r)-1] {
			f.attribution[header[j+1]] += count(t, cell)
		}
	}
	for _, l := range attr {
		if fs := strings.Fields(l); len(fs) > 0 && fs[0] == "total" {
			for j, cell := range fs[1:] {
				if got := count(t, cell); got != f.purchased {
					t.Errorf("attribution: %s's total is %d, want the %d purchases", header[j+1], got, f.purchased)
				}
			}
		}
	}

	_, depts := rows(t, section(t, out, "5. Department impact"), "RANK")
	for i, r := range depts {
		if count(t, r[0]) != i+1 {
			t.Errorf("department row %d has rank %s", i, r[0])
		}
	}
	f.departments = len(depts)
	return f
}

func TestRunTour(t *testing.T) {
	const customers = 3000
	dir := t.TempDir()
	html := filepath.Join(dir, "report.html")
	var b bytes.Buffer
	if err := run([]string{"-customers", strconv.Itoa(customers), "-seed", "3", "-html", html}, &b); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	f := parseTour(t, out)

	if f.customers != customers {
		t.Errorf("the first line says %d customers, want %d:\n%s", f.customers, customers, out)
	}
	// Everyone enters the journey at the awareness stage, as one of the
	// two personas; each later stage holds at most the one before.
	if f.funnel[0] != customers {
		t.Errorf("the funnel's first stage has %d customers, want all %d", f.funnel[0], customers)
	}
	if f.personas[0]+f.personas[1] != customers || f.personas[0] == 0 || f.personas[1] == 0 {
		t.Errorf("personas at the first stage: %v, want two non-empty parts of %d", f.personas, customers)
	}
	for k := 1; k < len(f.funnel); k++ {
		if f.funnel[k] > f.funnel[k-1] {
			t.Errorf("stage %d has %d customers, more than the %d before", k, f.funnel[k], f.funnel[k-1])
		}
	}
	// Every purchaser reached the acquisition stage (the thank-you page
	// is there); the service stage follows every purchase, but within
	// the funnel's window.
	if f.purchased == 0 || f.purchased > f.funnel[2] {
		t.Errorf("%d purchases, %d customers at acquisition", f.purchased, f.funnel[2])
	}
	// Each model shares out the purchases: its column sums to them, up
	// to the rounding of each of the five channels.
	if len(f.attribution) != 7 {
		t.Errorf("%d attribution models, want 7", len(f.attribution))
	}
	for model, sum := range f.attribution {
		if math.Abs(float64(sum-f.purchased)) > 3 {
			t.Errorf("attribution: %s's column sums to %d, want about the %d purchases", model, sum, f.purchased)
		}
	}
	if f.departments != 9 {
		t.Errorf("%d departments ranked, want the map's 9", f.departments)
	}
	if !strings.Contains(out, "Why E-shop management ranks first:\n     eshop (E-shop management), a stage-focused department, ranks 1st of 9") {
		t.Errorf("the top department is not explained:\n%s", out)
	}
	if !strings.HasSuffix(out, "The HTML report is in "+html+": open it in a browser.\n") {
		t.Errorf("the output does not say where the report is:\n%s", out)
	}
	checkReport(t, html, f)
}

// checkReport checks that the report is a well-formed page with the
// tour's sections and figures.
func checkReport(t *testing.T, path string, f tourFigures) {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	d := xml.NewDecoder(bytes.NewReader(data))
	d.Strict = true
	d.Entity = xml.HTMLEntity
	d.AutoClose = xml.HTMLAutoClose
	ids := map[string]bool{}
	var text strings.Builder
	for {
		tok, err := d.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("%s does not parse: %v", path, err)
		}
		switch tok := tok.(type) {
		case xml.StartElement:
			for _, a := range tok.Attr {
				if a.Name.Local == "id" {
					ids[a.Value] = true
				}
			}
		case xml.CharData:
			text.Write(tok)
		}
	}
	for _, id := range []string{"summary", "map-julie", "map-marc", "funnel", "top-routes", "journey-graph", "friction", "conformance", "attribution", "impact", "contact-map"} {
		if !ids[id] {
			t.Errorf("the report has no section %q", id)
		}
	}
	for _, want := range []string{
		"Shoe shop journey report",
		textfmt.Count(f.customers) + " customers",
		textfmt.Count(f.purchased) + " purchases",
		"Why E-shop management ranks first",
		"Purchases attributed to each channel",
	} {
		if !strings.Contains(text.String(), want) {
			t.Errorf("the report does not say %q", want)
		}
	}
}

// TestRunLog writes a simulated log to CSV and JSON Lines and has the
// tour read it back: every figure is the simulation's.
func TestRunLog(t *testing.T) {
	m, err := journey.ReadMap(bytes.NewReader(shippedMap))
	if err != nil {
		t.Fatal(err)
	}
	l, err := simulateLog(m, 2000, 5, 1)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	csvPath, jsonlPath := filepath.Join(dir, "events.csv"), filepath.Join(dir, "events.jsonl")
	var c, j bytes.Buffer
	if err := eventio.WriteCSV(&c, l, eventio.WriteOptions{}); err != nil {
		t.Fatal(err)
	}
	if err := eventio.WriteJSONL(&j, l); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(csvPath, c.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(jsonlPath, j.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	// body is the tour without its source line and the report's path.
	body := func(out string) string {
		lines := strings.Split(out, "\n")
		return strings.Join(lines[2:len(lines)-2], "\n")
	}
	var sim bytes.Buffer
	if err := run([]string{"-customers", "2000", "-seed", "5", "-workers", "1", "-html", filepath.Join(dir, "sim.html")}, &sim); err != nil {
		t.Fatal(err)
	}
	for _, path := range []string{csvPath, jsonlPath} {
		var b bytes.Buffer
		html := filepath.Join(dir, filepath.Base(path)+".html")
		if err := run([]string{"-log", path, "-html", html}, &b); err != nil {
			t.Fatal(err)
		}
		if want := path + ": 2,000 customers"; !strings.Contains(b.String(), want) {
			t.Errorf("%s: the output does not say %q", path, want)
		}
		if diff := cmp.Diff(body(sim.String()), body(b.String())); diff != "" {
			t.Errorf("%s: the tour of the log differs from the simulation's (-sim +log):\n%s", path, diff)
		}
		if f := parseTour(t, b.String()); f.funnel[0] != 2000 {
			t.Errorf("%s: %d customers at the first stage, want 2000", path, f.funnel[0])
		}
	}
}

// TestRunMapWithoutPersonas runs the tour on the shipped map stripped
// of its personas: the funnel has no persona columns, the rest is there.
func TestRunMapWithoutPersonas(t *testing.T) {
	var doc map[string]any
	if err := json.Unmarshal(shippedMap, &doc); err != nil {
		t.Fatal(err)
	}
	delete(doc, "personas")
	delete(doc, "rules")
	data, err := json.Marshal(doc)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	path := filepath.Join(dir, "no-personas.json")
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if err := run([]string{"-map", path, "-customers", "1000", "-html", filepath.Join(dir, "report.html")}, &b); err != nil {
		t.Fatal(err)
	}
	header, stages := rows(t, section(t, b.String(), "1. Funnel"), "STAGE")
	if header[len(header)-1] != "TIME" || len(stages) != 5 || count(t, stages[0][1]) != 1000 {
		t.Errorf("funnel without personas: header %q, rows %q", header, stages)
	}
	for _, s := range []string{"2. Top routes", "3. Friction", "4. Attribution", "5. Department impact"} {
		section(t, b.String(), s)
	}
}

// TestRunIsReproducible runs the tour with one and with two workers:
// the simulation and every analysis give the same figures.
func TestRunIsReproducible(t *testing.T) {
	dir := t.TempDir()
	var a, b bytes.Buffer
	if err := run([]string{"-customers", "1500", "-workers", "1", "-html", filepath.Join(dir, "a.html")}, &a); err != nil {
		t.Fatal(err)
	}
	if err := run([]string{"-customers", "1500", "-workers", "2", "-html", filepath.Join(dir, "b.html")}, &b); err != nil {
		t.Fatal(err)
	}
	strip := func(s string) string { return s[:strings.LastIndex(s, "The HTML report is in")] }
	if diff := cmp.Diff(strip(a.String()), strip(b.String())); diff != "" {
		t.Errorf("1 and 2 workers differ (-1 +2):\n%s", diff)
	}
	ra, err := os.ReadFile(filepath.Join(dir, "a.html"))
	if err != nil {
		t.Fatal(err)
	}
	rb, err := os.ReadFile(filepath.Join(dir, "b.html"))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(ra, rb) {
		t.Error("1 and 2 workers write different reports")
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
