package textfmt

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestTable(t *testing.T) {
	tb := NewTable("<STEP", "VISITS", "<NOTE")
	tb.Add("browses-eshop", "104.8", "most lost")
	tb.Add("rates", "11.7")
	tb.Total = []string{"total", "116.5", ""}
	var b strings.Builder
	tb.Print(&b, "  ")
	want := `  STEP           VISITS  NOTE
  browses-eshop   104.8  most lost
  rates            11.7
  -------------  ------  ---------
  total           116.5
`
	if diff := cmp.Diff(want, b.String()); diff != "" {
		t.Errorf("text flush left, figures flush right, no trailing blanks (-want +got):\n%s", diff)
	}
}

func TestWrap(t *testing.T) {
	var b strings.Builder
	Wrap(&b, strings.Repeat("word ", 30), "  ")
	lines := strings.Split(strings.TrimSuffix(b.String(), "\n"), "\n")
	if len(lines) != 2 {
		t.Fatalf("150 characters in %d lines, want 2: %q", len(lines), lines)
	}
	for _, l := range lines {
		if len(l) > 100 || !strings.HasPrefix(l, "  word") {
			t.Errorf("line %q: longer than 100 or not indented", l)
		}
	}
}

func TestNumbers(t *testing.T) {
	tests := []struct{ got, want string }{
		{Count(0), "0"},
		{Count(999), "999"},
		{Count(1000), "1,000"},
		{Count(-1234567), "-1,234,567"},
		{Round(54035.6), "54,036"},
		{Percent(0.2703), "27.0%"},
		{Percent(Ratio(1, 0)), "0.0%"},
		{ShortName("Julie, mobile-first shopper", "julie"), "Julie"},
		{ShortName("", "julie"), "julie"},
	}
	for _, tt := range tests {
		if tt.got != tt.want {
			t.Errorf("got %q, want %q", tt.got, tt.want)
		}
	}
}

func TestTableWrapsItsLastTextColumn(t *testing.T) {
	tb := NewTable("<STAGE", "REACHED", "<STEPS")
	tb.Add("Information search", "100.0%", "Visits the website; Meets the team at a trade fair; Calls the switchboard; Fills in the contact form")
	tb.Add("Decision", "11.8%", "Negotiates the terms")
	var b strings.Builder
	tb.Print(&b, "  ")
	want := `  STAGE               REACHED  STEPS
  Information search   100.0%  Visits the website; Meets the team at a trade fair; Calls the
                               switchboard; Fills in the contact form
  Decision              11.8%  Negotiates the terms
`
	if diff := cmp.Diff(want, b.String()); diff != "" {
		t.Errorf("lines longer than LineWidth wrap under the last column (-want +got):\n%s", diff)
	}
	for _, l := range strings.Split(b.String(), "\n") {
		if len(l) > LineWidth {
			t.Errorf("line of %d characters: %q", len(l), l)
		}
	}
}
