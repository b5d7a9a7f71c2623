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
	"github.com/parcours-go/parcours/persona"
	"github.com/parcours-go/parcours/touchpoint"
)

// errNilMap is returned by every renderer given a nil map.
var errNilMap = errors.New("render: nil map")

// Actors says who a Mermaid journey diagram names as the actors of a task.
// The zero value is DepartmentActors.
type Actors uint8

const (
	// DepartmentActors: the departments that own the step's touchpoints,
	// by name (or id), in catalog order. A step whose touchpoints nobody
	// owns has no actor.
	DepartmentActors Actors = iota
	// PersonaActors: the persona, by name (or id), at every step; no actor
	// when there is no persona.
	PersonaActors
	// NoActors: tasks name no actor.
	NoActors
)

// JourneyOptions configures MermaidJourney. The zero value gives the
// defaults each field documents.
type JourneyOptions struct {
	// Title is the diagram's title. Empty means the map's name, followed by
	// the persona's name in parentheses when there is a persona; a map and
	// persona with no name give no title.
	Title string
	// Actors chooses the actors of each task; the zero value is
	// DepartmentActors.
	Actors Actors
}

// MermaidJourney writes a Mermaid journey diagram of m as persona p lives
// it: one section per stage, in map order, holding one task per step of
// that stage (steps without a stage come first, before any section). A
// task is named after its step (its name, else its id), scored with the
// persona's emotion at the step on Mermaid's 1–5 scale (its empathy entry
// if it has one, else the step's designed Emotion; see
// [persona.Emotion.Score5]), and lists the actors opts.Actors chooses. p
// may be nil: the scores are then the designed emotions.
//
// Every text is escaped for Mermaid's journey grammar: characters it
// reserves (# : ; % < > and, in actors, the comma) are written as Mermaid
// entity codes such as #58;, which Mermaid draws as the character itself,
// and a name that starts like one of the grammar's keywords ("Title
// deed") has its first letter written so. Line breaks become spaces.
//
// m need not be valid: unknown references are drawn as their ids. It
// returns an error for a nil map and the writer's errors.
func MermaidJourney(w io.Writer, m *journey.Map, p *persona.Persona, opts JourneyOptions) error {
	if m == nil {
		return errNilMap
	}
	cat := newCatalog(m)
	bw := bufio.NewWriter(w)
	bw.WriteString("journey\n")
	if t := journeyText(journeyTitle(m, p, opts.Title), false); t != "" {
		fmt.Fprintf(bw, "  title %s\n", t)
	}
	task := func(indent string, s journey.Step) {
		fmt.Fprintf(bw, "%s%s: %d", indent, journeyTaskName(s), emotionAt(s, p).Score5())
		var names []string
		switch opts.Actors {
		case DepartmentActors:
			for _, d := range cat.stepDepartments(s) {
				names = append(names, journeyText(d, true))
			}
		case PersonaActors:
			if p != nil {
				names = append(names, journeyText(personaName(p), true))
			}
		}
		names = slices.DeleteFunc(names, func(n string) bool { return n == "" })
		for i, n := range names {
			if i == 0 {
				bw.WriteString(": ")
			} else {
				bw.WriteString(", ")
			}
			bw.WriteString(n)
		}
		bw.WriteByte('\n')
	}
	for _, g := range stageGroups(m) {
		indent := "  "
		if g.stage != nil {
			fmt.Fprintf(bw, "  section %s\n", journeyNonEmpty(stageName(*g.stage), "stage"))
			indent = "    "
		}
		for _, s := range g.steps {
			task(indent, s)
		}
	}
	return bw.Flush()
}

// journeyTitle returns the title MermaidJourney writes.
func journeyTitle(m *journey.Map, p *persona.Persona, title string) string {
	if title != "" {
		return title
	}
	title = m.Name
	if p != nil {
		if title == "" {
			return personaName(p)
		}
		title += " (" + personaName(p) + ")"
	}
	return title
}

// journeyTaskName returns the escaped name of the task for step s. Mermaid
// needs a name: an empty one becomes "step".
func journeyTaskName(s journey.Step) string {
	return journeyNonEmpty(stepName(s), "step")
}

// journeyNonEmpty escapes s, or returns fallback if s escapes to nothing.
func journeyNonEmpty(s, fallback string) string {
	if t := journeyText(s, false); t != "" {
		return t
	}
	return fallback
}

// stageGroup is a stage and its steps, in map order. A nil stage holds the
// steps that name no stage, or a stage the map does not have.
type stageGroup struct {
	stage *journey.Stage
	steps []journey.Step
}

