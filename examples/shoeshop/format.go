package main

import (
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// table is a text table: text columns flush left, figures flush right.
type table struct {
	head  []string
	text  []bool // text[i]: column i holds text
	rows  [][]string
	total []string // a last row under a rule; nil for none
}

func newTable(cols ...string) *table {
	t := &table{}
	for _, c := range cols {
		// A column named with a leading '<' holds text.
		name, isText := strings.CutPrefix(c, "<")
		t.head = append(t.head, name)
		t.text = append(t.text, isText)
	}
	return t
}

func (t *table) add(cells ...string) { t.rows = append(t.rows, cells) }

// print writes the table, each line after indent, columns two spaces
// apart.
func (t *table) print(w io.Writer, indent string) {
	width := make([]int, len(t.head))
	all := append([][]string{t.head}, t.rows...)
	if t.total != nil {
		all = append(all, t.total)
	}
	for _, r := range all {
		for i, c := range r {
			width[i] = max(width[i], utf8.RuneCountInString(c))
		}
	}
	line := func(r []string) {
		var b strings.Builder
		b.WriteString(indent)
		for i, c := range r {
			if i > 0 {
				b.WriteString("  ")
			}
			pad := strings.Repeat(" ", width[i]-utf8.RuneCountInString(c))
			if t.text[i] {
				b.WriteString(c + pad)
			} else {
				b.WriteString(pad + c)
			}
		}
		fmt.Fprintln(w, strings.TrimRight(b.String(), " "))
	}
	line(t.head)
	for _, r := range t.rows {
		line(r)
	}
	if t.total != nil {
		rule := make([]string, len(t.head))
		for i := range rule {
			rule[i] = strings.Repeat("-", width[i])
		}
		line(rule)
		line(t.total)
	}
}

// wrap writes text in lines of at most 100 characters, each after indent.
func wrap(w io.Writer, text, indent string) {
	const width = 100
	line := indent
	for _, word := range strings.Fields(text) {
		if line != indent && utf8.RuneCountInString(line)+1+utf8.RuneCountInString(word) > width {
			fmt.Fprintln(w, line)
			line = indent
		}
		if line != indent {
			line += " "
		}
		line += word
	}
	if line != indent {
		fmt.Fprintln(w, line)
	}
}

// num writes n with a comma between thousands: 20,000.
func num(n int) string {
	s := strconv.Itoa(n)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	if neg {
		s = "-" + s
	}
	return s
}

// round writes x rounded to a whole number, with commas between
// thousands.
func round(x float64) string { return num(int(math.Round(x))) }

// pct writes a share as a percentage with one decimal.
func pct(x float64) string { return strconv.FormatFloat(100*x, 'f', 1, 64) + "%" }

func ratio(a, b int) float64 {
	if b == 0 {
		return 0
	}
	return float64(a) / float64(b)
}

// duration writes d in the unit a reader expects: minutes, hours or days.
func duration(d time.Duration) string {
	switch {
	case d <= 0:
		return "-"
	case d < time.Hour:
		return fmt.Sprintf("%.0f min", d.Minutes())
	case d < 48*time.Hour:
		return fmt.Sprintf("%.1f h", d.Hours())
	}
	return fmt.Sprintf("%.1f days", d.Hours()/24)
}

// shortName is a person's or department's name up to its first comma
// ("Julie, mobile-first shopper" gives Julie), or the id if it has none.
func shortName(name, id string) string {
	if name == "" {
		return id
	}
	short, _, _ := strings.Cut(name, ",")
	return short
}
