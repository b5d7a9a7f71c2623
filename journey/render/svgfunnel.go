package render

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"

	"github.com/parcours-go/parcours/funnel"
	"github.com/parcours-go/parcours/journey"
)

// FunnelOptions configures SVGFunnel and FunnelSection. The zero value
// gives the defaults each field documents.
type FunnelOptions struct {
	// Title heads the picture. Empty means "Conversion funnel".
	Title string
	// Map, if set, names the stages: a stage named after a stage (or a
	// step) of the map takes that stage's (step's) name. Funnels made by
	// funnel.FromMap name their stages by the map's stage IDs.
	Map *journey.Map
	// HideTimes leaves out the median time from each stage to the next.
	// By default it is written under each stage's conversion.
	HideTimes bool
	// FontSize is the size of the text, in pixels; zero means 12. The
	// columns are as wide as a number of characters, so the picture
	// grows with it.
	FontSize float64
	// ID is the id of the svg element, and the prefix of the ids inside
	// it; empty means "funnel". Pictures placed in one HTML page need
	// distinct IDs.
	ID string
}

// The funnel chart's colours: the bars (L* 38) with a hatched end for the
// units that went no further, cells of distinct lightness for the stage
// names (L* 92), the bars (white) and the figures (L* 96), and the map's
// header (L* 26, white text).
const (
	funnelBarFill     = "#3d5a80"
	funnelNameFill    = "#e3eaf2"
	funnelBarCellFill = "#ffffff"
	funnelFigureFill  = "#f2f2f2"
)

// SVGFunnel writes a self-contained SVG chart of the funnel report r: a
// row per stage, in funnel order, with the stage's name, a bar as long as
// the units (customers or attempts) that reached it, labelled with their
// number, and the stage's figures: its conversion from the previous stage
// and from the first, the units that went no further, and the median time
// since the previous stage (unless opt.HideTimes). The part of each bar
// that went no further is hatched, so the chart reads in greyscale. A
// header names the columns, a subtitle gives the funnel's totals and a
// legend says how to read it.
//
// Text is measured and wrapped as in SVGMap, and never overflows its box;
// each cell is a <g class="cell" data-row="…" data-stage="…"> holding its
// <rect> and its <text>. The picture uses no external font, image or
// script.
//
// It returns an error for a nil report, a report with no stage, counts
// that cannot be (negative, or more dropped than reached), a bad option
// and the writer's errors.
func SVGFunnel(w io.Writer, r *funnel.Report, opt FunnelOptions) error {
	lay, err := layoutFunnel(r, opt)
	if err != nil {
		return err
	}
	bw := bufio.NewWriter(w)
	lay.write(bw)
	return bw.Flush()
}

// errNilFunnel is returned for a nil funnel report.
var errNilFunnel = errors.New("render: nil funnel report")

// checkFunnel reports what makes r impossible to draw.
func checkFunnel(r *funnel.Report) error {
	if r == nil {
		return errNilFunnel
	}
	if len(r.Stages) == 0 {
		return errors.New("render: funnel: the report has no stage")
	}
	var errs []error
	for k, s := range r.Stages {
		p := "stages[" + strconv.Itoa(k) + "] " + strconv.Quote(s.Name)
		if s.Reached < 0 {
			errs = append(errs, fmt.Errorf("render: funnel: %s: reached %d is negative", p, s.Reached))
		}
		if s.Dropped < 0 || s.Dropped > max(s.Reached, 0) {
			errs = append(errs, fmt.Errorf("render: funnel: %s: dropped %d is outside [0, reached %d]", p, s.Dropped, s.Reached))
		}
	}
	return errors.Join(errs...)
}

// funnelStageName names stage s for a reader, from the map if it has a
// stage or step of that id.
func funnelStageName(m *journey.Map, s string) string {
	if m != nil {
		if st, ok := m.Stage(s); ok {
			return stageName(st)
		}
		if st, ok := m.Step(s); ok {
			return stepName(st)
		}
	}
	if cleanText(s) == "" {
		return "(unnamed stage)"
	}
	return s
}

