package impact

import (
	"errors"
	"fmt"
	"math"

	"github.com/parcours-go/parcours/internal/markov"
	"github.com/parcours-go/parcours/journey/graph"
)

// Sentinel errors, wrapped by the errors of NewChain and Score.
var (
	// ErrNoStart: the graph has no Start state, so no walk begins.
	ErrNoStart = errors.New("graph has no start state")
	// ErrBadGoal: a goal names Start or Exit, which cannot be goals.
	ErrBadGoal = errors.New("bad goal")
)

// Chain is a journey graph analysed for one goal: the graph's states whose
// last part is a goal name are made absorbing goals (as
// graph.Graph.AbsorbAt does), and the absorbing chain is solved once for
// the goal probability of every state and the expected visits from Start.
//
// A Chain is immutable and safe for concurrent use. Build one with
// NewChain; the zero Chain is not usable.
type Chain struct {
	g      *graph.Graph
	start  int
	exit   int // -1 if the graph has no Exit
	goal   []bool
	absorb []bool
	tidx   []int32 // state -> transient index, -1 for absorbing states
	states []int32 // transient index -> state

	reach  float64
	h      []float64 // by state: probability of reaching a goal
	visits []float64 // by state: N[Start][i] in the goal chain
	exitP  []float64 // by state: P(i → Exit)
	stay   []float64 // by state: goal probability of a walk leaving i by a route other than Exit
}

// NewChain analyses g for the goal named by goal: every state whose last
// part (see graph.Graph.Parts) is one of the names becomes an absorbing
// goal state, and so does an absorbing state so named, such as
// graph.Conversion. With no name the goal is graph.Conversion. Names
// the graph does not have are ignored: a goal no state carries is never
// reached, and every figure is 0.
//
// It fails, wrapping ErrNoStart, if g has no Start state, and wrapping
// ErrBadGoal if a name is graph.Start or graph.Exit. It costs two
// solves of the absorbing chain (one for the goal probabilities, one for
// the expected visits), each O(n + m) over the strongly connected
// components of the n transient states and m transitions, plus the
// factorisation of each component (see graph.Graph.Absorption).
func NewChain(g *graph.Graph, goal ...string) (*Chain, error) {
	if len(goal) == 0 {
		goal = []string{graph.Conversion}
	}
	for _, name := range goal {
		if name == graph.Start || name == graph.Exit {
			return nil, fmt.Errorf("impact: %w: %s cannot be a goal", ErrBadGoal, name)
		}
	}
	return newChain(g, goalMask(g, goal))
}

// goalMask marks the states of g whose last part is one of names, and the
// states so named.
func goalMask(g *graph.Graph, names []string) []bool {
	set := make(map[string]bool, len(names))
	for _, s := range names {
		set[s] = true
	}
	out := make([]bool, g.NumStates())
	for i := range out {
		if set[g.State(i)] {
			out[i] = true
			continue
		}
		if p := g.Parts(i); set[p[len(p)-1]] && !special(g.State(i)) {
			out[i] = true
		}
	}
	return out
}

// special reports whether a state name is one of the graph's special
// states.
func special(name string) bool {
	return name == graph.Start || name == graph.Exit || name == graph.Conversion
}

// newChain builds the chain of g whose goal states are marked in isGoal.
func newChain(g *graph.Graph, isGoal []bool) (*Chain, error) {
	start, ok := g.Index(graph.Start)
	if !ok || g.IsAbsorbing(start) {
		return nil, fmt.Errorf("impact: %w", ErrNoStart)
	}
	n := g.NumStates()
	c := &Chain{g: g, start: start, exit: -1, goal: make([]bool, n), absorb: make([]bool, n)}
	if e, ok := g.Index(graph.Exit); ok && g.IsAbsorbing(e) {
		c.exit = e
	}
	for i := range n {
		c.goal[i] = isGoal[i] && i != start && i != c.exit
		c.absorb[i] = g.IsAbsorbing(i) || c.goal[i]
	}
	c.tidx = make([]int32, n)
	for i := range n {
		if c.absorb[i] {
			c.tidx[i] = -1
		} else {
			c.tidx[i] = int32(len(c.states))
			c.states = append(c.states, int32(i))
		}
	}
	q, out, b := c.system(nil, nil)
	solver, err := markov.NewSolver(q, out, markov.Options{})
	if err != nil {
		return nil, fmt.Errorf("impact: %w", err)
	}
	x := solver.Solve(b)
	e := make([]float64, len(c.states))
	e[c.tidx[start]] = 1
	y := solver.SolveT(e)

	c.h = make([]float64, n)
	c.visits = make([]float64, n)
	c.exitP = make([]float64, n)
	c.stay = make([]float64, n)
	for i := range n {
		if c.goal[i] {
			c.h[i] = 1
		}
	}
	for ti, s := range c.states {
		c.h[s] = clamp01(x[ti])
		c.visits[s] = max(0, y[ti])
	}
	c.visits[start] = max(1, c.visits[start])
	for _, s := range c.states {
		i := int(s)
		other, otherH := 0.0, 0.0
		for j, p := range g.Successors(i) {
			if j == c.exit {
				c.exitP[i] += p
				continue
			}
			other += p
			otherH += p * c.h[j]
		}
		if other > 0 {
			c.stay[i] = clamp01(otherH / other)
		}
	}
	c.reach = c.h[start]
	return c, nil
}

func clamp01(x float64) float64 {
	if !(x > 0) {
		return 0
	}
	return min(1, x)
}

