package funnel

import (
	"slices"
	"strconv"

	"github.com/parcours-go/parcours/internal/fold"
	"github.com/parcours-go/parcours/internal/verr"
	"github.com/parcours-go/parcours/journey"
)

// Preset is a named, ordered list of funnel stages of the customer-journey literature.
// A preset seeds a journey.Map (Preset.Map) or names the stages of a Funnel.
type Preset struct {
	Name   string          // "classic", "journey-map", "b2b-sales", "buyer"
	Stages []journey.Stage // in funnel order
}

// Classic returns the conversion funnel every business shares (the classic marketing funnel):
// evangelization (awareness), attraction, consideration, conversion, loyalty.
func Classic() Preset {
	return Preset{Name: "classic", Stages: []journey.Stage{
		{ID: "evangelization", Name: "Evangelization", Description: "the customer hears of the brand (évangélisation, awareness)"},
		{ID: "attraction", Name: "Attraction", Description: "the customer is drawn to the store, the site or the sales team"},
		{ID: "consideration", Name: "Consideration", Description: "the customer is convinced of the offer's interest (considération)"},
		{ID: "conversion", Name: "Conversion", Description: "the customer buys"},
		{ID: "loyalty", Name: "Loyalty", Description: "the customer becomes a regular (fidélisation)"},
	}}
}

// JourneyMap returns the stages of a retail customer journey map:
// awareness, consideration, acquisition, service, loyalty.
func JourneyMap() Preset {
	return Preset{Name: "journey-map", Stages: []journey.Stage{
		{ID: "awareness", Name: "Awareness", Description: "sensibilisation"},
		{ID: "consideration", Name: "Consideration", Description: "considération"},
		{ID: "acquisition", Name: "Acquisition", Description: "the purchase"},
		{ID: "service", Name: "Service", Description: "delivery, use and after-sales service"},
		{ID: "loyalty", Name: "Loyalty", Description: "loyauté: the customer comes back"},
	}}
}

// B2BSales returns the business-to-business sales stages: contact,
// qualification, prospecting, purchase, after-sales.
func B2BSales() Preset {
	return Preset{Name: "b2b-sales", Stages: []journey.Stage{
		{ID: "contact", Name: "Contact", Description: "the prospect gets in touch (prise de contact): visits the site, calls"},
		{ID: "qualification", Name: "Qualification", Description: "the company assesses the prospect: sector, budget, needs"},
		{ID: "prospecting", Name: "Prospecting", Description: "the company presents its offer and tries to win the order (prospection)"},
		{ID: "purchase", Name: "Purchase", Description: "the prospect orders and becomes a customer (achat)"},
		{ID: "after-sales", Name: "After-sales", Description: "service and loyalty offers (service après-vente)"},
	}}
}

// Buyer returns the B2B buyer's journey: trigger, information search,
// evaluation, decision, purchase.
func Buyer() Preset {
	return Preset{Name: "buyer", Stages: []journey.Stage{
		{ID: "trigger", Name: "Trigger", Description: "a need or a wish arises (déclenchement)"},
		{ID: "information-search", Name: "Information search", Description: "the customer looks for offers that meet the need"},
		{ID: "evaluation", Name: "Evaluation", Description: "the customer compares the options: price, quality, features"},
		{ID: "decision", Name: "Decision", Description: "the customer chooses one offer"},
		{ID: "purchase", Name: "Purchase", Description: "the customer orders or pays"},
	}}
}

// Presets returns every preset, in the order above.
func Presets() []Preset {
	return []Preset{Classic(), JourneyMap(), B2BSales(), Buyer()}
}

var presetAliases = map[string]func() Preset{
	"classic": Classic, "classique": Classic, "entonnoir": Classic, "conversionfunnel": Classic,
	"journeymap": JourneyMap, "cartedeparcours": JourneyMap,
	"b2bsales": B2BSales, "b2b": B2BSales, "vente": B2BSales,
	"buyer": Buyer, "buyerjourney": Buyer, "parcoursacheteur": Buyer, "acheteur": Buyer,
}

// PresetNamed returns the preset with the given name, ignoring case, accents
// and punctuation; a few French names are accepted too ("classique",
// "parcours acheteur").
func PresetNamed(name string) (Preset, bool) {
	if f, ok := presetAliases[fold.Key(name)]; ok {
		return f(), true
	}
	return Preset{}, false
}

// StageIDs returns the ids of the preset's stages, in order.
func (p Preset) StageIDs() []string {
	ids := make([]string, len(p.Stages))
	for i, s := range p.Stages {
		ids[i] = s.ID
	}
	return ids
}

// Map returns a journey map named name whose stages are the preset's, with
// no steps yet: add the company's steps, touchpoints and transitions, then
// Validate.
func (p Preset) Map(name string) journey.Map {
	return journey.Map{Name: name, Stages: slices.Clone(p.Stages)}
}

// Funnel returns a funnel whose stages are the preset's, in order, each
// named by its id and reached by the steps stepsByStage lists for that id
// (see [Step]). Window, Order and the other fields are left at their zero
// values for the caller to set. It returns an error, listing every
// problem, if a stage has no step or stepsByStage names a stage the preset
// does not have.
func (p Preset) Funnel(stepsByStage map[string][]string) (Funnel, error) {
	return stagesFunnel(p.Stages, stepsByStage, "preset "+strconv.Quote(p.Name))
}

// FromMap returns the funnel of a journey map: one stage per stage of m,
// in order, reached by the map's steps in that stage (Map.StepsIn). It
// returns an error if a stage has no step.
func FromMap(m *journey.Map) (Funnel, error) {
	steps := map[string][]string{}
	for _, st := range m.Stages {
		for _, s := range m.StepsIn(st.ID) {
			steps[st.ID] = append(steps[st.ID], s.ID)
		}
	}
	return stagesFunnel(m.Stages, steps, "map "+strconv.Quote(m.Name))
}

func stagesFunnel(stages []journey.Stage, steps map[string][]string, what string) (Funnel, error) {
	var l verr.List
	var f Funnel
	known := map[string]bool{}
	for i, st := range stages {
		known[st.ID] = true
		if len(steps[st.ID]) == 0 {
			l.Addf(verr.Item("stages", i, st.ID), "%w: no step reaches it", ErrBadStage)
			continue
		}
		f.Stages = append(f.Stages, Step(steps[st.ID]...).Named(st.ID))
	}
	var unknown []string
	for id := range steps {
		if !known[id] {
			unknown = append(unknown, id)
		}
	}
	slices.Sort(unknown)
	for _, id := range unknown {
		l.Addf("steps", "%w: %q is not a stage", ErrBadStage, id)
	}
	if err := l.Err(); err != nil {
		return Funnel{}, verr.Prefix("funnel: "+what, err)
	}
	return f, nil
}
