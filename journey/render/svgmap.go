package render

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/parcours-go/parcours/journey"
	"github.com/parcours-go/parcours/objectives"
	"github.com/parcours-go/parcours/persona"
)

// Row is a row of the SVG journey map. Its value is its name in the
// picture's markup (data-row) and in options read from text.
type Row string

// The rows SVGMap can draw, one cell per step each.
const (
	RowSteps         Row = "steps"         // the step's name
	RowGoals         Row = "goals"         // the objectives reaching the step achieves
	RowTouchpoints   Row = "touchpoints"   // the touchpoints available there
	RowChannels      Row = "channels"      // their channels
	RowDepartments   Row = "departments"   // the departments that own them
	RowPains         Row = "pains"         // the step's pains, and the persona's
	RowOpportunities Row = "opportunities" // what could be done about them
	RowEmpathy       Row = "empathy"       // what the persona thinks, feels, says and does
	RowEmotion       Row = "emotion"       // the emotion curve
)

// DefaultRows are the rows SVGMap draws when MapOptions.Rows is empty.
var DefaultRows = []Row{RowSteps, RowTouchpoints, RowChannels, RowDepartments, RowPains, RowOpportunities, RowEmotion}

// rowStyle is how a row is drawn. Fills have distinct lightness (CIE L*,
// noted), so rows stay apart in greyscale; each row is also named in its
// first cell, and pains and opportunities carry a patterned stripe.
type rowStyle struct {
	label   string
	fill    string
	pattern string // "", "hatch" or "dots": a stripe on the cell's left edge
}

var rowStyles = map[Row]rowStyle{
	RowPains:         {"Pains", "#ddaa9d", "hatch"},        // L* 74
	RowSteps:         {"Steps", "#a7cbe5", ""},             // L* 80
	RowGoals:         {"Goals", "#bbd4b7", ""},             // L* 82.5
	RowDepartments:   {"Departments", "#d4cee8", ""},       // L* 84
	RowChannels:      {"Channels", "#c5e8e8", ""},          // L* 89.5
	RowEmpathy:       {"Empathy map", "#fbe2d3", ""},       // L* 91.5
	RowOpportunities: {"Opportunities", "#def2db", "dots"}, // L* 93.5
	RowTouchpoints:   {"Touchpoints", "#f0f7fd", ""},       // L* 97
	RowEmotion:       {"Emotion", "#ffffff", ""},           // L* 100
}

// The map's other colours: the stage headers (L* 26, white text), text,
// lines and the emotion curve.
const (
	headerFill   = "#1a4157"
	headerText   = "#ffffff"
	textColor    = "#111111"
	cellStroke   = "#6b6b6b"
	curveColor   = "#1a1a1a"
	neutralColor = "#8c8c8c"
	stripeColor  = "#3a3a3a"
)

// MapOptions configures SVGMap. The zero value gives the defaults each
// field documents.
type MapOptions struct {
	// Title heads the picture. Empty means the map's name (or "Journey
	// map" if it has none).
	Title string
	// Rows are the rows to draw, in order; empty means DefaultRows.
	Rows []Row
	// ColumnWidth is the width of a step's column, in pixels; zero means
	// 150. It must be at least six times the font size.
	ColumnWidth float64
	// FontSize is the size of the cells' text, in pixels; zero means 12.
	// Titles are drawn larger, notes smaller.
	FontSize float64
	// ID is the id of the svg element, and the prefix of the ids inside
	// it; empty means "journey-map". Pictures placed in one HTML page need
	// distinct IDs.
	ID string
	// Width is the widest the picture may be, in pixels. The steps then
	// wrap onto as many bands as it takes, one under the other, each with
	// its stages' headers and the rows' names; a stage too long for what
	// is left of a band starts the next one, and one too long for a band
	// goes on in the next ("Service (continued)"). Zero means one band,
	// as wide as the steps make it. It must leave room for the rows'
	// names and one column.
	Width float64
}

