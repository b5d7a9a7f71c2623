package funnel

import (
	"errors"
	"fmt"
	"strconv"

	"github.com/parcours-go/parcours/internal/fold"
)

// ErrUnknownName is wrapped by the errors of the Parse functions.
var ErrUnknownName = errors.New("unknown name")

// enum holds the names of a small integer type: names[i] is the canonical
// (JSON) name of value i, aliases maps folded names (fold.Key) to values.
type enum struct {
	kind    string
	names   []string
	aliases map[string]int
}

func (e *enum) name(v int) string {
	if v >= 0 && v < len(e.names) {
		return e.names[v]
	}
	return e.kind + "(" + strconv.Itoa(v) + ")"
}

func (e *enum) parse(s string) (int, error) {
	k := fold.Key(s)
	for i, n := range e.names {
		if fold.Key(n) == k {
			return i, nil
		}
	}
	if v, ok := e.aliases[k]; ok {
		return v, nil
	}
	return 0, fmt.Errorf("funnel: %w %q for %s (want one of %q)", ErrUnknownName, s, e.kind, e.names)
}

func (e *enum) marshal(v int) ([]byte, error) {
	if v < 0 || v >= len(e.names) {
		return nil, fmt.Errorf("funnel: cannot marshal %s", e.name(v))
	}
	return []byte(e.names[v]), nil
}

// Order says how a funnel's stages must follow each other. The zero value
// is Ordered.
type Order uint8

const (
	// Ordered: each stage at or after the previous one, other events
	// allowed in between (ClickHouse windowFunnel, PostHog sequential).
	Ordered Order = iota
	// Strict: as Ordered, but after the first event of stage 1 the scan
	// stops for good at the first event that matches no stage, or at a
	// stage whose previous stage was never reached (ClickHouse strict_order).
	Strict
	// Unordered: the level is the largest number of distinct stages done
	// within one window, in any order (PostHog's any-order funnels).
	Unordered
	// Consecutive: each stage's event directly follows the previous one's,
	// with no other event of the customer in between; an attempt broken by
	// another event does not stop later attempts (PostHog's strict funnels,
	// GA4's "directly followed by").
	Consecutive
)

var orderEnum = &enum{kind: "Order", names: []string{"ordered", "strict", "unordered", "consecutive"},
	aliases: map[string]int{"sequential": 0, "ordonne": 0, "strictorder": 1, "anyorder": 2, "desordonne": 2, "quelconque": 2, "consecutif": 3, "directlyfollowed": 3}}

// String returns "ordered", "strict", "unordered" or "consecutive".
func (o Order) String() string { return orderEnum.name(int(o)) }

// ParseOrder accepts the names String returns (and "sequential",
// "strict_order", "any order", and the French "ordonné", "désordonné",
// "consécutif"), ignoring case and accents.
func ParseOrder(s string) (Order, error) {
	v, err := orderEnum.parse(s)
	return Order(v), err
}

// MarshalText implements encoding.TextMarshaler.
func (o Order) MarshalText() ([]byte, error) { return orderEnum.marshal(int(o)) }

// UnmarshalText implements encoding.TextUnmarshaler, accepting what ParseOrder accepts.
func (o *Order) UnmarshalText(b []byte) error {
	v, err := ParseOrder(string(b))
	if err == nil {
		*o = v
	}
	return err
}

// Count says what a report counts: customers (the zero value, PostHog's
// and Mixpanel's "uniques") or attempts ("totals").
type Count uint8

const (
	// Customers counts each customer once, at the level of their best chain.
	Customers Count = iota
	// Attempts counts each attempt: a customer re-enters the funnel after
	// completing it, after the window of every chain in progress has run
	// out, or after a Strict stop (see "Attempts" in the package
	// documentation).
	Attempts
)

var countEnum = &enum{kind: "Count", names: []string{"customers", "attempts"},
	aliases: map[string]int{"uniques": 0, "unique": 0, "clients": 0, "totals": 1, "total": 1, "tentatives": 1}}

// String returns "customers" or "attempts".
func (c Count) String() string { return countEnum.name(int(c)) }

// ParseCount accepts "customers" ("uniques", "clients") and "attempts"
// ("totals", "tentatives"), ignoring case and accents.
func ParseCount(s string) (Count, error) {
	v, err := countEnum.parse(s)
	return Count(v), err
}

// MarshalText implements encoding.TextMarshaler.
func (c Count) MarshalText() ([]byte, error) { return countEnum.marshal(int(c)) }

