package objectives

import (
	"fmt"
	"math"

	"github.com/parcours-go/parcours/internal/verr"
)

// Mix says how much a contact serves each objective, as non-negative weights.
// Weights are relative: {Conversion: 2, Knowledge: 1} and
// {Conversion: 0.66…, Knowledge: 0.33…} describe the same mix; Normalize
// makes them sum to 1.
//
// The zero Mix serves no objective. Mix is comparable and is used by value.
type Mix struct {
	Conversion    float64 `json:"conversion,omitempty"`
	Connection    float64 `json:"connection,omitempty"`
	Consideration float64 `json:"consideration,omitempty"`
	Knowledge     float64 `json:"knowledge,omitempty"`
}

// MixOf returns a mix that serves only o, with weight 1.
func MixOf(o Objective) Mix { return Mix{}.With(o, 1) }

// Get returns the weight of o; 0 for a value that is not an objective.
func (m Mix) Get(o Objective) float64 {
	switch o {
	case Conversion:
		return m.Conversion
	case Connection:
		return m.Connection
	case Consideration:
		return m.Consideration
	case Knowledge:
		return m.Knowledge
	}
	return 0
}

// With returns a copy of m with the weight of o set to w. It panics if o is
// not an objective.
func (m Mix) With(o Objective, w float64) Mix {
	switch o {
	case Conversion:
		m.Conversion = w
	case Connection:
		m.Connection = w
	case Consideration:
		m.Consideration = w
	case Knowledge:
		m.Knowledge = w
	default:
		panic(fmt.Sprintf("objectives: Mix.With(%v): not an objective", o))
	}
	return m
}

// Total returns the sum of the weights.
func (m Mix) Total() float64 {
	return m.Conversion + m.Connection + m.Consideration + m.Knowledge
}

// IsZero reports whether m serves no objective.
func (m Mix) IsZero() bool { return m == Mix{} }

// Normalize returns m scaled so that its weights sum to 1. The zero mix
// (and any mix whose total is not a positive finite number) is returned
// unchanged.
func (m Mix) Normalize() Mix {
	t := m.Total()
	if !(t > 0) || math.IsInf(t, 0) {
		return m
	}
	return Mix{m.Conversion / t, m.Connection / t, m.Consideration / t, m.Knowledge / t}
}

// Dominant returns the objective with the largest weight; on a tie, the
// first in the order of All. It returns false for the zero mix.
func (m Mix) Dominant() (Objective, bool) {
	best, bestW := Objective(0), 0.0
	for _, o := range All {
		if w := m.Get(o); w > bestW {
			best, bestW = o, w
		}
	}
	return best, best != 0
}

// Validate reports every weight that is negative, NaN or infinite.
func (m Mix) Validate() error {
	var l verr.List
	for _, o := range All {
		if w := m.Get(o); !(w >= 0) || math.IsInf(w, 1) {
			l.Addf(o.String(), "weight %v is not a finite non-negative number", w)
		}
	}
	return l.Err()
}