// SVGMap writes a self-contained SVG picture of the journey map m as
// persona p lives it: a column per step, grouped under a header per stage
// (stages in map order; steps without a known stage first), and a row per
// opts.Rows: steps, touchpoints, channels, owning departments, pains (the
// step's and the persona's), opportunities and the persona's emotion curve
// by default. p may be nil: the curve then follows the steps' designed
// emotions.
//
// Text never overflows its box: each cell's text is measured with the
// advance widths of the fonts the picture names (Liberation Sans, Arial,
// Helvetica, then DejaVu Sans; the wider of their widths for every
// character), wrapped into lines at spaces (cutting words wider than the
// box), and each row is as tall as its fullest cell. Rows differ in the
// lightness of their fill, so they stay apart in greyscale; each is named
// in its first cell, pains and opportunities carry a patterned stripe, and
// the curve's points say their score and whether the persona's empathy
// map gives it (filled) or the step's design (hollow). The picture uses
// no external font, image or script.
//
// Each cell is a <g class="cell" data-row="…" data-step="…"> holding its
// <rect> and its <text>, so tools (and the project's browser check) can
// match text to its box.
//
// m need not be valid: unknown references are drawn as their ids. It
// returns an error for a nil map, a bad option and the writer's errors.
func SVGMap(w io.Writer, m *journey.Map, p *persona.Persona, opts MapOptions) error {
	if m == nil {
		return errNilMap
	}
	lay, err := layoutMap(m, p, opts)
	if err != nil {
		return err
	}
	bw := bufio.NewWriter(w)
	lay.write(bw)
	return bw.Flush()
}

// A line of text placed in a box: dx and baseline are offsets from the
// box's content corner (inside the padding).
type line struct {
	text     string
	dx       float64
	baseline float64
	size     float64
	bold     bool
}

// A paragraph to lay out in a box.
type item struct {
	text   string
	bold   bool
	size   float64
	bullet bool // first line starts with a bullet; the others hang under the text
}

// Line spacing and the font's extent around the baseline, in ems: the
// taller of the two fonts' ascents (DejaVu Sans, 0.93) and descents (0.24)
// with a little room.
const (
	lineHeight = 1.25
	ascent     = 0.95
)

const bullet = "• "

// layoutItems wraps items into lines no wider than width and returns them
// with the height they take.
func layoutItems(items []item, width float64) ([]line, float64) {
	var lines []line
	y := 0.0
	for _, it := range items {
		indent := 0.0
		if it.bullet {
			indent = textWidth(bullet, it.size, it.bold)
		}
		for i, l := range wrap(it.text, width-indent, it.size, it.bold) {
			ln := line{text: l, dx: indent, baseline: y + ascent*it.size, size: it.size, bold: it.bold}
			if it.bullet && i == 0 {
				ln.text, ln.dx = bullet+l, 0
			}
			lines = append(lines, ln)
			y += lineHeight * it.size
		}
	}
	return lines, y
}

// box is a laid-out cell: a rectangle and its text.
type box struct {
	x, y, w, h float64
	fill       string
	pattern    string // stripe pattern id suffix, or ""
	lines      []line
	textColor  string
	halo       bool   // the text has a white outline, to stay legible over lines
	attrs      string // extra attributes of the cell's <g>, escaped
}

// emotionPoint is a point of the emotion curve.
type emotionPoint struct {
	x, y    float64
	score   persona.Emotion
	persona bool // from the persona's empathy map
}

// mapLayout is a journey map ready to write.
type mapLayout struct {
	id            string
	width, height float64
	fs            float64
	title         []line
	titleY        float64
	subtitle      []line
	subtitleY     float64
	boxes         []box
	curves        [][]emotionPoint // the emotion curve of each band
	neutrals      [][3]float64     // the neutral line of each band: x1, x2, y
	legend        []line
	legendY       float64
	margin        float64
	desc          string
}

