package journey

import (
	"errors"
	"fmt"
	"maps"
	"math"
	"strconv"
	"time"

	"github.com/parcours-go/parcours/internal/fold"
	"github.com/parcours-go/parcours/internal/wire"
	"github.com/parcours-go/parcours/touchpoint"
)

// Event is one observed interaction of a customer with the company: a step
// taken at a time, through a channel and touchpoint, with an optional value
// (an order's amount) and free properties (campaign, device, persona …).
//
// Customer, Time and Step are required; Channel and Touchpoint may be
// empty when unknown.
type Event struct {
	Customer   string
	Time       time.Time
	Step       string
	Channel    touchpoint.Channel
	Touchpoint string
	Value      float64
	Props      map[string]string
}

// Sentinel errors for bad events, wrapped by the errors of NewLog, the
// LogBuilder and the readers.
var (
	ErrMissingCustomer = errors.New("missing customer")
	ErrMissingTime     = errors.New("missing time")
	ErrMissingStep     = errors.New("missing step")
	ErrBadTime         = errors.New("time out of range")
	ErrBadValue        = errors.New("value is not a finite number")
)

// The range of times a Log holds: those whose Unix time in nanoseconds fits
// in an int64 (years 1678 to 2262).
var (
	minTime = time.Unix(0, math.MinInt64)
	maxTime = time.Unix(0, math.MaxInt64)
)

// check reports the first problem of e.
func (e *Event) check() error {
	switch {
	case e.Customer == "":
		return ErrMissingCustomer
	case e.Time.IsZero():
		return ErrMissingTime
	case e.Step == "":
		return ErrMissingStep
	case e.Time.Before(minTime) || e.Time.After(maxTime):
		return fmt.Errorf("%w: %v (the log holds years 1678 to 2262)", ErrBadTime, e.Time)
	case math.IsNaN(e.Value) || math.IsInf(e.Value, 0):
		return fmt.Errorf("%w: %v", ErrBadValue, e.Value)
	}
	return nil
}

// clone returns e with its own copy of Props.
func (e Event) clone() Event {
	if e.Props != nil {
		e.Props = maps.Clone(e.Props)
	}
	return e
}

// By says which attribute of an event a path analysis looks at: its step
// (the zero value), its channel or its touchpoint.
//
// When a path is read by channel or by touchpoint, events whose channel
// (touchpoint) is empty are left out: they are not contacts on that
// dimension.
type By uint8

const (
	ByStep By = iota
	ByChannel
	ByTouchpoint
)

const numBy = 3

// ErrUnknownBy is wrapped by the errors of ParseBy.
var ErrUnknownBy = errors.New("unknown path attribute")

// ErrSharedCustomers is wrapped by the errors of the Merge methods of the
// mergeable aggregates (paths.Variants, graph.Counts, attribution.Table,
// funnel.Report …) when the two aggregates were counted on shards that
// share a customer, which each keeps a small sample of to tell. Every
// package's ErrSharedCustomers is this same value.
var ErrSharedCustomers = wire.ErrSharedCustomers

// String returns "step", "channel" or "touchpoint".
func (b By) String() string {
	switch b {
	case ByStep:
		return "step"
	case ByChannel:
		return "channel"
	case ByTouchpoint:
		return "touchpoint"
	}
	return "By(" + strconv.Itoa(int(b)) + ")"
}

// ParseBy accepts "step", "channel" and "touchpoint" (and the French
// "étape", "canal", "point de contact"), ignoring case and accents.
func ParseBy(s string) (By, error) {
	switch fold.Key(s) {
	case "step", "steps", "etape":
		return ByStep, nil
	case "channel", "channels", "canal":
		return ByChannel, nil
	case "touchpoint", "touchpoints", "pointdecontact":
		return ByTouchpoint, nil
	}
	return 0, fmt.Errorf("journey: %w %q (want step, channel or touchpoint)", ErrUnknownBy, s)
}

// MarshalText implements encoding.TextMarshaler.
func (b By) MarshalText() ([]byte, error) {
	if b >= numBy {
		return nil, fmt.Errorf("journey: cannot marshal %v", b)
	}
	return []byte(b.String()), nil
}

// UnmarshalText implements encoding.TextUnmarshaler, accepting what ParseBy accepts.
func (b *By) UnmarshalText(text []byte) error {
	v, err := ParseBy(string(text))
	if err != nil {
		return err
	}
	*b = v
	return nil
}

// valid panics if b is not a By: passing one is a programming error.
func (b By) valid() {
	if b >= numBy {
		panic(fmt.Sprintf("journey: %v is not a path attribute", b))
	}
}