// units names what a report counts, for n of them.
func units(r *funnel.Report, n int) string {
	if r.Funnel.Count == funnel.Attempts {
		if n == 1 {
			return "attempt"
		}
		return "attempts"
	}
	if n == 1 {
		return "customer"
	}
	return "customers"
}

// who is the relative pronoun of what a report counts.
func who(r *funnel.Report) string {
	if r.Funnel.Count == funnel.Attempts {
		return "that"
	}
	return "who"
}

// funnelSummary says in a sentence how many units entered and finished.
func funnelSummary(r *funnel.Report, m *journey.Map) string {
	first, last := r.Stages[0], r.Stages[len(r.Stages)-1]
	var s string
	if r.Funnel.Count == funnel.Customers && first.Reached == r.Customers {
		s = "All " + count(r.Customers) + " customers in the log entered the funnel"
		if r.Customers == 1 {
			s = "The one customer in the log entered the funnel"
		}
	} else {
		s = count(r.Customers) + " " + map[bool]string{true: "customer", false: "customers"}[r.Customers == 1] + " in the log; " +
			count(first.Reached) + " " + units(r, first.Reached) + " entered the funnel"
	}
	if len(r.Stages) > 1 {
		s += " and " + count(last.Reached) + " (" + percent(r.Stages.FromFirst(len(r.Stages)-1)) + ") reached its last stage, " +
			funnelStageName(m, last.Name)
	}
	if r.Excluded > 0 {
		s += "; " + count(r.Excluded) + " " + units(r, r.Excluded) + " excluded"
	}
	return s + "."
}

// funnelWindow says within what time the funnel counts a chain.
func funnelWindow(r *funnel.Report) string {
	if r.Funnel.Window <= 0 {
		return "with no time limit"
	}
	return "within " + Duration(r.Funnel.Window) + " of the first stage"
}

// funnelFigures returns the lines of figures of stage k.
func funnelFigures(r *funnel.Report, k int, hideTimes bool) []string {
	s := r.Stages[k]
	var out []string
	if k == 0 {
		if r.Funnel.Count == funnel.Customers && r.Customers > 0 && !r.Funnel.Open {
			out = append(out, share(float64(s.Reached), float64(r.Customers))+" of the customers in the log")
		} else {
			out = append(out, "where the funnel starts")
		}
	} else {
		out = append(out, percent(r.Stages.FromPrevious(k))+" of the previous stage")
		if k > 1 {
			out = append(out, percent(r.Stages.FromFirst(k))+" of the first stage")
		}
	}
	if k < len(r.Stages)-1 {
		out = append(out, count(s.Dropped)+" went no further ("+share(float64(s.Dropped), float64(s.Reached))+")")
	}
	if k > 0 && !hideTimes && s.FromPrevious.Count() > 0 {
		out = append(out, "median time: "+Duration(s.FromPrevious.Median()))
	}
	return out
}

// funnelLayout is a funnel chart ready to write: boxes like the map's,
// and bars.
type funnelLayout struct {
	id            string
	width, height float64
	fs, margin    float64
	title         []line
	titleY        float64
	subtitle      []line
	subtitleY     float64
	boxes         []box
	bars          map[int]funnelBar // by index in boxes
	legend        []line
	legendY       float64
	desc          string
}

// funnelBar is the bar of a stage: solid up to x+solid, hatched to x+full.
type funnelBar struct {
	x, y, h     float64
	solid, full float64
}