func layoutMap(m *journey.Map, p *persona.Persona, opts MapOptions) (*mapLayout, error) {
	fs := opts.FontSize
	if fs == 0 {
		fs = 12
	}
	if !(fs >= 4 && fs <= 200) {
		return nil, fmt.Errorf("render: map: font size %v is outside [4, 200]", opts.FontSize)
	}
	cw := opts.ColumnWidth
	if cw == 0 {
		cw = 150
	}
	if !(cw >= 6*fs && cw <= 5000) {
		return nil, fmt.Errorf("render: map: column width %v is outside [%v, 5000] (six times the font size)", opts.ColumnWidth, 6*fs)
	}
	rows := opts.Rows
	if len(rows) == 0 {
		rows = DefaultRows
	}
	var errs []error
	for i, r := range rows {
		if _, ok := rowStyles[r]; !ok {
			errs = append(errs, fmt.Errorf("render: map: rows[%d]: unknown row %q", i, r))
		} else if slices.Index(rows, r) < i {
			errs = append(errs, fmt.Errorf("render: map: rows[%d]: row %q repeated", i, r))
		}
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	id := cleanText(opts.ID)
	if id == "" {
		id = "journey-map"
	}

	lay := &mapLayout{id: id, fs: fs}
	cat := newCatalog(m)
	pad := math.Round(fs * 0.5)
	gap := math.Round(fs / 3)
	margin := math.Round(fs * 1.5)
	stripe := math.Round(fs * 0.5)
	lay.margin = margin

	// Columns: every step, grouped by stage, in bands of at most perBand
	// columns when the picture has a width to fit.
	groups := stageGroups(m)
	labelW := 0.0
	for _, r := range rows {
		w := textWidth(rowStyles[r].label, fs, true)
		if r == RowEmotion {
			w += textWidth("+2", fs*0.85, false) + fs // room for the scale
		}
		labelW = max(labelW, w)
	}
	labelW = math.Ceil(labelW + 2*pad + stripe + fs)
	n := 0
	for _, g := range groups {
		n += len(g.steps)
	}
	perBand := max(n, 1)
	if opts.Width != 0 {
		k := int(math.Floor((opts.Width - 2*margin - labelW) / (cw + gap)))
		if !(opts.Width <= 100000) || k < 1 {
			return nil, fmt.Errorf("render: map: width %v leaves no room for a column of %v beside the rows' names", opts.Width, cw)
		}
		perBand = min(perBand, k)
	}
	bands := mapBands(groups, perBand)
	gridX := margin + labelW + gap
	colX := func(i int) float64 { return gridX + float64(i)*(cw+gap) }
	widest := 0
	for _, b := range bands {
		widest = max(widest, b.columns())
	}
	gridW := labelW + gap + float64(widest)*(cw+gap) - gap
	if widest == 0 {
		gridW = labelW
	}
	lay.width = math.Ceil(2*margin + gridW)
	inner := cw - 2*pad

	// Title and subtitle, across the whole width.
	y := margin
	title := cleanText(opts.Title)
	if title == "" {
		title = cleanText(m.Name)
	}
	if title == "" {
		title = "Journey map"
	}
	titleSize := math.Round(fs * 1.5)
	lay.title, _ = layoutItems([]item{{text: title, bold: true, size: titleSize}}, gridW)
	th := float64(len(lay.title)) * lineHeight * titleSize
	lay.titleY = y
	y += th
	sub := []item{}
	if p != nil {
		sub = append(sub, item{text: "Persona: " + personaSummary(p), size: fs})
	} else {
		sub = append(sub, item{text: "The designed journey: emotions as the steps' design gives them.", size: fs})
	}
	if d := cleanText(m.Description); d != "" {
		sub = append(sub, item{text: d, size: fs})
	}
	var sh float64
	lay.subtitle, sh = layoutItems(sub, gridW)
	lay.subtitleY = y + fs*0.25
	y += sh + fs*0.25 + gap*3
	lay.desc = title + ". " + lineText(lay.subtitle)
	if len(bands) == 0 {
		bands = []mapBand{{}} // the rows' names alone
	}
	for k, band := range bands {
		if k > 0 {
			y += 2 * fs // the bands apart
		}
		y = lay.layoutBand(band, rows, cat, p, y, layoutSizes{fs: fs, cw: cw, pad: pad, gap: gap, margin: margin, stripe: stripe, labelW: labelW, inner: inner}, colX)
	}

	// The legend.
	var legend []item
	if slices.Contains(rows, RowEmotion) {
		legend = append(legend, item{text: "Emotion from −2 (very negative) to +2 (very positive); the dashed line is neutral. " +
			"A filled point comes from the persona's empathy map, a hollow one from the step's design.", size: fs * 0.9})
	}
	if slices.Contains(rows, RowPains) || slices.Contains(rows, RowOpportunities) {
		legend = append(legend, item{text: "Pains carry a hatched stripe, opportunities a dotted one.", size: fs * 0.9})
	}
	if len(legend) > 0 {
		var lh float64
		lay.legend, lh = layoutItems(legend, gridW)
		lay.legendY = y + gap
		y += gap + lh
	}
	lay.height = math.Ceil(y + margin - gap)
	return lay, nil
}

// mapSegment is the part of a stage that a band of the map shows: all
// of its steps, or those that fit, the stage being continued from the
// band before or to the band after.
type mapSegment struct {
	stage     *journey.Stage // nil for the steps without a stage
	steps     []journey.Step
	continued bool // the stage began in an earlier band
}

// mapBand is a band of the map: stages side by side under their headers,
// with the rows' names in front.
type mapBand []mapSegment

func (b mapBand) columns() int {
	n := 0
	for _, s := range b {
		n += len(s.steps)
	}
	return n
}

// mapBands cuts the stages into bands of at most perBand columns (at
// least 1), in order. A stage that fits in what is left of a band joins
// it; any other starts the next band, and one longer than a band goes on
// in the bands after it. Every step is in exactly one band.
func mapBands(groups []stageGroup, perBand int) []mapBand {
	perBand = max(perBand, 1)
	var bands []mapBand
	var cur mapBand
	free := perBand
	flush := func() {
		if len(cur) > 0 {
			bands = append(bands, cur)
		}
		cur, free = nil, perBand
	}
	for _, g := range groups {
		steps := g.steps
		if len(steps) == 0 {
			continue
		}
		if len(steps) > free && free < perBand {
			flush()
		}
		continued := false
		for len(steps) > 0 {
			if free == 0 {
				flush()
			}
			k := min(free, len(steps))
			cur = append(cur, mapSegment{stage: g.stage, steps: steps[:k], continued: continued})
			steps, free, continued = steps[k:], free-k, true
		}
	}
	flush()
	return bands
}

// layoutSizes are the measures of a map's layout, from its options.
type layoutSizes struct {
	fs, cw, pad, gap, margin, stripe, labelW, inner float64
}

// layoutBand lays out one band of the map from y down: its stage headers
// and rows. It returns the y under the band's last row.
func (lay *mapLayout) layoutBand(band mapBand, rows []Row, cat catalog, p *persona.Persona, y float64, z layoutSizes, colX func(int) float64) float64 {
	fs, cw, pad, gap, margin, stripe, labelW, inner := z.fs, z.cw, z.pad, z.gap, z.margin, z.stripe, z.labelW, z.inner
	var steps []journey.Step
	for _, sg := range band {
		steps = append(steps, sg.steps...)
	}
	n := len(steps)

	// Stage headers.
	type header struct {
		x, w  float64
		items []item
		id    string
	}
	var headers []header
	col := 0
	for _, sg := range band {
		h := header{x: colX(col), w: float64(len(sg.steps))*(cw+gap) - gap}
		if sg.stage != nil {
			name := stageName(*sg.stage)
			if sg.continued {
				name += " (continued)"
			}
			h.items = []item{{text: name, bold: true, size: math.Round(fs * 1.15)}}
			if d := cleanText(sg.stage.Description); d != "" && !sg.continued {
				h.items = append(h.items, item{text: d, size: math.Round(fs * 0.9)})
			}
			h.id = sg.stage.ID
		} else {
			h.items = []item{{text: "Steps without a stage", bold: true, size: math.Round(fs * 1.15)}}
		}
		headers = append(headers, h)
		col += len(sg.steps)
	}
	hh := 0.0
	hlines := make([][]line, len(headers))
	for i, h := range headers {
		var height float64
		hlines[i], height = layoutItems(h.items, h.w-2*pad)
		hh = max(hh, height)
	}
	hh += 2 * pad
	for i, h := range headers {
		lay.boxes = append(lay.boxes, box{
			x: h.x, y: y, w: h.w, h: hh, fill: headerFill, textColor: headerText, lines: hlines[i],
			attrs: ` data-row="stage" data-stage="` + escapeXML(h.id) + `"`,
		})
	}
	if len(headers) > 0 {
		y += hh + gap
	}

	// The rows.
	levelStep := math.Round(fs * 1.5)
	for _, r := range rows {
		st := rowStyles[r]
		left := pad
		if st.pattern != "" {
			left += stripe
		}
		var cells [][]line
		rowH := 0.0
		if r == RowEmotion {
			rowH = 2*pad + 0.7*fs + 4*levelStep + 0.45*fs
		} else {
			for _, s := range steps {
				lines, h := layoutItems(rowItems(r, cat, s, p, fs), inner-(left-pad))
				cells = append(cells, lines)
				rowH = max(rowH, h)
			}
			rowH += 2 * pad
		}
		// The row's name.
		nameLines, nh := layoutItems([]item{{text: st.label, bold: true, size: fs}}, labelW-left-pad)
		var scale []line
		if r == RowEmotion {
			// The scale, right-aligned against the curve.
			for e := persona.MaxEmotion; e >= persona.MinEmotion; e-- {
				t := signed(e)
				scale = append(scale, line{
					text:     t,
					dx:       labelW - 2*pad - textWidth(t, fs*0.85, false),
					baseline: 0.7*fs + float64(persona.MaxEmotion-e)*levelStep + 0.35*fs*0.85,
					size:     fs * 0.85,
				})
			}
			rowH = max(rowH, nh+2*pad)
		}
		rowH = math.Ceil(max(rowH, nh+2*pad))
		lay.boxes = append(lay.boxes, box{
			x: margin, y: y, w: labelW, h: rowH, fill: st.fill, pattern: st.pattern, textColor: textColor,
			lines: shift(nameLines, left-pad, 0), attrs: ` data-row="` + string(r) + `" data-label="true"`,
		})
		if len(scale) > 0 {
			lay.boxes[len(lay.boxes)-1].lines = append(lay.boxes[len(lay.boxes)-1].lines, scale...)
		}
		var curve []emotionPoint
		for i, s := range steps {
			b := box{
				x: colX(i), y: y, w: cw, h: rowH, fill: st.fill, pattern: st.pattern, textColor: textColor,
				attrs: ` data-row="` + string(r) + `" data-step="` + escapeXML(s.ID) + `"`,
			}
			if r == RowEmotion {
				e := emotionAt(s, p)
				_, own := personaEntry(p, s.ID)
				cx := colX(i) + cw/2
				cy := y + pad + 0.7*fs + float64(persona.MaxEmotion-e)*levelStep
				curve = append(curve, emotionPoint{x: cx, y: cy, score: e, persona: own})
				b.lines = []line{{text: signed(e), dx: cw/2 - pad + fs*0.6, baseline: cy - y - pad + 0.35*fs, size: fs, bold: true}}
				b.halo = true
			} else {
				b.lines = shift(cells[i], left-pad, 0)
				if len(b.lines) == 0 {
					b.pattern = "" // the stripe marks what a cell says
				}
			}
			lay.boxes = append(lay.boxes, b)
		}
		if r == RowEmotion && n > 0 {
			lay.curves = append(lay.curves, curve)
			lay.neutrals = append(lay.neutrals, [3]float64{colX(0), colX(n-1) + cw, y + pad + 0.7*fs + float64(persona.MaxEmotion)*levelStep})
		}
		y += rowH + gap
	}
	return y
}

// shift moves lines by dx, dy.
func shift(lines []line, dx, dy float64) []line {
	out := make([]line, len(lines))
	for i, l := range lines {
		l.dx += dx
		l.baseline += dy
		out[i] = l
	}
	return out
}

// signed writes an emotion with its sign: "+2", "0", "−1".
func signed(e persona.Emotion) string {
	switch {
	case e > 0:
		return "+" + strconv.Itoa(int(e))
	case e < 0:
		return "−" + strconv.Itoa(int(-e))
	}
	return "0"
}

// personaEntry returns p's empathy entry for step, if p is not nil and has one.
func personaEntry(p *persona.Persona, step string) (persona.Empathy, bool) {
	if p == nil {
		return persona.Empathy{}, false
	}
	return p.At(step)
}

// personaSummary describes p in one line: its name, segment, market, age,
// occupation and share of the customers.
func personaSummary(p *persona.Persona) string {
	parts := []string{personaName(p)}
	if s := p.Segment.String(); s != "" {
		parts = append(parts, strings.ToUpper(s))
	}
	if m := cleanText(p.Market); m != "" {
		parts = append(parts, m)
	}
	if !p.Age.IsZero() {
		parts = append(parts, "aged "+rangeText(p.Age))
	}
	if o := cleanText(p.Occupation); o != "" {
		parts = append(parts, o)
	}
	if p.Share > 0 {
		parts = append(parts, percent(p.Share)+" of customers")
	}
	return strings.Join(parts, " · ")
}

// rangeText writes a range: "22–34", "65+", "up to 30".
func rangeText(r persona.Range) string {
	f := func(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) }
	switch {
	case r.Max == 0:
		return f(r.Min) + "+"
	case r.Min == 0:
		return "up to " + f(r.Max)
	}
	return f(r.Min) + "–" + f(r.Max)
}

