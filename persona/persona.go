package persona

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"strconv"

	"github.com/parcours-go/parcours/internal/fold"
	"github.com/parcours-go/parcours/internal/jsonstrict"
	"github.com/parcours-go/parcours/internal/verr"
	"github.com/parcours-go/parcours/touchpoint"
)

// Segment says whether a persona buys for a business or for themselves. The
// zero value is Unspecified.
type Segment uint8

const (
	Unspecified Segment = iota
	B2C                 // a consumer
	B2B                 // a business buyer
)

// ErrUnknownSegment is wrapped by the errors of ParseSegment.
var ErrUnknownSegment = errors.New("unknown segment")

// String returns "b2c", "b2b" or "" for Unspecified.
func (s Segment) String() string {
	switch s {
	case Unspecified:
		return ""
	case B2C:
		return "b2c"
	case B2B:
		return "b2b"
	}
	return "Segment(" + strconv.Itoa(int(s)) + ")"
}

// ParseSegment accepts "b2c", "b2b" (also written "BtoC", "BtoB"), and the
// empty string for Unspecified, ignoring case and punctuation.
func ParseSegment(s string) (Segment, error) {
	switch fold.Key(s) {
	case "":
		return Unspecified, nil
	case "b2c", "btoc", "consumer", "particulier":
		return B2C, nil
	case "b2b", "btob", "business", "entreprise", "professionnel":
		return B2B, nil
	}
	return 0, fmt.Errorf("persona: %w %q (want b2b or b2c)", ErrUnknownSegment, s)
}

// MarshalText implements encoding.TextMarshaler.
func (s Segment) MarshalText() ([]byte, error) {
	if s > B2B {
		return nil, fmt.Errorf("persona: cannot marshal %v", s)
	}
	return []byte(s.String()), nil
}

// UnmarshalText implements encoding.TextUnmarshaler, accepting what ParseSegment accepts.
func (s *Segment) UnmarshalText(b []byte) error {
	v, err := ParseSegment(string(b))
	if err != nil {
		return err
	}
	*s = v
	return nil
}

// Range is a closed interval of numbers, such as an age range in years or
// a budget range in a currency. The zero Range means unknown. A range with
// only a minimum or only a maximum is open on the other side: set the
// other bound to 0 ("65 and over" is {Min: 65}).
type Range struct {
	Min float64 `json:"min,omitempty"`
	Max float64 `json:"max,omitempty"`
}

// IsZero reports whether the range is unknown.
func (r Range) IsZero() bool { return r == Range{} }

// Contains reports whether v lies in the range. An unknown range contains
// every value; a zero Max means no upper bound.
func (r Range) Contains(v float64) bool {
	return v >= r.Min && (r.Max == 0 || v <= r.Max)
}

func (r Range) validate() error {
	var l verr.List
	if !(r.Min >= 0) || math.IsInf(r.Min, 0) {
		l.Addf("min", "%v is not a finite non-negative number", r.Min)
	}
	if !(r.Max >= 0) || math.IsInf(r.Max, 0) {
		l.Addf("max", "%v is not a finite non-negative number", r.Max)
	}
	if r.Max != 0 && r.Max < r.Min {
		l.Addf("", "max %v is below min %v", r.Max, r.Min)
	}
	return l.Err()
}

// Persona is a fictional target customer, with every attribute the seed
// documents list for a buyer persona, and its share of the customers.
type Persona struct {
	ID          string  `json:"id"`
	Name        string  `json:"name,omitempty"`
	Description string  `json:"description,omitempty"`
	Segment     Segment `json:"segment,omitempty"` // "b2b", "b2c" or omitted
	Market      string  `json:"market,omitempty"`  // "France", "international" …
	// Share is the persona's share of the customers, in [0, 1]. The
	// shares of a set of personas sum to at most 1; see Weights.
	Share float64 `json:"share,omitempty"`

	Age            Range  `json:"age,omitzero"` // years
	Gender         string `json:"gender,omitempty"`
	Occupation     string `json:"occupation,omitempty"`     // job or professional situation
	Responsibility string `json:"responsibility,omitempty"` // level of responsibility, e.g. "decision maker"
	Income         Range  `json:"income,omitzero"`          // yearly, in Currency
	Budget         Range  `json:"budget,omitzero"`          // available for the purchase, in Currency
	Currency       string `json:"currency,omitempty"`

	Needs       []string `json:"needs,omitempty"`
	Goals       []string `json:"goals,omitempty"`
	Behaviours  []string `json:"behaviours,omitempty"` // buying and consumption behaviours
	Motivations []string `json:"motivations,omitempty"`
	Brakes      []string `json:"brakes,omitempty"` // what holds the purchase back (freins)

	// Channels are the persona's channel preferences as odds multipliers:
	// 1 is neutral, 2 makes a contact through that channel twice as likely,
	// 0.5 half as likely, 0 never. A channel not listed is neutral.
	Channels map[touchpoint.Channel]float64 `json:"channels,omitempty"`

	// Empathy is the persona's empathy map, one entry per journey step.
	Empathy []Empathy `json:"empathy,omitempty"`
}

