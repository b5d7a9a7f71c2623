package render_test

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"errors"
	"io"
	"math"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/parcours-go/parcours/funnel"
	"github.com/parcours-go/parcours/journey/render"
)

// funnelBars returns, for each stage of the chart, the widths of its
// solid and hatched bars, and the texts of its cells by row.
func funnelBars(t *testing.T, svg []byte) (bars [][2]float64, texts map[string][]string) {
	t.Helper()
	doc := parseXML(t, svg)
	texts = map[string][]string{}
	for _, cell := range doc.findAll(func(e *element) bool { return e.attr("class") == "cell" }) {
		row := cell.attr("data-row")
		var words []string
		for _, tx := range cell.findAll(func(e *element) bool { return e.Name.Local == "tspan" }) {
			words = append(words, tx.text)
		}
		texts[row] = append(texts[row], strings.Join(words, " "))
		if row != "bar" {
			continue
		}
		var b [2]float64
		for _, r := range cell.findAll(func(e *element) bool { return e.Name.Local == "rect" }) {
			w, _ := strconv.ParseFloat(r.attr("width"), 64)
			switch r.attr("class") {
			case "bar":
				b[0] = w
			case "dropped":
				b[1] = w
			}
		}
		bars = append(bars, b)
	}
	return bars, texts
}

func TestSVGFunnel(t *testing.T) {
	tests := []struct {
		name, reason string
		report       *funnel.Report
		opt          render.FunnelOptions
		// bars: each stage's solid and hatched widths, relative to the
		// first stage's whole bar.
		bars    [][2]float64
		figures []string
	}{
		{
			name:   "three stages",
			reason: "bars as long as the customers reached, hatched for those who went no further; conversions from the previous and the first stage; median times",
			report: reportOf(1000, []int{1000, 400, 100}, []int{600, 300, 0}),
			bars:   [][2]float64{{0.4, 0.6}, {0.1, 0.3}, {0.1, 0}},
			figures: []string{
				"• 100% of the customers in the log • 600 went no further (60%)",
				"• 40% of the previous stage • 300 went no further (75%) • median time: 2 h",
				"• 25% of the previous stage • 10% of the first stage • median time: 2 h",
			},
		},
		{
			name:    "nobody",
			reason:  "an empty funnel draws no bar and no division by zero",
			report:  reportOf(0, []int{0, 0}, []int{0, 0}),
			bars:    [][2]float64{{0, 0}, {0, 0}},
			figures: []string{"• where the funnel starts • 0 went no further (–)", "• 0% of the previous stage"},
		},
		{
			name:    "times hidden",
			reason:  "HideTimes leaves the medians out",
			report:  reportOf(10, []int{8, 8}, []int{0, 0}),
			opt:     render.FunnelOptions{HideTimes: true},
			bars:    [][2]float64{{1, 0}, {1, 0}},
			figures: []string{"• 80% of the customers in the log • 0 went no further (0%)", "• 100% of the previous stage"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var b bytes.Buffer
			if err := render.SVGFunnel(&b, tt.report, tt.opt); err != nil {
				t.Fatalf("%s: %v", tt.reason, err)
			}
			bars, texts := funnelBars(t, b.Bytes())
			whole := bars[0][0] + bars[0][1]
			if whole == 0 {
				whole = 1
			}
			for i := range bars {
				bars[i][0] = math.Round(bars[i][0]/whole*1000) / 1000
				bars[i][1] = math.Round(bars[i][1]/whole*1000) / 1000
			}
			if diff := cmp.Diff(tt.bars, bars); diff != "" {
				t.Errorf("%s: bars (-want +got):\n%s", tt.reason, diff)
			}
			if diff := cmp.Diff(tt.figures, texts["figures"]); diff != "" {
				t.Errorf("%s: figures (-want +got):\n%s", tt.reason, diff)
			}
		})
	}
}

// reportOf makes a report of customers in the log and stages a, b, c …
// that reached and dropped as given, each two hours after the previous.
func reportOf(customers int, reached, dropped []int) *funnel.Report {
	r := &funnel.Report{Customers: customers}
	for k := range reached {
		r.Stages = append(r.Stages, funnel.StageReport{Name: string(rune('a' + k)), Reached: reached[k], Dropped: dropped[k]})
	}
	if customers > 0 {
		// Durations come from a real analysis: a log where each stage
		// follows the previous one after two hours.
		r.Stages = withTimes(r.Stages)
	}
	return r
}

func FuzzSVGFunnel(f *testing.F) {
	f.Add(`Title "deed": <sign> & pay #5`, "Kundenzufriedenheitsbefragungsergebnisauswertungsbericht", int32(10), int32(3), int32(2))
	f.Add("\x00\xff", "", int32(-1), int32(0), int32(5))
	f.Fuzz(func(t *testing.T, a, b string, reached, next, dropped int32) {
		r := &funnel.Report{Customers: int(reached), Stages: funnel.Stages{
			{Name: a, Reached: int(reached), Dropped: int(dropped)},
			{Name: b, Reached: int(next), Optional: true},
		}}
		var out bytes.Buffer
		if err := render.SVGFunnel(&out, r, render.FunnelOptions{}); err != nil {
			if !strings.HasPrefix(err.Error(), "render: funnel: ") {
				t.Fatalf("error %q lacks the prefix", err)
			}
			return
		}
		d := xml.NewDecoder(&out)
		for {
			_, err := d.Token()
			if errors.Is(err, io.EOF) {
				break
			}
			if err != nil {
				t.Fatalf("not XML: %v", err)
			}
		}
	})
}

// withTimes gives every stage after the first the time from the previous
// stage of each unit that reached it: two hours.
func withTimes(stages funnel.Stages) funnel.Stages {
	for k := 1; k < len(stages); k++ {
		if n := stages[k].Reached; n > 0 {
			data := []byte("[[" + strconv.FormatInt(int64(2*time.Hour), 10) + "," + strconv.Itoa(n) + "]]")
			if err := json.Unmarshal(data, &stages[k].FromPrevious); err != nil {
				panic(err)
			}
		}
	}
	return stages
}
