package main

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/parcours-go/parcours/journey/eventio"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/golden")

// runCmd runs the command line in-process and returns its exit status,
// standard output and standard error.
func runCmd(t *testing.T, stdin string, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	status := run(args, strings.NewReader(stdin), &out, &errb)
	return status, out.String(), errb.String()
}

// mustRun runs the command line and fails the test unless it exits 0.
func mustRun(t *testing.T, args ...string) string {
	t.Helper()
	status, out, errs := runCmd(t, "", args...)
	if status != 0 {
		t.Fatalf("parcours %s: exit %d, stderr:\n%s", strings.Join(args, " "), status, errs)
	}
	return out
}

// golden compares got with testdata/golden/name, or rewrites it with -update.
func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", "golden", name)
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if got != string(want) {
		t.Errorf("%s differs from the golden file (go test -update rewrites it):\n--- got\n%s\n--- want\n%s", name, got, want)
	}
}

// goldenOutputs checks the table, JSON and CSV outputs of a command line
// against the golden files name.txt, name.json and name.csv, and returns
// the decoded JSON.
func goldenOutputs(t *testing.T, name string, args ...string) map[string]any {
	t.Helper()
	golden(t, name+".txt", mustRun(t, args...))
	js := mustRun(t, append(args, "--output", "json")...)
	golden(t, name+".json", js)
	golden(t, name+".csv", mustRun(t, append(args, "--output", "csv")...))
	var v map[string]any
	if err := json.Unmarshal([]byte(js), &v); err != nil {
		t.Fatalf("%s: the JSON output does not decode: %v", name, err)
	}
	return v
}

// rows returns the rows of the table key of a decoded JSON output.
func rows(t *testing.T, v map[string]any, key string) []map[string]any {
	t.Helper()
	raw, ok := v[key].([]any)
	if !ok {
		t.Fatalf("JSON output has no table %q: %v", key, v)
	}
	out := make([]map[string]any, len(raw))
	for i, r := range raw {
		out[i] = r.(map[string]any)
	}
	return out
}

// num returns a number of a decoded JSON row.
func num(t *testing.T, row map[string]any, key string) float64 {
	t.Helper()
	f, ok := row[key].(float64)
	if !ok {
		t.Fatalf("row %v: %q is not a number", row, key)
	}
	return f
}

func TestHelp(t *testing.T) {
	status, out, _ := runCmd(t, "", "help")
	if status != 0 || !strings.Contains(out, "funnel") || !strings.Contains(out, "attribution") {
		t.Errorf("help: exit %d, output:\n%s", status, out)
	}
	for _, c := range commands {
		for _, args := range [][]string{{"help", c.name}, {c.name, "--help"}} {
			status, out, _ := runCmd(t, "", args...)
			if status != 0 || !strings.Contains(out, "example:\n  parcours "+c.name) || !strings.Contains(out, "--output") {
				t.Errorf("%v: exit %d, output:\n%s", args, status, out)
			}
		}
	}
	golden(t, "help-funnel.txt", mustRun(t, "help", "funnel"))
}

