package render

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
)

// PageWidth is the width, in pixels, of the column that HTML gives the
// report's sections on a screen at least 1,200 pixels wide. The pictures
// that JourneyReport and MapReport draw fit in it; wider ones shrink to
// the page's width, as every picture does on a narrower screen.
const PageWidth = 1134

// Report is a self-contained HTML page: a title, a table of contents and
// sections of pictures, tables and text. [MapReport] makes the sections
// of a designed journey; callers add their own (a funnel chart, the top
// routes, attribution and department impact, as tables and pictures) and
// write the page with HTML.
type Report struct {
	Title    string
	Subtitle string
	Sections []Section
}

// Section is a part of a Report, listed in its table of contents.
type Section struct {
	// ID is the section's anchor; empty means one made from the title.
	// Repeated IDs get a numeric suffix.
	ID     string
	Title  string
	Intro  string // a paragraph under the title; empty for none
	Blocks []Block
}

// Block is a piece of a section. The block types are those of this
// package: Heading, Paragraph, List, Facts, Table, Picture and Code.
type Block interface {
	writeHTML(w *bytes.Buffer) error
}

// Heading is a subheading inside a section.
type Heading string

// Paragraph is a paragraph of text.
type Paragraph string

// List is a bulleted list.
type List []string

// Facts is a list of labelled values ("Steps: 16").
type Facts []Fact

// Fact is one labelled value of Facts.
type Fact struct {
	Label, Value string
}

// Table is a table of text cells, the block for results such as top
// routes, attribution by channel or department impact. A cell may carry a
// bar: a share drawn beside its text, never under it, so a column of
// numbers reads as a bar chart.
type Table struct {
	Caption string
	Columns []Column
	Rows    [][]Cell // each row has at most len(Columns) cells
	Note    string   // a line under the table; empty for none
}

// Column is a column of a Table.
type Column struct {
	Title string
	// Numeric right-aligns the column with tabular figures.
	Numeric bool
}

// Cell is a cell of a Table.
type Cell struct {
	Text string
	// Bar, in [0, 1], draws a bar of that share of a track left of the
	// text, which has room of its own; zero draws none.
	Bar float64
}

// TextCells returns a row of cells holding texts, without bars.
func TextCells(texts ...string) []Cell {
	cells := make([]Cell, len(texts))
	for i, t := range texts {
		cells[i] = Cell{Text: t}
	}
	return cells
}

// Picture is an SVG picture, such as SVGMap writes, placed in the page as
// it is. HTML checks that it is well-formed XML with an svg root, and that
// it holds no script, no foreign object and no reference to anything
// outside the page, so the report stays offline and self-contained.
type Picture struct {
	SVG     []byte
	Caption string
}

// Code is preformatted text, such as a Mermaid or DOT source, shown folded
// under its caption.
type Code struct {
	Caption string
	Text    string
}

// HTML writes r as one self-contained HTML page: inline CSS, no script,
// no external font, image or style sheet, readable offline and printable
// (the pictures shrink to the page's width on a narrower screen and when
// printed). The page is also well-formed XML.
//
// It returns an error for a picture that is not a self-contained SVG, a
// table row with more cells than columns, a bar outside [0, 1], and the
// writer's errors.
func HTML(w io.Writer, r Report) error {
	ids := sectionIDs(r.Sections)
	bw := new(bytes.Buffer)
	title := cleanText(r.Title)
	if title == "" {
		title = "Journey report"
	}
	bw.WriteString("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\"/>\n")
	bw.WriteString("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/>\n")
	fmt.Fprintf(bw, "<title>%s</title>\n<style>%s</style>\n</head>\n<body>\n<header>\n", escapeXML(title), reportCSS)
	fmt.Fprintf(bw, "<h1>%s</h1>\n", escapeXML(title))
	if s := cleanText(r.Subtitle); s != "" {
		fmt.Fprintf(bw, "<p class=\"subtitle\">%s</p>\n", escapeXML(s))
	}
	if len(r.Sections) > 0 {
		bw.WriteString("<nav aria-label=\"Contents\"><ol>\n")
		for i, s := range r.Sections {
			fmt.Fprintf(bw, "<li><a href=\"#%s\">%s</a></li>\n", escapeXML(ids[i]), escapeXML(sectionTitle(s, i)))
		}
		bw.WriteString("</ol></nav>\n")
	}
	bw.WriteString("</header>\n<main>\n")
	var errs []error
	for i, s := range r.Sections {
		fmt.Fprintf(bw, "<section id=\"%s\">\n<h2>%s</h2>\n", escapeXML(ids[i]), escapeXML(sectionTitle(s, i)))
		if t := cleanText(s.Intro); t != "" {
			fmt.Fprintf(bw, "<p class=\"intro\">%s</p>\n", escapeXML(t))
		}
		for j, b := range s.Blocks {
			if b == nil {
				continue
			}
			if err := b.writeHTML(bw); err != nil {
				errs = append(errs, fmt.Errorf("render: report: section %q: blocks[%d]: %w", ids[i], j, err))
			}
		}
		bw.WriteString("</section>\n")
	}
	bw.WriteString("</main>\n</body>\n</html>\n")
	if err := errors.Join(errs...); err != nil {
		return err
	}
	_, err := w.Write(bw.Bytes())
	return err
}