// UnmarshalText implements encoding.TextUnmarshaler.
func (c *Count) UnmarshalText(b []byte) error {
	v, err := ParseCount(string(b))
	if err == nil {
		*c = v
	}
	return err
}

// Attribution says which event gives a unit its breakdown value. The zero
// value is FirstTouch.
type Attribution uint8

const (
	// FirstTouch: the earliest of the customer's events that has a value,
	// up to the last event of the unit's chain.
	FirstTouch Attribution = iota
	// LastTouch: the latest event that has a value, up to the last event
	// of the unit's chain.
	LastTouch
	// AtStage: the event of the chain at Breakdown.Stage; units whose
	// chain does not reach that stage get the empty value.
	AtStage
)

var attributionEnum = &enum{kind: "Attribution", names: []string{"first_touch", "last_touch", "at_stage"},
	aliases: map[string]int{"first": 0, "premiercontact": 0, "last": 1, "derniercontact": 1, "step": 2, "stage": 2, "aletape": 2}}

// String returns "first_touch", "last_touch" or "at_stage".
func (a Attribution) String() string { return attributionEnum.name(int(a)) }

// ParseAttribution accepts the names String returns (and "first", "last",
// "stage"), ignoring case, accents and punctuation.
func ParseAttribution(s string) (Attribution, error) {
	v, err := attributionEnum.parse(s)
	return Attribution(v), err
}

// MarshalText implements encoding.TextMarshaler.
func (a Attribution) MarshalText() ([]byte, error) { return attributionEnum.marshal(int(a)) }

// UnmarshalText implements encoding.TextUnmarshaler.
func (a *Attribution) UnmarshalText(b []byte) error {
	v, err := ParseAttribution(string(b))
	if err == nil {
		*a = v
	}
	return err
}

// Dimension says what a breakdown splits units by. The zero value is ByProp.
type Dimension uint8

const (
	ByProp       Dimension = iota // an event property (Breakdown.Prop)
	ByChannel                     // the event's channel
	ByTouchpoint                  // the event's touchpoint
	ByStep                        // the event's step
	ByPersona                     // the persona that Breakdown.Personas assigns from the properties
)

var dimensionEnum = &enum{kind: "Dimension", names: []string{"prop", "channel", "touchpoint", "step", "persona"},
	aliases: map[string]int{"property": 0, "propriete": 0, "canal": 1, "pointdecontact": 2, "etape": 3}}

// String returns "prop", "channel", "touchpoint", "step" or "persona".
func (d Dimension) String() string { return dimensionEnum.name(int(d)) }

// ParseDimension accepts the names String returns (and "property",
// "canal", "étape" …), ignoring case and accents.
func ParseDimension(s string) (Dimension, error) {
	v, err := dimensionEnum.parse(s)
	return Dimension(v), err
}

// MarshalText implements encoding.TextMarshaler.
func (d Dimension) MarshalText() ([]byte, error) { return dimensionEnum.marshal(int(d)) }

// UnmarshalText implements encoding.TextUnmarshaler.
func (d *Dimension) UnmarshalText(b []byte) error {
	v, err := ParseDimension(string(b))
	if err == nil {
		*d = v
	}
	return err
}

// Period is the length of a trend's calendar buckets. The zero value,
// NoTrend, asks for no trend.
type Period uint8

const (
	NoTrend Period = iota
	Day
	Week // weeks start on Monday (ISO 8601)
	Month
)

var periodEnum = &enum{kind: "Period", names: []string{"none", "day", "week", "month"},
	aliases: map[string]int{"daily": 1, "jour": 1, "weekly": 2, "semaine": 2, "monthly": 3, "mois": 3}}

// String returns "none", "day", "week" or "month".
func (p Period) String() string { return periodEnum.name(int(p)) }

// ParsePeriod accepts the names String returns (and "daily", "jour",
// "semaine", "mois" …), ignoring case and accents.
func ParsePeriod(s string) (Period, error) {
	v, err := periodEnum.parse(s)
	return Period(v), err
}

// MarshalText implements encoding.TextMarshaler.
func (p Period) MarshalText() ([]byte, error) { return periodEnum.marshal(int(p)) }

// UnmarshalText implements encoding.TextUnmarshaler.
func (p *Period) UnmarshalText(b []byte) error {
	v, err := ParsePeriod(string(b))
	if err == nil {
		*p = v
	}
	return err
}