func layoutFunnel(r *funnel.Report, opt FunnelOptions) (*funnelLayout, error) {
	if err := checkFunnel(r); err != nil {
		return nil, err
	}
	fs := opt.FontSize
	if fs == 0 {
		fs = 12
	}
	if !(fs >= 4 && fs <= 200) {
		return nil, fmt.Errorf("render: funnel: font size %v is outside [4, 200]", opt.FontSize)
	}
	id := cleanText(opt.ID)
	if id == "" {
		id = "funnel"
	}
	lay := &funnelLayout{id: id, fs: fs, bars: make(map[int]funnelBar, len(r.Stages))}
	pad := math.Round(fs * 0.5)
	gap := math.Round(fs / 3)
	margin := math.Round(fs * 1.5)
	lay.margin = margin
	nameW := math.Round(14 * fs)
	barW := math.Round(30 * fs)
	figW := math.Round(21 * fs)
	gridW := nameW + gap + barW + gap + figW
	lay.width = math.Ceil(2*margin + gridW)
	nameX := margin
	barX := nameX + nameW + gap
	figX := barX + barW + gap

	y := margin
	title := cleanText(opt.Title)
	if title == "" {
		title = "Conversion funnel"
	}
	titleSize := math.Round(fs * 1.5)
	lay.title, _ = layoutItems([]item{{text: title, bold: true, size: titleSize}}, gridW)
	lay.titleY = y
	y += float64(len(lay.title)) * lineHeight * titleSize
	var sh float64
	lay.subtitle, sh = layoutItems([]item{{text: funnelSummary(r, opt.Map), size: fs}}, gridW)
	lay.subtitleY = y + fs*0.25
	y += sh + fs*0.25 + gap*3
	lay.desc = title + ". " + lineText(lay.subtitle)

	// The header.
	unit := units(r, 2)
	heads := []struct {
		x, w  float64
		text  string
		label string
	}{
		{nameX, nameW, "Stage", "stage"},
		{barX, barW, capitalize(unit) + " " + who(r) + " reached the stage", "reached"},
		{figX, figW, "Conversion and drop-off", "figures"},
	}
	hh := 0.0
	hl := make([][]line, len(heads))
	for i, h := range heads {
		var height float64
		hl[i], height = layoutItems([]item{{text: h.text, bold: true, size: fs}}, h.w-2*pad)
		hh = max(hh, height)
	}
	hh = math.Ceil(hh + 2*pad)
	for i, h := range heads {
		lay.boxes = append(lay.boxes, box{x: h.x, y: y, w: h.w, h: hh, fill: headerFill, textColor: headerText, lines: hl[i],
			attrs: ` data-row="header" data-stage="` + h.label + `"`})
	}
	y += hh + gap

	// The bars' scale leaves room for the widest label after the longest bar.
	most := 1
	labels := make([]string, len(r.Stages))
	labelW := 0.0
	for k, s := range r.Stages {
		most = max(most, s.Reached)
		labels[k] = count(s.Reached) + " " + units(r, s.Reached)
		labelW = max(labelW, textWidth(labels[k], fs, true))
	}
	scale := barW - 3*pad - labelW
	barH := math.Round(fs * 1.6)
	for k, s := range r.Stages {
		name := funnelStageName(opt.Map, s.Name)
		items := []item{{text: name, bold: true, size: fs}}
		if s.Optional {
			items = append(items, item{text: "optional stage", size: math.Round(fs * 0.9)})
		}
		nameLines, nh := layoutItems(items, nameW-2*pad)
		var figItems []item
		for _, t := range funnelFigures(r, k, opt.HideTimes) {
			figItems = append(figItems, item{text: t, size: fs, bullet: true})
		}
		figLines, fh := layoutItems(figItems, figW-2*pad)
		rowH := math.Ceil(max(nh, fh, barH, fs*lineHeight) + 2*pad)
		attr := ` data-stage="` + escapeXML(cleanText(s.Name)) + `"`
		lay.boxes = append(lay.boxes, box{x: nameX, y: y, w: nameW, h: rowH, fill: funnelNameFill, textColor: textColor, lines: shift(nameLines, 0, (rowH-2*pad-nh)/2),
			attrs: ` data-row="stage"` + attr})

		full := scale * float64(s.Reached) / float64(most)
		solid := scale * float64(s.Reached-s.Dropped) / float64(most)
		if s.Reached > 0 && full < 2 {
			full, solid = 2, 2*float64(s.Reached-s.Dropped)/float64(s.Reached)
		}
		lay.bars[len(lay.boxes)] = funnelBar{x: barX + pad, y: y + (rowH-barH)/2, h: barH, solid: solid, full: full}
		label := line{text: labels[k], dx: full + 0.75*pad, baseline: rowH/2 - pad + 0.35*fs, size: fs, bold: true}
		lay.boxes = append(lay.boxes, box{x: barX, y: y, w: barW, h: rowH, fill: funnelBarCellFill, textColor: textColor, lines: []line{label},
			attrs: ` data-row="bar"` + attr})
		lay.boxes = append(lay.boxes, box{x: figX, y: y, w: figW, h: rowH, fill: funnelFigureFill, textColor: textColor, lines: shift(figLines, 0, (rowH-2*pad-fh)/2),
			attrs: ` data-row="figures"` + attr})
		y += rowH + gap
	}

	legend := []item{{text: "Each bar is as long as the " + unit + " " + who(r) + " reached the stage " + funnelWindow(r) +
		"; its hatched end stands for those who went no further. Percentages compare a stage with the one before it and with the first; " +
		"times are medians from the previous stage.", size: fs * 0.9}}
	var lh float64
	lay.legend, lh = layoutItems(legend, gridW)
	lay.legendY = y + gap
	y += gap + lh
	lay.height = math.Ceil(y + margin - gap)
	return lay, nil
}