func TestUsageErrors(t *testing.T) {
	for _, tc := range []struct {
		args []string
		msg  string
	}{
		{[]string{}, "usage: parcours SUBCOMMAND"},
		{[]string{"nope"}, `unknown subcommand "nope"`},
		{[]string{"help", "nope"}, `unknown subcommand "nope"`},
		{[]string{"funnel", "testdata/events.csv"}, "--steps is required"},
		{[]string{"funnel"}, "missing EVENTS"},
		{[]string{"funnel", "a.csv", "b.csv", "--steps", "a"}, "too many arguments: b.csv"},
		{[]string{"funnel", "testdata/events.csv", "--steps", "visit,cart", "--window", "7x"}, `bad duration "7x"`},
		{[]string{"funnel", "testdata/events.csv", "--steps", "visit,cart", "--window", "-2d"}, `invalid value "-2d" for flag -window`},
		{[]string{"funnel", "testdata/events.csv", "--steps", "visit,cart", "--order", "sideways"}, `--order "sideways"`},
		{[]string{"funnel", "testdata/events.csv", "--steps", "visit,cart", "--mode", "allow_reentry"}, "allow reentry"},
		{[]string{"funnel", "testdata/events.csv", "--steps", "visit", "--bogus"}, "flag provided but not defined: -bogus"},
		{[]string{"funnel", "testdata/events.csv", "--steps", "visit", "--output", "xml"}, `--output "xml"`},
		{[]string{"paths", "testdata/events.csv", "--by", "colour"}, `--by "colour"`},
		{[]string{"paths", "testdata/events.csv", "--view", "trees"}, `--view "trees"`},
		{[]string{"graph", "testdata/events.csv", "--draw", "png"}, `--draw "png"`},
		{[]string{"attribution", "testdata/events.csv"}, "--goal is required"},
		{[]string{"attribution", "testdata/events.csv", "--goal", "checkout", "--model", "magic"}, `--model "magic"`},
		{[]string{"attribution", "testdata/routes.csv", "--model", "timedecay"}, "timedecay needs events"},
		{[]string{"simulate", "testdata/shoeshop.json", "--customers", "0"}, "--customers 0"},
		{[]string{"simulate", "testdata/shoeshop.json", "--start", "yesterday"}, `--start "yesterday"`},
		{[]string{"impact", "testdata/shoeshop.json", "--explain", "nobody"}, `--explain "nobody"`},
		{[]string{"funnel", "testdata/events.csv", "--steps", "visit,cart", "--optional", "5"}, `--optional: "5" is not a stage number from 1 to 2`},
		{[]string{"funnel", "testdata/events.csv", "--steps", "visit,cart", "--exclude", "help@1"}, `--exclude "help@1"`},
		{[]string{"funnel", "testdata/events.csv", "--steps", "visit,cart", "--trend", "hourly"}, `--trend "hourly"`},
	} {
		status, out, errs := runCmd(t, "", tc.args...)
		if status != exitUsage || !strings.Contains(errs, tc.msg) || out != "" {
			t.Errorf("%v: exit %d (want 2), stdout %q, stderr:\n%s\n(want it to hold %q)", tc.args, status, out, errs, tc.msg)
		}
		if len(tc.args) > 0 && lookup(tc.args[0]) != nil && !strings.Contains(errs, "usage: parcours "+tc.args[0]) {
			t.Errorf("%v: no usage line in stderr:\n%s", tc.args, errs)
		}
	}
}

