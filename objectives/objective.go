package objectives

import (
	"errors"
	"fmt"
	"strconv"

	"github.com/parcours-go/parcours/internal/fold"
)

// Objective is one of the four Cs: what a contact with the customer is for.
//
// The zero value is not an objective; IsValid reports false for it. Objectives
// order as the 4C model lists them: Conversion, Connection, Consideration, Knowledge.
type Objective uint8

// The four objectives.
const (
	// Conversion: a sale, a quote request, a booking, an app download.
	Conversion Objective = iota + 1
	// Connection: a new way to reach this customer: an email address, a phone
	// number, a follow on a social network (French: connexion).
	Connection
	// Consideration: the brand is considered as a possible choice when the
	// need arises; includes awareness (French: considération, notoriété).
	Consideration
	// Knowledge: data about the customer: segments, cookies, the last product
	// seen (French: connaissance).
	Knowledge
)

// All lists the four objectives in order.
var All = [4]Objective{Conversion, Connection, Consideration, Knowledge}

// ErrUnknownObjective is wrapped by the errors of Parse and UnmarshalText.
var ErrUnknownObjective = errors.New("unknown objective")

var names = [...]string{"", "conversion", "connection", "consideration", "knowledge"}

// String returns the English name in lower case ("connection"), or
// "Objective(n)" for a value that is not an objective.
func (o Objective) String() string {
	if o.IsValid() {
		return names[o]
	}
	return "Objective(" + strconv.Itoa(int(o)) + ")"
}

// IsValid reports whether o is one of the four objectives.
func (o Objective) IsValid() bool { return o >= Conversion && o <= Knowledge }

// aliases maps folded names, English and French, to objectives.
var aliases = map[string]Objective{
	"conversion":    Conversion,
	"connection":    Connection,
	"connexion":     Connection,
	"consideration": Consideration,
	"awareness":     Consideration,
	"notoriete":     Consideration,
	"knowledge":     Knowledge,
	"connaissance":  Knowledge,
}

// Parse returns the objective named s. It accepts the English names and the
// French ones (conversion, connexion, considération, connaissance),
// plus "awareness" and "notoriété" for Consideration, ignoring case, accents
// and punctuation.
func Parse(s string) (Objective, error) {
	if o, ok := aliases[fold.Key(s)]; ok {
		return o, nil
	}
	return 0, fmt.Errorf("objectives: %w %q", ErrUnknownObjective, s)
}

// MustParse is like Parse but panics if s names no objective. It is meant
// for tests and literals.
func MustParse(s string) Objective {
	o, err := Parse(s)
	if err != nil {
		panic(err)
	}
	return o
}

// MarshalText implements encoding.TextMarshaler. It fails for a value that
// is not an objective.
func (o Objective) MarshalText() ([]byte, error) {
	if !o.IsValid() {
		return nil, fmt.Errorf("objectives: cannot marshal %v", o)
	}
	return []byte(names[o]), nil
}

// UnmarshalText implements encoding.TextUnmarshaler, accepting what Parse accepts.
func (o *Objective) UnmarshalText(b []byte) error {
	v, err := Parse(string(b))
	if err != nil {
		return err
	}
	*o = v
	return nil
}