// stageGroups returns the map's steps grouped by stage: first the steps
// without a known stage (if any), then every stage in map order, with its
// steps (possibly none).
func stageGroups(m *journey.Map) []stageGroup {
	known := make(map[string]bool, len(m.Stages))
	for _, st := range m.Stages {
		known[st.ID] = true
	}
	var out []stageGroup
	var loose []journey.Step
	for _, s := range m.Steps {
		if !known[s.Stage] {
			loose = append(loose, s)
		}
	}
	if len(loose) > 0 {
		out = append(out, stageGroup{steps: loose})
	}
	seen := make(map[string]bool, len(m.Stages))
	for i := range m.Stages {
		st := &m.Stages[i]
		if seen[st.ID] {
			continue // a repeated id, which Validate reports
		}
		seen[st.ID] = true
		out = append(out, stageGroup{stage: st, steps: m.StepsIn(st.ID)})
	}
	return out
}

// emotionAt returns persona p's emotion at step s: its empathy entry's, or
// the step's designed one. It clamps the result onto the scale.
func emotionAt(s journey.Step, p *persona.Persona) persona.Emotion {
	e := s.Emotion
	if p != nil {
		if em, ok := p.At(s.ID); ok {
			e = em.Emotion
		}
	}
	return min(max(e, persona.MinEmotion), persona.MaxEmotion)
}

// catalog looks up the departments and touchpoints of a map's catalog by
// id in constant time. Where an id repeats, the first entry wins.
type catalog struct {
	c          *touchpoint.Catalog
	depts, tps map[string]int
}

func newCatalog(m *journey.Map) catalog {
	d, t := m.Catalog.Index()
	return catalog{c: &m.Catalog, depts: d, tps: t}
}

func (c catalog) touchpoint(id string) (touchpoint.Touchpoint, bool) {
	if i, ok := c.tps[id]; ok {
		return c.c.Touchpoints[i], true
	}
	return touchpoint.Touchpoint{}, false
}

// departmentName returns the name of department id, else its id.
func (c catalog) departmentName(id string) string {
	if i, ok := c.depts[id]; ok && cleanText(c.c.Departments[i].Name) != "" {
		return c.c.Departments[i].Name
	}
	return id
}

// touchpointName returns the name of touchpoint id, else its id.
func (c catalog) touchpointName(id string) string {
	if t, ok := c.touchpoint(id); ok && cleanText(t.Name) != "" {
		return t.Name
	}
	return id
}

// stepDepartments returns the names of the departments that own step s's
// touchpoints, each once, in catalog order; owners the catalog does not
// list come last, by id, in the step's order.
func (c catalog) stepDepartments(s journey.Step) []string {
	seen := make(map[string]bool)
	var owners []string
	for _, id := range s.Touchpoints {
		tp, ok := c.touchpoint(id)
		if !ok || tp.Owner == "" || seen[tp.Owner] {
			continue
		}
		seen[tp.Owner] = true
		owners = append(owners, tp.Owner)
	}
	rank := func(id string) int {
		if i, ok := c.depts[id]; ok {
			return i
		}
		return len(c.c.Departments)
	}
	slices.SortStableFunc(owners, func(a, b string) int { return rank(a) - rank(b) })
	out := make([]string, len(owners))
	for i, id := range owners {
		out[i] = c.departmentName(id)
	}
	return out
}

func stepName(s journey.Step) string {
	if cleanText(s.Name) != "" {
		return s.Name
	}
	return s.ID
}

func stageName(s journey.Stage) string {
	if cleanText(s.Name) != "" {
		return s.Name
	}
	return s.ID
}

func personaName(p *persona.Persona) string {
	if cleanText(p.Name) != "" {
		return p.Name
	}
	return p.ID
}

// percent formats probability p as a percentage rounded to one decimal:
// 0.45 is "45%", 1/3 is "33.3%"; below 0.1% it keeps two significant
// digits (0.0004 is "0.04%", 0.0000081 is "0.00081%").
func percent(p float64) string {
	v := p * 100
	if v != 0 && math.Abs(v) < 0.1 {
		// Two significant digits, without an exponent.
		mag := math.Floor(math.Log10(math.Abs(v)))
		f := math.Pow(10, 1-mag)
		return strconv.FormatFloat(math.Round(v*f)/f, 'f', -1, 64) + "%"
	}
	return strings.TrimSuffix(strconv.FormatFloat(v, 'f', 1, 64), ".0") + "%"
}