func TestDataErrors(t *testing.T) {
	dir := t.TempDir()
	write := func(name, text string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	malformed := write("malformed.csv", "customer,time,step\nc1,2025-03-01T09:00:00Z,visit\nc1,2025-13-01,cart\n")
	noStep := write("nostep.csv", "customer,time,event\nc1,2025-03-01T09:00:00Z,visit\n")
	badJSON := write("bad.jsonl", "{\"customer\":\"c1\",\"time\":\"2025-03-01T09:00:00Z\",\"step\":\"visit\"}\n{\"customer\":\"c1\",\"time\":\"2025-03-01T09:00:00Z\",\"step\":\"visit\",}\n")
	badMap := write("map.json", `{"name":"m","stages":[{"id":"s"}],"steps":[{"id":"a","stage":"nowhere"},{"id":"a","stage":"s"}]}`)
	badRoutes := write("routes.csv", "path,total_conversions,total_null\na > b,3,1\nc,x,2\n")
	for _, tc := range []struct {
		args []string
		msg  []string
	}{
		{[]string{"funnel", "testdata/missing.csv", "--steps", "visit"}, []string{"testdata/missing.csv", "no such file"}},
		{[]string{"funnel", malformed, "--steps", "visit"}, []string{malformed + ":3:2:", `column "time"`, "2025-13-01"}},
		{[]string{"funnel", noStep, "--steps", "visit"}, []string{noStep, `no "step" column`, "--step"}},
		{[]string{"paths", badJSON}, []string{badJSON + ":2:"}},
		{[]string{"funnel", malformed, "--steps", "visit", "--time", "when"}, []string{malformed, `"when"`}},
		{[]string{"validate", badMap}, []string{badMap, "problems"}},
		{[]string{"simulate", badMap}, []string{badMap, `unknown stage "nowhere"`, `duplicate`}},
		{[]string{"attribution", badRoutes}, []string{badRoutes, "line 3"}},
		{[]string{"impact", "testdata/missing.json"}, []string{"testdata/missing.json", "no such file"}},
	} {
		status, _, errs := runCmd(t, "", tc.args...)
		if status != exitData {
			t.Errorf("%v: exit %d, want 1; stderr:\n%s", tc.args, status, errs)
		}
		if strings.Count(strings.TrimRight(errs, "\n"), "\n") != 0 {
			t.Errorf("%v: the message is not one line:\n%s", tc.args, errs)
		}
		for _, m := range tc.msg {
			if !strings.Contains(errs, m) {
				t.Errorf("%v: stderr does not name %q:\n%s", tc.args, m, errs)
			}
		}
	}

	// Skipping bad rows reads the good ones and says what it skipped.
	status, out, errs := runCmd(t, "", "funnel", malformed, "--steps", "visit", "--skip-bad-rows", "--output", "csv")
	if status != 0 || !strings.Contains(errs, "skipped 1 bad row of 2") || !strings.Contains(out, "visit,1,0,1,1,0") {
		t.Errorf("--skip-bad-rows: exit %d, stdout:\n%s\nstderr:\n%s", status, out, errs)
	}
	// validate lists every problem of the map in its output too.
	_, out, _ = runCmd(t, "", "validate", badMap, "--output", "csv")
	if !strings.Contains(out, `unknown stage \"nowhere\"`) && !strings.Contains(out, `unknown stage ""nowhere""`) || !strings.Contains(out, "duplicate") {
		t.Errorf("validate: the problems are not listed:\n%s", out)
	}
}

func TestStdinAndFormats(t *testing.T) {
	csvText, err := os.ReadFile("testdata/events.csv")
	if err != nil {
		t.Fatal(err)
	}
	want := mustRun(t, "funnel", "testdata/events.csv", "--steps", "visit,cart,checkout", "--output", "csv")
	status, got, errs := runCmd(t, string(csvText), "funnel", "-", "--steps", "visit,cart,checkout", "--output", "csv")
	if status != 0 || got != want {
		t.Errorf("funnel on standard input: exit %d, stderr %s\n%s\nwant\n%s", status, errs, got, want)
	}
	// The same events as JSON Lines, through simulate's writer, give the
	// same funnel.
	dir := t.TempDir()
	jl := filepath.Join(dir, "events.jsonl")
	mustRun(t, "simulate", "testdata/shoeshop.json", "--customers", "50", "--seed", "3", "-o", jl)
	cs := filepath.Join(dir, "events.csv")
	mustRun(t, "simulate", "testdata/shoeshop.json", "--customers", "50", "--seed", "3", "-o", cs)
	a := mustRun(t, "paths", jl, "--output", "csv")
	b := mustRun(t, "paths", cs, "--output", "csv")
	if a != b {
		t.Errorf("paths differ between JSON Lines and CSV:\n%s\n%s", a, b)
	}
	// --format overrides the extension.
	txt := filepath.Join(dir, "events.txt")
	if err := os.WriteFile(txt, csvText, 0o644); err != nil {
		t.Fatal(err)
	}
	got = mustRun(t, "funnel", txt, "--format", "csv", "--steps", "visit,cart,checkout", "--output", "csv")
	if got != want {
		t.Errorf("--format csv on a .txt file:\n%s\nwant\n%s", got, want)
	}
	// -o writes to a file, and the markdown and jsonl outputs hold the rows.
	o := filepath.Join(dir, "out.md")
	if out := mustRun(t, "funnel", "testdata/events.csv", "--steps", "visit,cart,checkout", "--output", "markdown", "-o", o); out != "" {
		t.Errorf("-o: stdout not empty: %q", out)
	}
	md, _ := os.ReadFile(o)
	golden(t, "funnel.md", string(md))
	golden(t, "funnel.jsonl", mustRun(t, "funnel", "testdata/events.csv", "--steps", "visit,cart,checkout", "--window", "7d", "--output", "jsonl"))
}

func TestParseDuration(t *testing.T) {
	for s, want := range map[string]string{
		"7d": "168h0m0s", "1d12h": "36h0m0s", "2w": "336h0m0s", "90m": "1h30m0s", "1.5d": "36h0m0s", "0": "0s", "45s": "45s",
	} {
		d, err := parseDuration(s)
		if err != nil || d.String() != want {
			t.Errorf("parseDuration(%q) = %v, %v; want %s", s, d, err, want)
		}
	}
	for _, s := range []string{"", "d", "7", "7x", "1d2", "abc"} {
		if _, err := parseDuration(s); err == nil {
			t.Errorf("parseDuration(%q): no error", s)
		}
	}
}

func TestGzipAndProgress(t *testing.T) {
	raw, err := os.ReadFile("testdata/events.csv")
	if err != nil {
		t.Fatal(err)
	}
	var z bytes.Buffer
	zw := gzip.NewWriter(&z)
	zw.Write(raw)
	zw.Close()
	want := mustRun(t, "paths", "testdata/events.csv", "--output", "csv")
	if status, got, errs := runCmd(t, z.String(), "paths", "-", "--output", "csv"); status != 0 || got != want {
		t.Errorf("gzip on standard input: exit %d %s\n%s", status, errs, got)
	}
	gz := filepath.Join(t.TempDir(), "events.data")
	if err := os.WriteFile(gz, z.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	if got := mustRun(t, "paths", gz, "--format", "csv", "--output", "csv"); got != want {
		t.Errorf("gzip file with --format:\n%s", got)
	}

	// No bar unless standard error is a terminal, and none with --quiet.
	e := &env{stderr: &bytes.Buffer{}}
	if e.progress("x") != nil {
		t.Error("a bar on a buffer")
	}
	// The bar itself: a share of the bytes when the total is known.
	var b bytes.Buffer
	pb := &bar{w: &b, label: "events.csv"}
	pb.update(eventio.Progress{Bytes: 50, Total: 200, Events: 1234})
	if s := b.String(); !strings.Contains(s, "events.csv [=======") || !strings.Contains(s, " 25%") || !strings.Contains(s, "1,234 events") {
		t.Errorf("bar: %q", s)
	}
	b.Reset()
	pb.last = time.Time{}
	pb.update(eventio.Progress{Bytes: 3e6, Total: -1, Events: 10})
	if s := b.String(); !strings.Contains(s, "3.0 MB") {
		t.Errorf("bar without a total: %q", s)
	}
	pb.finish()
	if !strings.HasSuffix(b.String(), "\r") {
		t.Error("finish does not return to the line's start")
	}
	var nilBar *bar
	nilBar.update(eventio.Progress{})
	nilBar.finish()
	if thousands(1234567) != "1,234,567" || thousands(12) != "12" || thousands(123456) != "123,456" {
		t.Error("thousands")
	}
}

func TestGzipOutput(t *testing.T) {
	dir := t.TempDir()
	gz := filepath.Join(dir, "events.csv.gz")
	mustRun(t, "simulate", "testdata/shoeshop.json", "--customers", "30", "-o", gz)
	plainOut := mustRun(t, "simulate", "testdata/shoeshop.json", "--customers", "30")
	f, err := os.Open(gz)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if _, err := b.ReadFrom(zr); err != nil {
		t.Fatal(err)
	}
	if b.String() != plainOut {
		t.Error("the .gz output is not the events, compressed")
	}
	// And the compressed file reads back.
	status, out, errs := runCmd(t, plainOut, "paths", "-", "--output", "csv")
	if status != 0 || out != mustRun(t, "paths", gz, "--output", "csv") {
		t.Errorf("paths on the .gz file differs from paths on its text: %s", errs)
	}
}