// system returns the transient block Q of the chain, the probability of
// moving from each transient state straight to an absorbing state, and
// that of moving straight to a goal. With share functions, every
// transition into a state j keeps the share 1 − share(j) of its
// probability and sends the rest to Exit; first is used instead of share
// for the transitions out of Start (nil: share).
func (c *Chain) system(share, first func(j int) float64) (q markov.CSR, out, b []float64) {
	t := len(c.states)
	q = markov.CSR{Off: make([]int32, 1, t+1)}
	out = make([]float64, t)
	b = make([]float64, t)
	for ti, s := range c.states {
		sh := share
		if int(s) == c.start && first != nil {
			sh = first
		}
		for j, p := range c.g.Successors(int(s)) {
			if sh != nil {
				if f := sh(j); f > 0 {
					f = min(1, f)
					out[ti] += p * f
					p *= 1 - f
				}
			}
			switch {
			case c.absorb[j]:
				out[ti] += p
				if c.goal[j] {
					b[ti] += p
				}
			case p > 0:
				q.Col = append(q.Col, c.tidx[j])
				q.Val = append(q.Val, p)
			}
		}
		q.Off = append(q.Off, int32(len(q.Col)))
	}
	return q, out, b
}

// Graph returns the graph the chain was built from, whose state indexes
// the chain's methods take.
func (c *Chain) Graph() *graph.Graph { return c.g }

// Reach returns the probability that a walk from Start reaches a goal
// state before it is absorbed elsewhere. It takes O(1).
func (c *Chain) Reach() float64 { return c.reach }

// IsGoal reports whether state i (an index of Graph()) is a goal state.
// It takes O(1) and panics if i is out of range.
func (c *Chain) IsGoal(i int) bool { return c.goal[i] }

// HasGoal reports whether some state is a goal state. It takes O(n).
func (c *Chain) HasGoal() bool {
	for _, g := range c.goal {
		if g {
			return true
		}
	}
	return false
}

// StateFigures are the figures of one transient state of a Chain, per walk
// from Start (per customer). See the package documentation for their
// derivation.
type StateFigures struct {
	State string `json:"state"`
	// Visits is the expected number of visits to the state before the
	// walk reaches the goal or ends: N[Start][state].
	Visits float64 `json:"visits"`
	// Exit is the probability of moving from the state straight to Exit.
	Exit float64 `json:"exit"`
	// Goal is the probability that a walk leaving the state by a route
	// other than Exit reaches the goal: the mean goal probability of the
	// other successors, weighted by their transition probabilities.
	Goal float64 `json:"goal"`
	// Recoverable is Visits × Exit × Goal: the derivative of the goal
	// probability from Start when a share ε of the walks that leave the
	// journey here is kept on the state's other routes, in proportion to
	// their probabilities. Keeping 10% of them gains about 0.1 × Recoverable.
	Recoverable float64 `json:"recoverable"`
	// Leverage is Visits × Goal, the closed form
	// N[Start][i] × P(goal from i) ÷ (1 − P(i → Exit)): the derivative of
	// the goal probability when the exit probability of the state falls
	// by ε (one unit of probability), the other routes taking up the
	// difference in proportion. It is 0 for a state every walk leaves.
	Leverage float64 `json:"leverage"`
}

// State returns the figures of state i (an index of Graph()). Absorbing
// states, goals included, have zero figures. It takes O(1) and panics if
// i is out of range.
func (c *Chain) State(i int) StateFigures {
	f := StateFigures{State: c.g.State(i)}
	if c.absorb[i] {
		return f
	}
	f.Visits, f.Exit, f.Goal = c.visits[i], c.exitP[i], c.stay[i]
	f.Recoverable = f.Visits * f.Exit * f.Goal
	if f.Exit < 1 {
		f.Leverage = f.Visits * f.Goal
	}
	return f
}

// States returns the figures of every transient state, Start included, in
// index order. It takes O(n).
func (c *Chain) States() []StateFigures {
	out := make([]StateFigures, 0, len(c.states))
	for _, s := range c.states {
		out = append(out, c.State(int(s)))
	}
	return out
}

// Without returns the probability of reaching the goal from Start when, on
// every transition into state j, the share share(j) of the walks is lost
// to Exit and the rest go on as before: share 1 removes the state, as
// graph.Graph.Remove does; share 0 leaves it. share is called for every
// transition with the target's index, for goal states too (a goal whose
// contacts are removed is not reached); values are clamped to [0, 1].
// Start has no transition into it and is never removed.
//
// It rebuilds the transient system and solves it once: O(n + m) plus the
// factorisation of its components.
func (c *Chain) Without(share func(j int) float64) float64 {
	return c.without(share, nil)
}

// RemovalEffect returns 1 − Without(share)/Reach(): the share of the goal
// lost when the walks are lost as share says; 0 when the goal is never
// reached. It costs what Without costs.
func (c *Chain) RemovalEffect(share func(j int) float64) float64 {
	if !(c.reach > 0) {
		return 0
	}
	return clamp01(1 - c.without(share, nil)/c.reach)
}

// without is Without with a separate share for the transitions out of
// Start (nil: share), which the states of order-k graphs need: a walk's
// first state holds all its first contacts.
func (c *Chain) without(share, first func(j int) float64) float64 {
	q, out, b := c.system(share, first)
	solver, err := markov.NewSolver(q, out, markov.Options{})
	if err != nil {
		// Losing walks only adds ways out; a chain that was solvable
		// stays so. Report nothing rather than a wrong figure.
		return math.NaN()
	}
	return clamp01(solver.Solve(b)[c.tidx[c.start]])
}