// ChannelWeight returns the persona's odds multiplier for channel c: its
// listed weight, or 1 if c is not listed.
func (p *Persona) ChannelWeight(c touchpoint.Channel) float64 {
	if w, ok := p.Channels[c]; ok {
		return w
	}
	return 1
}

// At returns the persona's empathy entry for step, if it has one.
func (p *Persona) At(step string) (Empathy, bool) {
	for _, e := range p.Empathy {
		if e.Step == step {
			return e, true
		}
	}
	return Empathy{}, false
}

// Validate reports an empty id, a share outside [0, 1], bad ranges, bad
// channel weights and bad empathy entries. It does not check that the
// empathy map's steps exist: a journey.Map does that.
func (p *Persona) Validate() error {
	var l verr.List
	if p.ID == "" {
		l.Addf("id", "empty")
	}
	if p.Segment > B2B {
		l.Addf("segment", "%v is not a segment", p.Segment)
	}
	if !(p.Share >= 0 && p.Share <= 1) {
		l.Addf("share", "%v is outside [0, 1]", p.Share)
	}
	l.Add("age", p.Age.validate())
	l.Add("income", p.Income.validate())
	l.Add("budget", p.Budget.validate())
	for _, c := range sortedChannels(p.Channels) {
		path := "channels[" + strconv.Quote(string(c)) + "]"
		l.Add(path, c.Validate())
		if w := p.Channels[c]; !(w >= 0) || math.IsInf(w, 1) {
			l.Addf(path, "weight %v is not a finite non-negative number", w)
		}
	}
	seen := make(map[string]bool)
	for i, e := range p.Empathy {
		path := verr.Item("empathy", i, e.Step)
		l.Add(path, e.Validate())
		if e.Step != "" && seen[e.Step] {
			l.Addf(path, "%w empathy entry for step %q", ErrDuplicate, e.Step)
		}
		seen[e.Step] = true
	}
	return l.Err()
}

// UnmarshalJSON decodes a persona strictly: every unknown field and every
// value of the wrong type is reported, each with its JSON path. It does not
// call Validate.
func (p *Persona) UnmarshalJSON(data []byte) error {
	type plain Persona
	var q plain
	if err := jsonstrict.Decode(data, &q); err != nil {
		return err
	}
	*p = Persona(q)
	return nil
}

func sortedChannels(m map[touchpoint.Channel]float64) []touchpoint.Channel {
	cs := make([]touchpoint.Channel, 0, len(m))
	for c := range m {
		cs = append(cs, c)
	}
	slices.Sort(cs)
	return cs
}

// ErrDuplicate is wrapped by errors about repeated ids and steps.
var ErrDuplicate = errors.New("duplicate")

// ErrUnknownPersona is wrapped by errors about rules naming no persona.
var ErrUnknownPersona = errors.New("unknown persona")

// ValidateAll validates each persona, and the set: ids must be unique and
// shares must sum to at most 1 (within 1e-9).
func ValidateAll(ps []Persona) error {
	var l verr.List
	seen := make(map[string]bool)
	total := 0.0
	for i := range ps {
		p := &ps[i]
		path := verr.Item("personas", i, p.ID)
		l.Add(path, p.Validate())
		if p.ID != "" && seen[p.ID] {
			l.Addf(path, "%w persona id %q", ErrDuplicate, p.ID)
		}
		seen[p.ID] = true
		total += p.Share
	}
	if total > 1+1e-9 {
		l.Addf("personas", "shares sum to %v, more than 1", total)
	}
	return l.Err()
}

// Weights returns the personas' shares normalised to sum to 1, for drawing a
// persona at random. If no persona has a share, all are equally likely. It
// returns nil for an empty list. Call ValidateAll first: negative or NaN
// shares give meaningless weights.
func Weights(ps []Persona) []float64 {
	if len(ps) == 0 {
		return nil
	}
	w := make([]float64, len(ps))
	total := 0.0
	for i, p := range ps {
		w[i] = p.Share
		total += p.Share
	}
	if !(total > 0) {
		for i := range w {
			w[i] = 1 / float64(len(w))
		}
		return w
	}
	for i := range w {
		w[i] /= total
	}
	return w
}
