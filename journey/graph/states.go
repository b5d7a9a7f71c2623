package graph

import (
	"errors"

	"github.com/parcours-go/parcours/internal/wire"
)

// Names of the states every journey graph has besides its steps. They are
// written in parentheses so they cannot clash with a step's name: a state
// of a learned graph whose step starts with "(" is quoted (see TupleName),
// and a journey map rejects step ids that start with "(".
const (
	Start      = "(start)"      // where every walk begins
	Conversion = "(conversion)" // absorbing: the goal was reached
	Exit       = "(exit)"       // absorbing: the customer left
)

// reserved reports whether id is one of the special state names, or shaped
// like one.
func reserved(id string) bool { return len(id) > 0 && id[0] == '(' }

// Transition is a move from one state to another with its probability, as
// Graph.Transitions lists them and as a designed journey map (journey.Map)
// declares them. In a map, From is a step id or Start and To a step id,
// Exit or Conversion, and a zero Probability means "not given": the
// transitions out of a step whose probability is not given share equally
// what the given ones leave of 1, and if every probability out of a step
// is given and they sum to less than 1, the rest of the customers leave
// (go to Exit). A Graph always gives the effective probability.
type Transition struct {
	From        string  `json:"from"`
	To          string  `json:"to"`
	Probability float64 `json:"probability,omitempty"`
}

// Sentinel errors of graph construction, wrapped by the errors of
// Builder.Build and Counts.Graph (and of the constructors built on them),
// for callers that branch with errors.Is.
var (
	// ErrEmptyGraph: the graph would have no transition.
	ErrEmptyGraph = errors.New("empty graph")
	// ErrBadWeight: a weight or count is negative, infinite or not a
	// number, or the weights added overflow.
	ErrBadWeight = errors.New("bad weight")
	// ErrEndState marks a transition out of Exit or Conversion, which
	// must stay absorbing, or a path end that is not a state name in
	// parentheses.
	ErrEndState = errors.New("bad end state")
	// ErrNoWayOut: some state reaches no absorbing state.
	ErrNoWayOut = errors.New("no way out")
	// ErrIncompatible: Counts.Merge was given counts of another order, or
	// read from a log otherwise (another By or goal).
	ErrIncompatible = errors.New("incompatible counts")
	// ErrSharedCustomers: Counts.Merge was given counts whose customer
	// sample shares a customer with the receiver's (see Counts.Merge). It
	// is the same value as journey.ErrSharedCustomers.
	ErrSharedCustomers = wire.ErrSharedCustomers
)

// maxReported caps how many problems one error lists.
const maxReported = 20