func sectionTitle(s Section, i int) string {
	if t := cleanText(s.Title); t != "" {
		return t
	}
	return "Section " + strconv.Itoa(i+1)
}

// sectionIDs returns each section's anchor: its ID, or a slug of its
// title, made unique with a numeric suffix.
func sectionIDs(sections []Section) []string {
	ids := make([]string, len(sections))
	used := make(map[string]bool)
	for i, s := range sections {
		base := slug(s.ID)
		if base == "" {
			base = slug(s.Title)
		}
		if base == "" {
			base = "section"
		}
		id := base
		for k := 2; used[id]; k++ {
			id = base + "-" + strconv.Itoa(k)
		}
		used[id] = true
		ids[i] = id
	}
	return ids
}

// slug returns s in lower case with every run of characters other than
// ASCII letters and digits replaced by one hyphen, trimmed of hyphens.
// Accented Latin letters lose their accents.
func slug(s string) string {
	var b strings.Builder
	hyphen := false
	for _, r := range cleanText(s) {
		t := string(r)
		if r >= 0x80 {
			t = asciiFor(r)
		}
		for _, c := range strings.ToLower(t) {
			if c >= 'a' && c <= 'z' || c >= '0' && c <= '9' {
				if hyphen && b.Len() > 0 {
					b.WriteByte('-')
				}
				hyphen = false
				b.WriteRune(c)
			} else {
				hyphen = true
			}
		}
	}
	return b.String()
}

func (h Heading) writeHTML(w *bytes.Buffer) error {
	if t := cleanText(string(h)); t != "" {
		fmt.Fprintf(w, "<h3>%s</h3>\n", escapeXML(t))
	}
	return nil
}

func (p Paragraph) writeHTML(w *bytes.Buffer) error {
	if t := cleanText(string(p)); t != "" {
		fmt.Fprintf(w, "<p>%s</p>\n", escapeXML(t))
	}
	return nil
}

func (l List) writeHTML(w *bytes.Buffer) error {
	if len(l) == 0 {
		return nil
	}
	w.WriteString("<ul>\n")
	for _, t := range l {
		fmt.Fprintf(w, "<li>%s</li>\n", escapeXML(cleanText(t)))
	}
	w.WriteString("</ul>\n")
	return nil
}

func (f Facts) writeHTML(w *bytes.Buffer) error {
	if len(f) == 0 {
		return nil
	}
	w.WriteString("<dl class=\"facts\">\n")
	for _, x := range f {
		fmt.Fprintf(w, "<div><dt>%s</dt><dd>%s</dd></div>\n", escapeXML(cleanText(x.Label)), escapeXML(cleanText(x.Value)))
	}
	w.WriteString("</dl>\n")
	return nil
}

