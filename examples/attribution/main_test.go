package main

import (
	"bytes"
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/parcours-go/parcours/journey/attribution"
)

// section returns the lines of the table titled title in out, the column
// titles first, each line split into fields.
func section(t *testing.T, out, title string) [][]string {
	t.Helper()
	_, rest, ok := strings.Cut(out, "\n"+title+"\n")
	if !ok {
		t.Fatalf("no %q table in:\n%s", title, out)
	}
	block, _, _ := strings.Cut(rest, "\n\n")
	var rows [][]string
	for _, line := range strings.Split(block, "\n") {
		rows = append(rows, strings.Fields(line))
	}
	return rows
}

// row returns the row of touch in a table.
func row(t *testing.T, rows [][]string, touch string) []string {
	t.Helper()
	for _, r := range rows {
		if r[0] == touch {
			return r
		}
	}
	t.Fatalf("no row for %q", touch)
	return nil
}

func TestRunShippedTable(t *testing.T) {
	var out bytes.Buffer
	if err := run(nil, &out); err != nil {
		t.Fatal(err)
	}
	got := out.String()
	if want := "32 routes, 2540 customers, 314 conversions worth 26340.00\n"; !strings.HasPrefix(got, want) {
		t.Errorf("first line %q, want %q", strings.SplitN(got, "\n", 2)[0], want)
	}
	columns := []string{"touch", "first", "last", "linear", "40/20/40", "shapley", "ordered", "markov-1", "markov-2"}
	conv, value := section(t, got, "conversions"), section(t, got, "value")
	for _, tab := range [][][]string{conv, value} {
		if diff := cmp.Diff(columns, tab[0]); diff != "" {
			t.Errorf("column titles (-want +got):\n%s", diff)
		}
	}

	// display is on 8 converting routes (and one that never converts),
	// worked by hand: first on display; display > search; display >
	// social > search; display > display > search > direct; display >
	// email > direct; display > social > email > direct (2 + 5 + 3 + 4 +
	// 3 + 2 = 19 conversions worth 1555); last on display and search >
	// display (2 + 1 = 3, worth 220); linear 2 + 5/2 + 3/3 + 4·2/4 + 2/3 +
	// 1/2 + 3/3 + 2/4 = 10.17 worth 812.50; 40/20/40 2 + 5/2 + 0.4·3 +
	// 0.5·4 + 0.2·2 + 1/2 + 0.4·3 + 0.4·2 = 10.60 worth 851; Shapley, by
	// distinct touches, 2 + 5/2 + 3/3 + 4/3 + 2/3 + 1/2 + 3/3 + 2/4 = 9.50
	// worth 755.83, and the ordered Shapley value sums to it.
	if diff := cmp.Diff([]string{"display", "19.00", "3.00", "10.17", "10.60", "9.50", "9.50"}, row(t, conv, "display")[:7]); diff != "" {
		t.Errorf("display's conversions (-hand +run):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"display", "1555.00", "220.00", "812.50", "851.00", "755.83", "755.83"}, row(t, value, "display")[:7]); diff != "" {
		t.Errorf("display's value (-hand +run):\n%s", diff)
	}
	// affiliate is only ever touched alone: every heuristic gives it its
	// own 6 conversions worth 540, and its Markov state is a dead end of
	// its own, so its removal effect is 6/314 at both orders.
	if diff := cmp.Diff([]string{"affiliate", "6.00", "6.00", "6.00", "6.00", "6.00", "6.00"}, row(t, conv, "affiliate")[:7]); diff != "" {
		t.Errorf("affiliate's conversions (-hand +run):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"affiliate", "0.0191", "0.0191"}, row(t, section(t, got, "removal effects"), "affiliate")); diff != "" {
		t.Errorf("affiliate's removal effects (-hand +run):\n%s", diff)
	}
	for i, col := range columns[1:] {
		if c, v := row(t, conv, "total")[i+1], row(t, value, "total")[i+1]; c != "314.00" || v != "26340.00" {
			t.Errorf("%s attributes %s conversions worth %s, want 314.00 worth 26340.00", col, c, v)
		}
	}
	if !strings.Contains(got, "\nchoosing the order (30% of the customers held out, seed 1): penalised ROC AUC ") {
		t.Errorf("no order chosen in:\n%s", got)
	}
}

func TestRunWorkedExample(t *testing.T) {
	var out bytes.Buffer
	if err := run([]string{"-table", "testdata/worked.csv"}, &out); err != nil {
		t.Fatal(err)
	}
	got := out.String()
	// The research notes' worked example (§6): Markov order 1 gives A, B, C
	// 9/5, 3, 6/5 conversions worth 490/23, 700/23, 420/23; order 2 gives
	// 24/11, 30/11, 12/11 worth 700/27, 700/27, 490/27.
	conv, value, re := section(t, got, "conversions"), section(t, got, "value"), section(t, got, "removal effects")
	want := map[string][3][]string{
		"A": {{"1.80", "2.18"}, {"21.30", "25.93"}, {"A", "0.5000", "0.6667"}},
		"B": {{"3.00", "2.73"}, {"30.43", "25.93"}, {"B", "0.8333", "0.8333"}},
		"C": {{"1.20", "1.09"}, {"18.26", "18.15"}, {"C", "0.3333", "0.3333"}},
	}
	for touch, w := range want {
		if diff := cmp.Diff(w[0], row(t, conv, touch)[7:]); diff != "" {
			t.Errorf("%s: Markov conversions (-notes +run):\n%s", touch, diff)
		}
		if diff := cmp.Diff(w[1], row(t, value, touch)[7:]); diff != "" {
			t.Errorf("%s: Markov value (-notes +run):\n%s", touch, diff)
		}
		if diff := cmp.Diff(w[2], row(t, re, touch)); diff != "" {
			t.Errorf("%s: removal effects (-notes +run):\n%s", touch, diff)
		}
	}
}

func TestRunBadTable(t *testing.T) {
	err := run([]string{"-table", "testdata/bad.csv"}, &bytes.Buffer{})
	var pe *attribution.ParseError
	if !errors.As(err, &pe) || pe.Line != 3 || pe.Column != 2 || !errors.Is(err, attribution.ErrBadCount) {
		t.Errorf("error %v, want a bad count at line 3, column 2", err)
	}
	if err := run([]string{"-table", "testdata/missing.csv"}, &bytes.Buffer{}); err == nil {
		t.Error("a missing file gave no error")
	}
	if err := run([]string{"-no-such-flag"}, &bytes.Buffer{}); err == nil {
		t.Error("an unknown flag gave no error")
	}
}
