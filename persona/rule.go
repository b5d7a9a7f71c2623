package persona

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/parcours-go/parcours/internal/fold"
	"github.com/parcours-go/parcours/internal/jsonstrict"
	"github.com/parcours-go/parcours/internal/verr"
)

// Op is how a Condition compares a customer property. The zero value is Is.
type Op uint8

const (
	Is        Op = iota // the property equals one of Values (ignoring case)
	IsNot               // the property is set and equals none of Values (ignoring case)
	Exists              // the property is set, to any value
	Missing             // the property is not set
	Contains            // the property contains one of Values (ignoring case)
	Prefix              // the property starts with one of Values (ignoring case)
	Less                // the property, as a number, is < Values[0]
	LessEq              // … ≤ Values[0]
	Greater             // … > Values[0]
	GreaterEq           // … ≥ Values[0]
)

var opNames = [...]string{"is", "is_not", "exists", "missing", "contains", "prefix", "lt", "le", "gt", "ge"}

// ErrUnknownOp is wrapped by the errors of ParseOp.
var ErrUnknownOp = errors.New("unknown operator")

// String returns the operator's JSON name: is, is_not, exists, missing,
// contains, prefix, lt, le, gt or ge.
func (o Op) String() string {
	if int(o) < len(opNames) {
		return opNames[o]
	}
	return "Op(" + strconv.Itoa(int(o)) + ")"
}

// ParseOp returns the operator named s, ignoring case and punctuation
// ("is_not", "isnot" and "IS NOT" are the same); "=", "!=", "<", "<=", ">"
// and ">=" are accepted too.
func ParseOp(s string) (Op, error) {
	switch strings.TrimSpace(s) {
	case "=", "==":
		return Is, nil
	case "!=":
		return IsNot, nil
	case "<":
		return Less, nil
	case "<=":
		return LessEq, nil
	case ">":
		return Greater, nil
	case ">=":
		return GreaterEq, nil
	}
	k := fold.Key(s)
	for i, n := range opNames {
		if fold.Key(n) == k {
			return Op(i), nil
		}
	}
	return 0, fmt.Errorf("persona: %w %q", ErrUnknownOp, s)
}

// MarshalText implements encoding.TextMarshaler.
func (o Op) MarshalText() ([]byte, error) {
	if int(o) >= len(opNames) {
		return nil, fmt.Errorf("persona: cannot marshal %v", o)
	}
	return []byte(o.String()), nil
}

// UnmarshalText implements encoding.TextUnmarshaler, accepting what ParseOp accepts.
func (o *Op) UnmarshalText(b []byte) error {
	v, err := ParseOp(string(b))
	if err != nil {
		return err
	}
	*o = v
	return nil
}

// Condition tests one customer property.
type Condition struct {
	Property string   `json:"property"`
	Op       Op       `json:"op,omitempty"` // "is" by default
	Values   []string `json:"values,omitempty"`
}

// Holds reports whether the condition holds for a customer with properties
// props. A numeric comparison does not hold when the property is missing or
// is not a number.
func (c Condition) Holds(props map[string]string) bool {
	v, ok := props[c.Property]
	switch c.Op {
	case Exists:
		return ok
	case Missing:
		return !ok
	}
	if !ok {
		return false
	}
	switch c.Op {
	case Is:
		return c.anyValue(func(w string) bool { return strings.EqualFold(v, w) })
	case IsNot:
		return !c.anyValue(func(w string) bool { return strings.EqualFold(v, w) })
	case Contains:
		lv := strings.ToLower(v)
		return c.anyValue(func(w string) bool { return strings.Contains(lv, strings.ToLower(w)) })
	case Prefix:
		lv := strings.ToLower(v)
		return c.anyValue(func(w string) bool { return strings.HasPrefix(lv, strings.ToLower(w)) })
	case Less, LessEq, Greater, GreaterEq:
		x, err1 := strconv.ParseFloat(strings.TrimSpace(v), 64)
		if err1 != nil || math.IsNaN(x) || len(c.Values) == 0 {
			return false
		}
		y, err2 := strconv.ParseFloat(strings.TrimSpace(c.Values[0]), 64)
		if err2 != nil {
			return false
		}
		switch c.Op {
		case Less:
			return x < y
		case LessEq:
			return x <= y
		case Greater:
			return x > y
		default:
			return x >= y
		}
	}
	return false
}

func (c Condition) anyValue(f func(string) bool) bool {
	for _, w := range c.Values {
		if f(w) {
			return true
		}
	}
	return false
}

// Validate reports an empty property, an unknown operator, and values that
// do not suit the operator (none for exists and missing, at least one for
// is, is_not, contains and prefix, exactly one number for lt, le, gt, ge).
func (c Condition) Validate() error {
	var l verr.List
	if c.Property == "" {
		l.Addf("property", "empty")
	}
	switch c.Op {
	case Exists, Missing:
		if len(c.Values) > 0 {
			l.Addf("values", "%v takes no values", c.Op)
		}
	case Is, IsNot, Contains, Prefix:
		if len(c.Values) == 0 {
			l.Addf("values", "%v needs at least one value", c.Op)
		}
	case Less, LessEq, Greater, GreaterEq:
		if len(c.Values) != 1 {
			l.Addf("values", "%v needs exactly one value", c.Op)
		} else if y, err := strconv.ParseFloat(strings.TrimSpace(c.Values[0]), 64); err != nil || math.IsNaN(y) {
			l.Addf("values[0]", "%q is not a number", c.Values[0])
		}
	default:
		l.Addf("op", "%v is not an operator", c.Op)
	}
	return l.Err()
}

// Rule assigns customers to a persona: a customer belongs to Persona when
// every condition in When holds. A rule with no condition matches every
// customer, which makes it a catch-all when it comes last.
type Rule struct {
	Persona string      `json:"persona"`
	When    []Condition `json:"when,omitempty"`
}

// Matches reports whether every condition of r holds for props.
func (r Rule) Matches(props map[string]string) bool {
	for _, c := range r.When {
		if !c.Holds(props) {
			return false
		}
	}
	return true
}

// Rules assign customers to personas: the first rule that matches wins.
type Rules []Rule

// Assign returns the persona of the first rule that matches props, or false
// if none does.
func (rs Rules) Assign(props map[string]string) (string, bool) {
	for _, r := range rs {
		if r.Matches(props) {
			return r.Persona, true
		}
	}
	return "", false
}

// Validate reports every bad condition and every rule whose persona is not
// among personas (wrapping ErrUnknownPersona).
func (rs Rules) Validate(personas []Persona) error {
	ids := make(map[string]bool, len(personas))
	for _, p := range personas {
		ids[p.ID] = true
	}
	var l verr.List
	for i, r := range rs {
		path := verr.Item("rules", i, r.Persona)
		if !ids[r.Persona] {
			l.Add(path+": persona", fmt.Errorf("%w %q", ErrUnknownPersona, r.Persona))
		}
		for j, c := range r.When {
			l.Add(path+": "+verr.Item("when", j, c.Property), c.Validate())
		}
	}
	return l.Err()
}

// UnmarshalJSON decodes rules strictly: every unknown field and every value
// of the wrong type is reported, each with its JSON path. It does not call
// Validate.
func (rs *Rules) UnmarshalJSON(data []byte) error {
	var p []Rule
	if err := jsonstrict.Decode(data, &p); err != nil {
		return err
	}
	*rs = p
	return nil
}
