package touchpoint

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/parcours-go/parcours/objectives"
)

func TestParseChannel(t *testing.T) {
	tests := []struct {
		in     string
		want   Channel
		reason string
	}{
		{"web", Web, "canonical name"},
		{"Website", Web, "English alias"},
		{"Site web", Web, "French alias"},
		{"e-mail", Email, "punctuation is ignored"},
		{"Courriel", Email, "French name"},
		{"Hotline", Phone, "seed 003's hotline is the phone channel"},
		{"Centre d'appel", Phone, "seed 002's call center"},
		{"call center", CallCenter, "CallCenter is Phone"},
		{"Réseaux sociaux", Social, "French with accent"},
		{"Magasin", Store, "French store"},
		{"Point de vente", Store, "French point of sale"},
		{"Bulletin d'information", Newsletter, "seed 003's newsletter"},
		{"Emballage", Packaging, "seed 003's packaging"},
		{"Publicité", Ads, "French ads"},
		{"SMS", SMS, "upper case"},
		{"  Podcast ", "podcast", "a custom channel is trimmed and lower-cased"},
		{"Télé", "télé", "a custom channel keeps its accents"},
	}
	for _, tt := range tests {
		got, err := ParseChannel(tt.in)
		if err != nil || got != tt.want {
			t.Errorf("ParseChannel(%q) = %q, %v; want %q (%s)", tt.in, got, err, tt.want, tt.reason)
		}
	}
	for _, bad := range []string{"", "   ", "a\x00b", "\xff"} {
		if _, err := ParseChannel(bad); !errors.Is(err, ErrBadChannel) {
			t.Errorf("ParseChannel(%q) error = %v, want ErrBadChannel", bad, err)
		}
	}
	if !Email.IsKnown() || Channel("podcast").IsKnown() {
		t.Error("IsKnown")
	}
	for _, c := range Known {
		if got := MustParseChannel(string(c)); got != c {
			t.Errorf("a known channel must parse to itself: %q gave %q", c, got)
		}
	}
}

func TestEnumsText(t *testing.T) {
	for _, d := range []Direction{Unspecified, Inbound, Outbound} {
		b, err := d.MarshalText()
		if err != nil {
			t.Fatal(err)
		}
		var back Direction
		if err := back.UnmarshalText(b); err != nil || back != d {
			t.Errorf("direction %v round trip: %v, %v", d, back, err)
		}
	}
	for _, f := range []Focus{StageFocus, ChannelFocus, SupportFocus} {
		b, err := f.MarshalText()
		if err != nil {
			t.Fatal(err)
		}
		var back Focus
		if err := back.UnmarshalText(b); err != nil || back != f {
			t.Errorf("focus %v round trip: %v, %v", f, back, err)
		}
	}
	if d, err := ParseDirection("Entrant"); err != nil || d != Inbound {
		t.Errorf("French inbound: %v %v", d, err)
	}
	if f, err := ParseFocus("Étape"); err != nil || f != StageFocus {
		t.Errorf("French stage: %v %v", f, err)
	}
	if _, err := ParseDirection("sideways"); !errors.Is(err, ErrUnknownDirection) {
		t.Error(err)
	}
	if _, err := ParseFocus("everything"); !errors.Is(err, ErrUnknownFocus) {
		t.Error(err)
	}
	if _, err := Direction(5).MarshalText(); err == nil {
		t.Error("a bad direction must not marshal")
	}
	if _, err := Focus(5).MarshalText(); err == nil {
		t.Error("a bad focus must not marshal")
	}
}

func sample() Catalog {
	return Catalog{
		Departments: []Department{
			{ID: "marketing", Name: "Marketing", Focus: StageFocus, Stages: []string{"awareness"}},
			{ID: "crm", Name: "CRM / emailing", Focus: ChannelFocus, Channels: []Channel{Email, SMS, Newsletter}},
			{ID: "legal", Name: "Legal", Focus: SupportFocus},
		},
		Touchpoints: []Touchpoint{
			{ID: "ad", Name: "Display ad", Channel: Ads, Direction: Outbound, Owner: "marketing",
				Objectives: objectives.Mix{Consideration: 2, Knowledge: 1},
				KPIs:       []objectives.KPI{{Name: "CTR", Objective: objectives.Consideration, Unit: "%", Target: 2}}},
			{ID: "newsletter", Channel: Newsletter, Direction: Outbound, Owner: "crm", Objectives: objectives.MixOf(objectives.Connection)},
			{ID: "terms", Name: "Terms of use", Channel: Web, Owner: "legal"},
			{ID: "mailbox", Channel: Mail},
		},
	}
}