func (t Table) writeHTML(w *bytes.Buffer) error {
	var errs []error
	for i, row := range t.Rows {
		if len(row) > len(t.Columns) {
			errs = append(errs, fmt.Errorf("table rows[%d]: %d cells for %d columns", i, len(row), len(t.Columns)))
		}
		for j, c := range row {
			if !(c.Bar >= 0 && c.Bar <= 1) {
				errs = append(errs, fmt.Errorf("table rows[%d][%d]: bar %v is outside [0, 1]", i, j, c.Bar))
			}
		}
	}
	if err := errors.Join(errs...); err != nil {
		return err
	}
	w.WriteString("<div class=\"table\"><table>\n")
	if c := cleanText(t.Caption); c != "" {
		fmt.Fprintf(w, "<caption>%s</caption>\n", escapeXML(c))
	}
	w.WriteString("<thead><tr>")
	for _, c := range t.Columns {
		if c.Numeric {
			fmt.Fprintf(w, "<th scope=\"col\" class=\"num\">%s</th>", escapeXML(cleanText(c.Title)))
		} else {
			fmt.Fprintf(w, "<th scope=\"col\">%s</th>", escapeXML(cleanText(c.Title)))
		}
	}
	w.WriteString("</tr></thead>\n<tbody>\n")
	for _, row := range t.Rows {
		w.WriteString("<tr>")
		for j := range t.Columns {
			var c Cell
			if j < len(row) {
				c = row[j]
			}
			class := ""
			if t.Columns[j].Numeric {
				class = "num"
			}
			if c.Bar > 0 {
				class = strings.TrimSpace(class + " barred")
			}
			if class != "" {
				fmt.Fprintf(w, "<td class=\"%s\">", class)
			} else {
				w.WriteString("<td>")
			}
			if c.Bar > 0 {
				// The bar has a track of its own beside the text, so
				// the two never overlap, however long the text.
				fmt.Fprintf(w, "<div class=\"bc\"><span class=\"track\"><span class=\"bar\" style=\"width:%s%%\"></span></span><span class=\"v\">%s</span></div>",
					strconv.FormatFloat(math.Round(c.Bar*1000)/10, 'f', -1, 64), escapeXML(cleanText(c.Text)))
			} else {
				w.WriteString(escapeXML(cleanText(c.Text)))
			}
			w.WriteString("</td>")
		}
		w.WriteString("</tr>\n")
	}
	w.WriteString("</tbody>\n</table>")
	if n := cleanText(t.Note); n != "" {
		fmt.Fprintf(w, "<p class=\"note\">%s</p>", escapeXML(n))
	}
	w.WriteString("</div>\n")
	return nil
}

func (p Picture) writeHTML(w *bytes.Buffer) error {
	svg, err := checkSVG(p.SVG)
	if err != nil {
		return err
	}
	w.WriteString("<figure class=\"picture\"><div class=\"scroll\">\n")
	w.Write(svg)
	w.WriteString("</div>")
	if c := cleanText(p.Caption); c != "" {
		fmt.Fprintf(w, "<figcaption>%s</figcaption>", escapeXML(c))
	}
	w.WriteString("</figure>\n")
	return nil
}

func (c Code) writeHTML(w *bytes.Buffer) error {
	caption := cleanText(c.Caption)
	if caption == "" {
		caption = "Source"
	}
	fmt.Fprintf(w, "<details class=\"code\"><summary>%s</summary><pre>%s</pre></details>\n", escapeXML(caption), escapeXML(c.Text))
	return nil
}

// checkSVG returns the markup of svg from its root element on, after
// checking that it is well-formed XML whose root is an svg element, with
// no script or foreignObject element, no event-handler attribute and no
// reference to anything outside the document (only "#fragment" links).
func checkSVG(svg []byte) ([]byte, error) {
	d := xml.NewDecoder(bytes.NewReader(svg))
	start := int64(-1)
	depth := 0
	ended := false
	for {
		off := d.InputOffset()
		tok, err := d.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("picture: %w", err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if ended {
				return nil, errors.New("picture: content after the svg element")
			}
			if depth == 0 {
				if t.Name.Local != "svg" {
					return nil, fmt.Errorf("picture: the root element is <%s>, not <svg>", t.Name.Local)
				}
				start = off
			}
			depth++
			switch strings.ToLower(t.Name.Local) {
			case "script", "foreignobject", "iframe", "image":
				return nil, fmt.Errorf("picture: <%s> is not allowed: the report stays self-contained", t.Name.Local)
			}
			for _, a := range t.Attr {
				name := strings.ToLower(a.Name.Local)
				if strings.HasPrefix(name, "on") {
					return nil, fmt.Errorf("picture: <%s %s> is not allowed: no scripts", t.Name.Local, a.Name.Local)
				}
				if (name == "href" || name == "src") && !strings.HasPrefix(a.Value, "#") {
					return nil, fmt.Errorf("picture: <%s %s=%q>: only links inside the picture are allowed", t.Name.Local, a.Name.Local, a.Value)
				}
				if strings.Contains(strings.ToLower(a.Value), "url(") && !localURLs(a.Value) {
					return nil, fmt.Errorf("picture: <%s %s=%q>: only url(#…) references are allowed", t.Name.Local, a.Name.Local, a.Value)
				}
			}
		case xml.EndElement:
			depth--
			if depth == 0 {
				ended = true
			}
		case xml.CharData:
			if depth == 0 && len(bytes.TrimSpace(t)) > 0 {
				return nil, errors.New("picture: text outside the svg element")
			}
		case xml.Directive:
			return nil, errors.New("picture: a DOCTYPE or other directive is not allowed")
		}
	}
	if start < 0 {
		return nil, errors.New("picture: no svg element")
	}
	return bytes.TrimSpace(svg[start:]), nil
}

