// Package textfmt lays out the example programs' output for a terminal:
// aligned tables, wrapped paragraphs, counts with thousands separators,
// and percentages. Durations are written by render.Duration, as the HTML
// report writes them.
package textfmt

import (
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Table is a text table: text columns flush left, figures flush right.
type Table struct {
	head []string
	text []bool // text[i]: column i holds text
	Rows [][]string
	// Total is a last row, printed under a rule; nil for none.
	Total []string
}

// NewTable returns an empty table with the given column titles. A title
// that starts with '<' names a text column, flush left (the '<' is not
// printed); the others hold figures, flush right.
func NewTable(cols ...string) *Table {
	t := &Table{}
	for _, c := range cols {
		name, isText := strings.CutPrefix(c, "<")
		t.head = append(t.head, name)
		t.text = append(t.text, isText)
	}
	return t
}

// Add adds a row of at most as many cells as the table has columns;
// Print panics on a longer one.
func (t *Table) Add(cells ...string) { t.Rows = append(t.Rows, cells) }

// LineWidth is the most characters a line of Wrap, or of a Table whose
// last column holds text, takes.
const LineWidth = 100

// Print writes the table, each line after indent, columns two spaces
// apart. If the last column holds text and a line would be longer than
// LineWidth, its cells are wrapped onto more lines.
func (t *Table) Print(w io.Writer, indent string) {
	width := make([]int, len(t.head))
	all := append([][]string{t.head}, t.Rows...)
	if t.Total != nil {
		all = append(all, t.Total)
	}
	for _, r := range all {
		for i, c := range r {
			width[i] = max(width[i], utf8.RuneCountInString(c))
		}
	}
	last := len(width) - 1
	wrapAt := 0 // the width of the last column's lines; 0: no wrapping
	if last >= 0 && t.text[last] {
		prefix := utf8.RuneCountInString(indent) + 2*last
		for _, n := range width[:last] {
			prefix += n
		}
		if room := LineWidth - prefix; room < width[last] && room >= 20 {
			wrapAt = room
		}
	}
	line := func(r []string) {
		var b strings.Builder
		b.WriteString(indent)
		for i, c := range r {
			if i > 0 {
				b.WriteString("  ")
			}
			pad := strings.Repeat(" ", max(0, width[i]-utf8.RuneCountInString(c)))
			if t.text[i] {
				b.WriteString(c + pad)
			} else {
				b.WriteString(pad + c)
			}
		}
		fmt.Fprintln(w, strings.TrimRight(b.String(), " "))
	}
	row := func(r []string) {
		if wrapAt == 0 || len(r) <= last {
			line(r)
			return
		}
		for k, l := range lines(r[last], wrapAt) {
			if k == 0 {
				line(append(r[:last:last], l))
				continue
			}
			line(append(make([]string, last), l))
		}
	}
	row(t.head)
	for _, r := range t.Rows {
		row(r)
	}
	if t.Total != nil {
		rule := make([]string, len(t.head))
		for i := range rule {
			rule[i] = strings.Repeat("-", width[i])
		}
		if wrapAt > 0 {
			rule[last] = strings.Repeat("-", wrapAt)
		}
		line(rule)
		row(t.Total)
	}
}

// lines breaks text into lines of at most width characters, at spaces;
// a word longer than width has a line of its own.
func lines(text string, width int) []string {
	var out []string
	line := ""
	for _, word := range strings.Fields(text) {
		if line != "" && utf8.RuneCountInString(line)+1+utf8.RuneCountInString(word) > width {
			out = append(out, line)
			line = ""
		}
		if line != "" {
			line += " "
		}
		line += word
	}
	if line != "" || len(out) == 0 {
		out = append(out, line)
	}
	return out
}

// Wrap writes text in lines of at most LineWidth characters, each after
// indent.
func Wrap(w io.Writer, text, indent string) {
	for _, l := range lines(text, max(20, LineWidth-utf8.RuneCountInString(indent))) {
		if l != "" {
			fmt.Fprintln(w, indent+l)
		}
	}
}

// Count writes n with a comma between thousands: 20,000.
func Count(n int) string {
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

// Round writes x rounded to a whole number, with commas between
// thousands.
func Round(x float64) string { return Count(int(math.Round(x))) }

// Percent writes a share as a percentage with one decimal.
func Percent(x float64) string { return strconv.FormatFloat(100*x, 'f', 1, 64) + "%" }

// Ratio returns a/b, or 0 if b is 0.
func Ratio(a, b int) float64 {
	if b == 0 {
		return 0
	}
	return float64(a) / float64(b)
}

// ShortName is a person's or department's name up to its first comma
// ("Julie, mobile-first shopper" gives Julie), or the id if it has none.
func ShortName(name, id string) string {
	if name == "" {
		return id
	}
	short, _, _ := strings.Cut(name, ",")
	return short
}