func TestCatalogLookups(t *testing.T) {
	c := sample()
	if err := c.Validate(); err != nil {
		t.Fatal(err)
	}
	if d, ok := c.Department("crm"); !ok || d.Focus != ChannelFocus {
		t.Errorf("Department(crm) = %+v, %v", d, ok)
	}
	if _, ok := c.Department("ops"); ok {
		t.Error("unknown department found")
	}
	if tp, ok := c.Touchpoint("ad"); !ok || tp.Owner != "marketing" {
		t.Errorf("Touchpoint(ad) = %+v, %v", tp, ok)
	}
	if _, ok := c.Touchpoint("nope"); ok {
		t.Error("unknown touchpoint found")
	}
	if got := c.OwnedBy("crm"); len(got) != 1 || got[0].ID != "newsletter" {
		t.Errorf("OwnedBy(crm) = %v", got)
	}
	if got := c.OwnedBy(""); len(got) != 1 || got[0].ID != "mailbox" {
		t.Errorf("OwnedBy(\"\") lists the unowned touchpoints, got %v", got)
	}
	if got := c.OnChannel(Web); len(got) != 1 || got[0].ID != "terms" {
		t.Errorf("OnChannel(web) = %v", got)
	}
	deps, tps := c.Index()
	if deps["legal"] != 2 || tps["mailbox"] != 3 || len(tps) != 4 {
		t.Errorf("Index = %v %v", deps, tps)
	}
	var zero Catalog
	if zero.Validate() != nil {
		t.Error("the zero catalog is valid")
	}
}

func TestCatalogValidateReportsEverything(t *testing.T) {
	c := sample()
	c.Departments = append(c.Departments,
		Department{ID: "crm", Focus: ChannelFocus, Channels: []Channel{Email, Email}},
		Department{Focus: StageFocus},
		Department{ID: "social", Focus: ChannelFocus},
	)
	c.Touchpoints = append(c.Touchpoints,
		Touchpoint{ID: "cart", Channel: Web, Owner: "ops"},
		Touchpoint{ID: "ad", Channel: "", Objectives: objectives.Mix{Conversion: -1}},
		Touchpoint{ID: "survey", Channel: Email, KPIs: []objectives.KPI{{Name: "rate", Target: 1}}},
	)
	err := c.Validate()
	if err == nil {
		t.Fatal("no error")
	}
	want := []string{
		`departments[3] "crm": channels[1]: duplicate channel "email"`,
		`departments[3] "crm": duplicate department id "crm"`,
		`departments[4]: id: empty`,
		`departments[4]: stages: a stage-focused department needs at least one stage`,
		`departments[5] "social": channels: a channel-focused department needs at least one channel`,
		`touchpoints[4] "cart": owner: unknown department "ops"`,
		`touchpoints[5] "ad": channel: touchpoint: bad channel: empty`,
		`touchpoints[5] "ad": objectives: conversion: weight -1 is not a finite non-negative number`,
		`touchpoints[5] "ad": duplicate touchpoint id "ad"`,
		`touchpoints[6] "survey": kpis[0] "rate": objective: Objective(0) is not an objective`,
	}
	got := strings.Split(err.Error(), "\n")
	if diff := cmp.Diff(want, got, cmpopts.SortSlices(func(a, b string) bool { return a < b })); diff != "" {
		t.Errorf("errors (-want +got):\n%s", diff)
	}
	if !errors.Is(err, ErrUnknownDepartment) || !errors.Is(err, ErrDuplicate) {
		t.Error("sentinels must be reachable with errors.Is")
	}
}

func TestCatalogJSON(t *testing.T) {
	c := sample()
	b, err := json.MarshalIndent(c, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	var back Catalog
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(c, back); diff != "" {
		t.Errorf("round trip (-want +got):\n%s", diff)
	}
	for _, field := range []string{`"departments"`, `"touchpoints"`, `"focus": "channel"`, `"direction": "outbound"`, `"owner": "crm"`, `"consideration": 2`} {
		if !strings.Contains(string(b), field) {
			t.Errorf("JSON lacks %s:\n%s", field, b)
		}
	}
}

func TestCatalogJSONStrict(t *testing.T) {
	doc := `{"departments":[{"id":"a","focus":"sideways"}],"touchpoints":[{"id":"x","channel":"web","ownr":"a","direction":"up"}],"extra":1}`
	var c Catalog
	err := json.Unmarshal([]byte(doc), &c)
	if err == nil {
		t.Fatal("no error")
	}
	for _, want := range []string{
		`(root): unknown field "extra"`,
		`departments[0].focus: touchpoint: unknown department focus "sideways"`,
		`touchpoints[0]: unknown field "ownr"`,
		`touchpoints[0].direction: touchpoint: unknown direction "up"`,
	} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("missing %q in\n%v", want, err)
		}
	}
}

func FuzzCatalogJSON(f *testing.F) {
	b, _ := json.Marshal(sample())
	f.Add(b)
	f.Add([]byte(`{"departments":[{"id":"a","focus":"canal","channels":["Courriel"]}],"touchpoints":[{"id":"t","channel":"hotline","owner":"a"}]}`))
	f.Add([]byte(`{"touchpoints":[{"id":"t","channel":""}]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		var c Catalog
		if err := json.Unmarshal(data, &c); err != nil {
			return
		}
		if c.Validate() != nil {
			return
		}
		out, err := json.Marshal(c)
		if err != nil {
			t.Fatalf("a valid catalog does not marshal: %v", err)
		}
		var back Catalog
		if err := json.Unmarshal(out, &back); err != nil {
			t.Fatalf("re-decoding %s: %v", out, err)
		}
		if diff := cmp.Diff(c, back, cmpopts.EquateEmpty()); diff != "" {
			t.Fatalf("round trip (-want +got):\n%s", diff)
		}
	})
}
