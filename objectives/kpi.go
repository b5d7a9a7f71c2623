package objectives

import (
	"errors"
	"fmt"
	"math"
	"strconv"

	"github.com/parcours-go/parcours/internal/fold"
	"github.com/parcours-go/parcours/internal/verr"
)

// Better says which way a KPI improves. The zero value is HigherIsBetter.
type Better uint8

const (
	HigherIsBetter Better = iota // revenue, sign-ups, open rate
	LowerIsBetter                // waiting time, return rate, cost per lead
)

// ErrUnknownBetter is wrapped by the errors of Better.UnmarshalText.
var ErrUnknownBetter = errors.New("unknown KPI direction")

// String returns "higher" or "lower".
func (b Better) String() string {
	switch b {
	case HigherIsBetter:
		return "higher"
	case LowerIsBetter:
		return "lower"
	}
	return "Better(" + strconv.Itoa(int(b)) + ")"
}

// MarshalText implements encoding.TextMarshaler.
func (b Better) MarshalText() ([]byte, error) {
	if b > LowerIsBetter {
		return nil, fmt.Errorf("objectives: cannot marshal %v", b)
	}
	return []byte(b.String()), nil
}

// UnmarshalText implements encoding.TextUnmarshaler. It accepts "higher" and
// "lower" (and the French "haut", "bas"), ignoring case.
func (b *Better) UnmarshalText(text []byte) error {
	switch fold.Key(string(text)) {
	case "higher", "high", "haut", "plushaut":
		*b = HigherIsBetter
	case "lower", "low", "bas", "plusbas":
		*b = LowerIsBetter
	default:
		return fmt.Errorf("objectives: %w %q (want higher or lower)", ErrUnknownBetter, text)
	}
	return nil
}

// KPI is a key performance indicator: a measure of how well a contact
// achieves one objective, with a target.
//
// Attainment compares a measured value with Target as a ratio, which suits
// the non-negative quantities KPIs usually are: rates, counts, durations,
// amounts of money.
type KPI struct {
	Name      string    `json:"name"`
	Objective Objective `json:"objective"`
	Unit      string    `json:"unit,omitempty"`   // "%", "EUR", "s" … free text
	Target    float64   `json:"target"`           // the value to reach
	Better    Better    `json:"better,omitempty"` // "higher" (default) or "lower"
}

// Validate reports an empty name, an invalid objective and a target that is
// negative, NaN or infinite.
func (k KPI) Validate() error {
	var l verr.List
	if k.Name == "" {
		l.Addf("name", "empty")
	}
	if !k.Objective.IsValid() {
		l.Addf("objective", "%v is not an objective", k.Objective)
	}
	if !(k.Target >= 0) || math.IsInf(k.Target, 1) {
		l.Addf("target", "%v is not a finite non-negative number", k.Target)
	}
	if k.Better > LowerIsBetter {
		l.Addf("better", "%v is not a direction", k.Better)
	}
	return l.Err()
}

// Met reports whether measured reaches the target: measured ≥ Target when
// higher is better, measured ≤ Target when lower is better.
func (k KPI) Met(measured float64) bool {
	if k.Better == LowerIsBetter {
		return measured <= k.Target
	}
	return measured >= k.Target
}

// Attainment returns how much of the target measured reaches, in [0, 1]:
//
//   - higher is better: measured / Target;
//   - lower is better: Target / measured.
//
// A met target gives 1: overachievement is capped so that, in a rollup, one
// KPI far above target cannot hide another below it. A measured value that
// is NaN gives 0. Attainment is 0 for a negative measured value when higher
// is better.
func (k KPI) Attainment(measured float64) float64 {
	if math.IsNaN(measured) {
		return 0
	}
	if k.Met(measured) {
		return 1
	}
	var r float64
	if k.Better == LowerIsBetter {
		r = k.Target / measured // measured > Target ≥ 0 here
	} else {
		r = measured / k.Target // measured < Target here, so Target > 0
	}
	if !(r > 0) {
		return 0
	}
	return min(r, 1)
}
