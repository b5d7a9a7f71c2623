package funnel

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/parcours-go/parcours/journey"
)

func TestPresets(t *testing.T) {
	want := map[string][]string{
		"classic":     {"evangelization", "attraction", "consideration", "conversion", "loyalty"},
		"journey-map": {"awareness", "consideration", "acquisition", "service", "loyalty"},
		"b2b-sales":   {"contact", "qualification", "prospecting", "purchase", "after-sales"},
		"buyer":       {"trigger", "information-search", "evaluation", "decision", "purchase"},
	}
	ps := Presets()
	if len(ps) != len(want) {
		t.Fatalf("%d presets, want %d", len(ps), len(want))
	}
	for _, p := range ps {
		if diff := cmp.Diff(want[p.Name], p.StageIDs()); diff != "" {
			t.Errorf("%s stages (-want +got):\n%s", p.Name, diff)
		}
		for _, s := range p.Stages {
			if s.Name == "" || s.Description == "" {
				t.Errorf("%s: stage %q lacks a name or description", p.Name, s.ID)
			}
		}
		got, ok := PresetNamed(p.Name)
		if !ok || got.Name != p.Name {
			t.Errorf("PresetNamed(%q) = %v, %v", p.Name, got.Name, ok)
		}
	}
	for name, want := range map[string]string{"Classique": "classic", "Parcours acheteur": "buyer", "B2B": "b2b-sales", "journey map": "journey-map"} {
		if p, ok := PresetNamed(name); !ok || p.Name != want {
			t.Errorf("PresetNamed(%q) = %q, %v; want %q", name, p.Name, ok, want)
		}
	}
	if _, ok := PresetNamed("nope"); ok {
		t.Error("unknown preset found")
	}
}

func TestPresetMap(t *testing.T) {
	p := JourneyMap()
	m := p.Map("shoes")
	if m.Name != "shoes" || !slices.Equal(p.Stages, m.Stages) || len(m.Steps) != 0 {
		t.Fatalf("Map = %+v", m)
	}
	m.Stages[0].Name = "changed"
	if JourneyMap().Stages[0].Name == "changed" || p.Stages[0].Name == "changed" {
		t.Error("the map must not share its stages with the preset")
	}
}

func TestPresetFunnel(t *testing.T) {
	f, err := Buyer().Funnel(map[string][]string{
		"trigger": {"sees-ad"}, "information-search": {"search", "compare"}, "evaluation": {"reviews"},
		"decision": {"cart"}, "purchase": {"checkout"},
	})
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, s := range f.Stages {
		names = append(names, s.Name)
	}
	if diff := cmp.Diff(Buyer().StageIDs(), names); diff != "" {
		t.Errorf("stage names (-want +got):\n%s", diff)
	}
	if !f.Stages[1].Match(journey.Event{Step: "compare"}) || f.Stages[1].Match(journey.Event{Step: "cart"}) {
		t.Error("stage information-search must be reached by its steps only")
	}
	_, err = Buyer().Funnel(map[string][]string{"trigger": {"sees-ad"}, "checkout": {"pay"}})
	want := []string{
		`funnel: preset "buyer": stages[1] "information-search": bad stage: no step reaches it`,
		`funnel: preset "buyer": stages[2] "evaluation": bad stage: no step reaches it`,
		`funnel: preset "buyer": stages[3] "decision": bad stage: no step reaches it`,
		`funnel: preset "buyer": stages[4] "purchase": bad stage: no step reaches it`,
		`funnel: preset "buyer": steps: bad stage: "checkout" is not a stage`,
	}
	if err == nil {
		t.Fatal("no error for missing stages")
	}
	if diff := cmp.Diff(want, strings.Split(err.Error(), "\n")); diff != "" {
		t.Errorf("errors (-want +got):\n%s", diff)
	}
}

func TestFromMap(t *testing.T) {
	m := JourneyMap().Map("shoes")
	m.Steps = []journey.Step{
		{ID: "sees-ad", Stage: "awareness"}, {ID: "browse", Stage: "consideration"}, {ID: "compare", Stage: "consideration"},
		{ID: "checkout", Stage: "acquisition"}, {ID: "delivery", Stage: "service"}, {ID: "reorder", Stage: "loyalty"},
	}
	f, err := FromMap(&m)
	if err != nil {
		t.Fatal(err)
	}
	evs := []journey.Event{
		{Customer: "a", Time: time.Unix(1, 0), Step: "sees-ad"},
		{Customer: "a", Time: time.Unix(2, 0), Step: "compare"},
		{Customer: "a", Time: time.Unix(3, 0), Step: "checkout"},
	}
	if got := f.Level(evs); got != 3 {
		t.Errorf("Level = %d, want 3", got)
	}
	m.Steps = m.Steps[:3]
	if _, err := FromMap(&m); err == nil || !strings.Contains(err.Error(), `stages[2] "acquisition": bad stage: no step reaches it`) {
		t.Errorf("error %v, want the acquisition stage without steps", err)
	}
}
