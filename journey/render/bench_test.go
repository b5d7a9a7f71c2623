package render_test

import (
	"fmt"
	"io"
	"testing"

	"github.com/parcours-go/parcours/journey"
	"github.com/parcours-go/parcours/journey/graph"
	"github.com/parcours-go/parcours/journey/render"
	"github.com/parcours-go/parcours/touchpoint"
)

// bigMap returns a map of n steps in n/8+1 stages, each step with three
// touchpoints and routes to the next two steps.
func bigMap(n int) *journey.Map {
	m := &journey.Map{Name: fmt.Sprintf("%d steps", n)}
	for d := range 4 {
		m.Catalog.Departments = append(m.Catalog.Departments, touchpoint.Department{ID: fmt.Sprint("d", d), Name: fmt.Sprint("Department ", d), Focus: touchpoint.SupportFocus})
	}
	for i := range n {
		if i%8 == 0 {
			m.Stages = append(m.Stages, journey.Stage{ID: fmt.Sprint("s", i/8), Name: fmt.Sprint("Stage ", i/8)})
		}
		st := journey.Step{ID: fmt.Sprint("p", i), Name: fmt.Sprintf("Step %d of the journey, with a name long enough to wrap", i), Stage: fmt.Sprint("s", i/8),
			Pains: []string{"waits too long for an answer"}, Emotion: 0}
		for k := range 3 {
			id := fmt.Sprintf("t%d-%d", i, k)
			m.Catalog.Touchpoints = append(m.Catalog.Touchpoints, touchpoint.Touchpoint{ID: id, Name: "Touchpoint " + id, Channel: touchpoint.Web, Owner: fmt.Sprint("d", (i+k)%4)})
			st.Touchpoints = append(st.Touchpoints, id)
		}
		m.Steps = append(m.Steps, st)
		for j := i + 1; j <= i+2 && j < n; j++ {
			m.Transitions = append(m.Transitions, graph.Transition{From: st.ID, To: fmt.Sprint("p", j), Probability: 0.4})
		}
	}
	return m
}

func BenchmarkRender(b *testing.B) {
	for _, n := range []int{16, 160, 1600} {
		m := bigMap(n)
		b.Run(fmt.Sprintf("SVGMap/steps=%d", n), func(b *testing.B) {
			for b.Loop() {
				if err := render.SVGMap(io.Discard, m, nil, render.MapOptions{}); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run(fmt.Sprintf("SVGMap/bands/steps=%d", n), func(b *testing.B) {
			for b.Loop() {
				if err := render.SVGMap(io.Discard, m, nil, render.MapOptions{Width: render.PageWidth}); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run(fmt.Sprintf("SVGGraph/steps=%d", n), func(b *testing.B) {
			for b.Loop() {
				if err := render.SVGGraph(io.Discard, render.MapFlow(m), render.DiagramOptions{}); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run(fmt.Sprintf("MermaidJourney/steps=%d", n), func(b *testing.B) {
			for b.Loop() {
				if err := render.MermaidJourney(io.Discard, m, nil, render.JourneyOptions{}); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run(fmt.Sprintf("DOT/steps=%d", n), func(b *testing.B) {
			for b.Loop() {
				if err := render.DOT(io.Discard, render.MapFlow(m), render.GraphOptions{}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkGraphFlow draws the designed graph of maps of 16 to 1,600
// steps: the friction ranking's solves dominate.
func BenchmarkGraphFlow(b *testing.B) {
	for _, n := range []int{16, 160, 1600} {
		m := bigMap(n)
		g, err := m.Graph()
		if err != nil {
			b.Fatal(err)
		}
		b.Run(fmt.Sprintf("steps=%d", n), func(b *testing.B) {
			for b.Loop() {
				if err := render.MermaidFlowchart(io.Discard, render.GraphFlow(g, render.GraphFlowOptions{Map: m}), render.GraphOptions{}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
