package funnel

import (
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"
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