// localURLs reports whether every url(…) in v is a url(#fragment).
func localURLs(v string) bool {
	v = strings.ToLower(v)
	for {
		i := strings.Index(v, "url(")
		if i < 0 {
			return true
		}
		rest := strings.TrimLeft(v[i+4:], " \t'\"")
		if !strings.HasPrefix(rest, "#") {
			return false
		}
		v = rest
	}
}

// reportCSS styles the report. It names only fonts a machine has (no web
// font) and keeps contrast high and meaning independent of colour.
const reportCSS = `
:root { --ink: #111111; --muted: #4a4a4a; --rule: #c8c8c8; --band: #f2f4f7; --bar: #b9c7d6; --accent: #1a4157; }
* { box-sizing: border-box; }
html { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
body { margin: 0 auto; max-width: 1200px; padding: 24px 32px 48px; color: var(--ink); background: #ffffff;
  font-family: 'Liberation Sans', Arial, Helvetica, 'DejaVu Sans', sans-serif; font-size: 15px; line-height: 1.45; }
h1 { font-size: 28px; margin: 0 0 4px; color: var(--accent); }
h2 { font-size: 21px; margin: 36px 0 8px; padding-bottom: 4px; border-bottom: 2px solid var(--accent); color: var(--accent); }
h3 { font-size: 17px; margin: 22px 0 6px; }
.subtitle, .intro, .note, figcaption { color: var(--muted); }
.subtitle { margin: 0 0 12px; font-size: 16px; }
nav ol { margin: 8px 0 0; padding-left: 22px; columns: 2; column-gap: 32px; }
nav a { color: var(--accent); }
.facts { display: flex; flex-wrap: wrap; gap: 8px 24px; margin: 8px 0 12px; }
.facts div { min-width: 120px; }
.facts dt { font-size: 13px; color: var(--muted); }
.facts dd { margin: 0; font-size: 18px; font-weight: bold; }
.table { overflow-x: auto; margin: 8px 0 16px; }
table { border-collapse: collapse; min-width: 50%; }
caption { text-align: left; font-weight: bold; padding: 4px 0; }
th, td { padding: 4px 10px; border-bottom: 1px solid var(--rule); text-align: left; vertical-align: top; }
th { background: var(--band); border-bottom: 2px solid var(--muted); }
tbody tr:nth-child(even) td { background: #fafafa; }
.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
th.num { white-space: normal; }
td.barred .bc { display: flex; align-items: center; justify-content: flex-end; gap: 4px; }
td.barred .track { flex: 1 1 48px; min-width: 20px; max-width: 96px; height: 0.8em; background: var(--band); }
td.barred .bar { display: block; height: 100%; background: var(--bar); border-right: 2px solid var(--accent); }
td.barred .v { flex: 0 0 auto; min-width: 3.4em; text-align: right; white-space: nowrap; }
figure { margin: 8px 0 16px; }
.scroll { overflow-x: auto; border: 1px solid var(--rule); }
.scroll svg { display: block; max-width: 100%; height: auto; }
figcaption { font-size: 13px; margin-top: 4px; }
details.code { margin: 8px 0 16px; }
details.code summary { cursor: pointer; color: var(--accent); }
pre { background: var(--band); padding: 8px 12px; overflow-x: auto; font-size: 12px; }
@media (max-width: 900px) {
  body { padding: 16px 12px 32px; }
  td.barred .track { flex-basis: 24px; }
}
@page { size: landscape; margin: 12mm; }
@media print {
  body { max-width: none; padding: 0; font-size: 11pt; }
  nav { display: none; }
  h2, h3, caption { break-after: avoid; }
  figure, tr { break-inside: avoid; }
  .scroll { overflow: visible; border: none; }
  details.code { display: none; }
}
`