// rowItems returns what row r shows for step s.
func rowItems(r Row, cat catalog, s journey.Step, p *persona.Persona, fs float64) []item {
	list := func(texts []string) []item {
		var out []item
		for _, t := range texts {
			if t = cleanText(t); t != "" {
				out = append(out, item{text: t, size: fs, bullet: true})
			}
		}
		return out
	}
	switch r {
	case RowSteps:
		return []item{{text: stepName(s), bold: true, size: fs}}
	case RowGoals:
		var gs []string
		for _, g := range s.Goals {
			gs = append(gs, goalName(g))
		}
		if len(gs) == 0 {
			return nil
		}
		return []item{{text: strings.Join(gs, ", "), size: fs}}
	case RowTouchpoints:
		var ts []string
		for _, id := range s.Touchpoints {
			ts = append(ts, cat.touchpointName(id))
		}
		return list(ts)
	case RowChannels:
		var cs []string
		for _, id := range s.Touchpoints {
			if t, ok := cat.touchpoint(id); ok {
				if c := cleanText(string(t.Channel)); c != "" && !slices.Contains(cs, c) {
					cs = append(cs, c)
				}
			}
		}
		if len(cs) == 0 {
			return nil
		}
		return []item{{text: strings.Join(cs, ", "), size: fs}}
	case RowDepartments:
		return list(cat.stepDepartments(s))
	case RowPains:
		pains := slices.Clone(s.Pains)
		if e, ok := personaEntry(p, s.ID); ok {
			pains = append(pains, e.Pains...)
		}
		return list(dedupe(pains))
	case RowOpportunities:
		return list(dedupe(s.Opportunities))
	case RowEmpathy:
		e, ok := personaEntry(p, s.ID)
		if !ok {
			return nil
		}
		var out []item
		for _, part := range []struct {
			verb  string
			texts []string
		}{{"thinks", e.Thinks}, {"feels", e.Feels}, {"says", e.Says}, {"does", e.Does}, {"gains", e.Gains}} {
			for _, t := range part.texts {
				if t = cleanText(t); t != "" {
					out = append(out, item{text: part.verb + ": " + t, size: fs, bullet: true})
				}
			}
		}
		return out
	}
	return nil
}