// capitalize writes s with an upper-case first letter, for ASCII text.
func capitalize(s string) string {
	if s != "" && s[0] >= 'a' && s[0] <= 'z' {
		return string(s[0]-'a'+'A') + s[1:]
	}
	return s
}

func (lay *funnelLayout) write(w *bufio.Writer) {
	id := escapeXML(lay.id)
	fmt.Fprintf(w, `<svg xmlns="http://www.w3.org/2000/svg" id="%s" class="funnel-chart" width="%s" height="%s" viewBox="0 0 %s %s" font-family="%s" font-size="%s" role="img" aria-labelledby="%s-title %s-desc">`+"\n",
		id, num(lay.width), num(lay.height), num(lay.width), num(lay.height), escapeXML(fontStack), num(lay.fs), id, id)
	fmt.Fprintf(w, "<title id=\"%s-title\">%s</title>\n", id, escapeXML(lineText(lay.title)))
	fmt.Fprintf(w, "<desc id=\"%s-desc\">%s</desc>\n", id, escapeXML(lay.desc))
	fmt.Fprintf(w, "<defs>\n")
	fmt.Fprintf(w, `<pattern id="%s-dropped" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)"><rect width="6" height="6" fill="#ffffff"/><rect width="2.5" height="6" fill="%s"/></pattern>`+"\n", id, funnelBarFill)
	fmt.Fprintf(w, "</defs>\n")
	fmt.Fprintf(w, `<rect width="%s" height="%s" fill="#ffffff"/>`+"\n", num(lay.width), num(lay.height))
	writeLines(w, lay.title, lay.margin, lay.titleY, textColor, false)
	writeLines(w, lay.subtitle, lay.margin, lay.subtitleY, textColor, false)
	pad := math.Round(lay.fs * 0.5)
	for i, b := range lay.boxes {
		fmt.Fprintf(w, `<g class="cell"%s>`, b.attrs)
		fmt.Fprintf(w, `<rect x="%s" y="%s" width="%s" height="%s" rx="3" fill="%s" stroke="%s" stroke-width="0.75"/>`,
			num(b.x), num(b.y), num(b.w), num(b.h), b.fill, cellStroke)
		if fb, ok := lay.bars[i]; ok {
			if fb.solid > 0 {
				fmt.Fprintf(w, `<rect class="bar" x="%s" y="%s" width="%s" height="%s" fill="%s"/>`,
					num(fb.x), num(fb.y), num(fb.solid), num(fb.h), funnelBarFill)
			}
			if fb.full > fb.solid {
				fmt.Fprintf(w, `<rect class="dropped" x="%s" y="%s" width="%s" height="%s" fill="url(#%s-dropped)" stroke="%s" stroke-width="1"/>`,
					num(fb.x+fb.solid), num(fb.y+0.5), num(fb.full-fb.solid), num(fb.h-1), id, funnelBarFill)
			}
		}
		writeLines(w, b.lines, b.x+pad, b.y+pad, b.textColor, false)
		w.WriteString("</g>\n")
	}
	writeLines(w, lay.legend, lay.margin, lay.legendY, textColor, false)
	w.WriteString("</svg>\n")
}