// goalName names an objective for a reader.
func goalName(o objectives.Objective) string {
	return o.String()
}

// dedupe returns texts without repeats (after cleaning), in order.
func dedupe(texts []string) []string {
	seen := make(map[string]bool)
	var out []string
	for _, t := range texts {
		c := cleanText(t)
		if c == "" || seen[c] {
			continue
		}
		seen[c] = true
		out = append(out, c)
	}
	return out
}

// num writes a coordinate with at most two decimals.
func num(v float64) string {
	return strconv.FormatFloat(math.Round(v*100)/100, 'f', -1, 64)
}

func (lay *mapLayout) write(w *bufio.Writer) {
	id := escapeXML(lay.id)
	fmt.Fprintf(w, `<svg xmlns="http://www.w3.org/2000/svg" id="%s" class="journey-map" width="%s" height="%s" viewBox="0 0 %s %s" font-family="%s" font-size="%s" role="img" aria-labelledby="%s-title %s-desc">`+"\n",
		id, num(lay.width), num(lay.height), num(lay.width), num(lay.height), escapeXML(fontStack), num(lay.fs), id, id)
	fmt.Fprintf(w, "<title id=\"%s-title\">%s</title>\n", id, escapeXML(lineText(lay.title)))
	fmt.Fprintf(w, "<desc id=\"%s-desc\">%s</desc>\n", id, escapeXML(lay.desc))
	fmt.Fprintf(w, "<defs>\n")
	fmt.Fprintf(w, `<pattern id="%s-hatch" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)"><rect width="6" height="6" fill="#ffffff"/><rect width="3" height="6" fill="%s"/></pattern>`+"\n", id, stripeColor)
	fmt.Fprintf(w, `<pattern id="%s-dots" width="6" height="6" patternUnits="userSpaceOnUse"><rect width="6" height="6" fill="#ffffff"/><circle cx="3" cy="3" r="1.6" fill="%s"/></pattern>`+"\n", id, stripeColor)
	fmt.Fprintf(w, "</defs>\n")
	fmt.Fprintf(w, `<rect width="%s" height="%s" fill="#ffffff"/>`+"\n", num(lay.width), num(lay.height))
	writeLines(w, lay.title, lay.margin, lay.titleY, textColor, false)
	writeLines(w, lay.subtitle, lay.margin, lay.subtitleY, textColor, false)
	pad := math.Round(lay.fs * 0.5)
	stripe := math.Round(lay.fs * 0.5)
	for _, b := range lay.boxes {
		fmt.Fprintf(w, `<g class="cell"%s>`, b.attrs)
		fmt.Fprintf(w, `<rect x="%s" y="%s" width="%s" height="%s" rx="3" fill="%s" stroke="%s" stroke-width="0.75"/>`,
			num(b.x), num(b.y), num(b.w), num(b.h), b.fill, cellStroke)
		if b.pattern != "" {
			fmt.Fprintf(w, `<rect x="%s" y="%s" width="%s" height="%s" fill="url(#%s-%s)"/>`,
				num(b.x+1), num(b.y+1), num(stripe), num(b.h-2), id, b.pattern)
		}
		writeLines(w, b.lines, b.x+pad, b.y+pad, b.textColor, b.halo)
		w.WriteString("</g>\n")
	}
	for k, curve := range lay.curves {
		w.WriteString(`<g class="emotion-curve">`)
		nl := lay.neutrals[k]
		fmt.Fprintf(w, `<line x1="%s" y1="%s" x2="%s" y2="%s" stroke="%s" stroke-width="1" stroke-dasharray="4 3"/>`,
			num(nl[0]), num(nl[2]), num(nl[1]), num(nl[2]), neutralColor)
		var pts []string
		for _, c := range curve {
			pts = append(pts, num(c.x)+","+num(c.y))
		}
		fmt.Fprintf(w, `<polyline points="%s" fill="none" stroke="%s" stroke-width="2" stroke-linejoin="round"/>`, strings.Join(pts, " "), curveColor)
		for _, c := range curve {
			fill := "#ffffff"
			if c.persona {
				fill = curveColor
			}
			fmt.Fprintf(w, `<circle cx="%s" cy="%s" r="%s" fill="%s" stroke="%s" stroke-width="1.5"/>`,
				num(c.x), num(c.y), num(lay.fs*0.4), fill, curveColor)
		}
		w.WriteString("</g>\n")
	}
	writeLines(w, lay.legend, lay.margin, lay.legendY, textColor, false)
	w.WriteString("</svg>\n")
}

// writeLines writes lines as one <text> whose corner is at x, y, with a
// white outline under the glyphs if halo is set.
func writeLines(w *bufio.Writer, lines []line, x, y float64, color string, halo bool) {
	if len(lines) == 0 {
		return
	}
	if halo {
		fmt.Fprintf(w, `<text fill="%s" stroke="#ffffff" stroke-width="3" stroke-linejoin="round" paint-order="stroke">`, color)
	} else {
		fmt.Fprintf(w, `<text fill="%s">`, color)
	}
	for _, l := range lines {
		fmt.Fprintf(w, `<tspan x="%s" y="%s" font-size="%s"`, num(x+l.dx), num(y+l.baseline), num(l.size))
		if l.bold {
			w.WriteString(` font-weight="bold"`)
		}
		fmt.Fprintf(w, ">%s</tspan>", escapeXML(l.text))
	}
	w.WriteString("</text>")
}

// lineText joins lines' text with spaces.
func lineText(lines []line) string {
	var s []string
	for _, l := range lines {
		s = append(s, l.text)
	}
	return strings.Join(s, " ")
}
