package impact

import (
	"cmp"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/parcours-go/parcours/funnel"
	"github.com/parcours-go/parcours/internal/verr"
	"github.com/parcours-go/parcours/journey"
	"github.com/parcours-go/parcours/journey/graph"
	"github.com/parcours-go/parcours/objectives"
	"github.com/parcours-go/parcours/touchpoint"
)

const nObj = len(objectives.All)

// Score measures the impact of every department of the map's catalog on
// the journey, for each of the four Cs, and ranks the departments by their
// share of the company's priority-weighted recoverable. The figures come from
// the designed journey (m.Graph), from opt.Log or from opt.Graph; see the
// package documentation for the method and Options for the defaults.
//
// Score fails, reporting every problem, if the map is invalid (the error
// of Map.Validate), if the options are (ErrBadOptions, ErrEmptyLog, a bad
// priority or scorecard), if no objective with a priority can be measured
// (ErrNoBasis), or if the graph has no Start (ErrNoStart). Bad data short
// of that — a touchpoint with no owner, a department that owns nothing, an
// objective with no goal, a goal nobody reaches — gives a report that
// says, in Report.Assumptions and DepartmentReport.Notes, what it assumed.
//
// With a log it reads the log once, in O(n) time for n events spread over
// Workers goroutines (and once more, for the funnel of a stage-focused
// department's stages). Then, for a graph of s states and t transitions,
// each objective costs two solves of its chain, each department one more
// per objective (its removal), and each stage-focused department one per
// objective and touchpoint of another department at its stages, plus two
// per stage; each solve takes O(s + t) plus the factorisation of the
// chain's loops (see Chain).
func Score(m *journey.Map, opt Options) (*Report, error) {
	if m == nil {
		return nil, fmt.Errorf("impact: %w: no map", ErrBadOptions)
	}
	if err := m.Validate(); err != nil {
		return nil, verr.Prefix("impact", err)
	}
	if err := opt.validate(m); err != nil {
		return nil, err
	}
	s := &scorer{m: m, opt: &opt, w: newWorld(m), src: opt.source()}
	if err := s.build(); err != nil {
		return nil, err
	}
	if err := s.aggregate(); err != nil {
		return nil, err
	}
	return s.report()
}

// objData is one objective's graph, chain and figures.
type objData struct {
	o        objectives.Objective
	goals    []string // the goal names the chain was given
	g        *graph.Graph
	st       *states
	chain    *Chain // nil if no state is a goal
	totalLev float64
	mixTot   float64
	basis    Basis
	weight   float64
	why      string // why the basis is not the goal, if it is not
}

type scorer struct {
	m   *journey.Map
	opt *Options
	w   *world
	src Source
	by  journey.By
	obs *observed

	full       *graph.Graph
	fullSt     *states
	fullVisits []float64
	stateStage []int // by state of full: the stage holding most of its contacts
	obj        [nObj]*objData
	assume     []string

	// Aggregates by department d (w.nobody included) and step x (index
	// nx for contacts at no step).
	nd, nx     int
	dHas       [][]bool
	dW, fW     [][]float64 // unweighted contact weights: dW[d][x], fW[0][x]
	dVisits    [][]float64 // whole-journey visits of d's contacts
	fVisits    []float64
	oVisits    [nObj][]float64
	oLeaving   [nObj][]float64
	oLev       [nObj][]float64
	dLev       [nObj][][]float64
	dSens      [nObj][][]float64
	dMix       [nObj][][]float64
	dPot       [nObj][][]float64
	potTot     [nObj]float64
	chanNum    [][]float64 // [d][stage]: contacts through d's channels
	chanDen    []float64   // [stage]: contacts with a channel
	funnelRep  *funnel.Report
	funnelDone bool
	frictions  []graph.Friction
	passes     map[int]*float64 // by stage
}

func (s *scorer) note(format string, args ...any) {
	s.assume = append(s.assume, fmt.Sprintf(format, args...))
}

// build makes the whole journey's graph and each objective's chain.
func (s *scorer) build() error {
	goalSteps := s.opt.goalSteps(s.m)
	conv := s.opt.convGoal()
	graphs := [nObj]*graph.Graph{}
	switch s.src {
	case FromDesign:
		g, err := s.m.Graph()
		if err != nil {
			return verr.Prefix("impact", err)
		}
		s.full = g
		for k := range graphs {
			graphs[k] = g
		}
	case FromGraph:
		s.by = s.opt.GraphBy
		s.full = s.opt.Graph
		for k := range graphs {
			graphs[k] = s.opt.Graph
		}
	case FromLog:
		obs, err := countLog(s.opt.Context, s.opt.Log, goalSteps, s.opt.GoalProperty, conv, s.opt.Workers)
		if err != nil {
			return err
		}
		s.obs = obs
		s.full = obs.full
		graphs = obs.obj
		s.observeContacts()
	}
	if _, ok := s.full.Index(graph.Start); !ok {
		return fmt.Errorf("impact: %w", ErrNoStart)
	}
	s.fullSt = s.w.statesOf(s.full, s.by)
	s.fullVisits = make([]float64, s.full.NumStates())
	for j := range s.fullVisits {
		s.fullVisits[j] = s.full.ExpectedVisits(graph.Start, s.full.State(j))
	}
	for k, o := range objectives.All {
		od := &objData{o: o, g: graphs[k]}
		s.obj[k] = od
		if s.by == journey.ByStep {
			od.goals = slices.Clone(goalSteps[k])
		}
		if o == conv || s.src == FromLog {
			// In a log's graphs, Conversion is where goal events lead.
			od.goals = append(od.goals, graph.Conversion)
		}
		if graphs[k] == s.full {
			od.st = s.fullSt
		} else {
			od.st = s.w.statesOf(graphs[k], s.by)
		}
		mask := goalMask(od.g, od.goals)
		if slices.Contains(mask, true) {
			c, err := newChain(od.g, mask)
			if err != nil {
				return err
			}
			od.chain = c
		}
	}
	s.stateStage = make([]int, s.full.NumStates())
	for i, cs := range s.fullSt.last {
		s.stateStage[i] = s.w.majorityStage(cs)
	}
	return nil
}

// observeContacts sets the world's observed contacts from the log's
// events: at each step, each touchpoint's share of the step's events
// that name one.
func (s *scorer) observeContacts() {
	l := s.opt.Log
	S := l.NumNames(journey.ByStep)
	xs := make([]int, S)
	for sym := range S {
		xs[sym] = s.w.step(l.Name(journey.ByStep, sym))
	}
	s.w.observed = make([][]contact, len(s.w.steps))
	totals := make([]float64, len(s.w.steps))
	emptyTP := int64(0)
	s.obs.byTP.each(func(sym, tp int, n int64) {
		name := l.Name(journey.ByTouchpoint, tp)
		if name == "" {
			emptyTP += n
			return
		}
		t := s.w.touchpoint(name)
		x := xs[sym]
		s.w.observed[x] = append(s.w.observed[x], contact{step: int32(x), tp: int32(t), w: float64(n)})
		totals[x] += float64(n)
	})
	var designed []string
	for x, cs := range s.w.observed {
		if len(cs) == 0 {
			if x < len(s.m.Steps) && s.stepSeen(x) {
				designed = append(designed, s.w.steps[x].id)
			}
			s.w.observed[x] = nil
			continue
		}
		slices.SortFunc(cs, func(a, b contact) int { return cmp.Compare(a.tp, b.tp) })
		for k := range cs {
			cs[k].w /= totals[x]
		}
	}
	s.note("The shares of the contacts at each step are those of the step's events that name a touchpoint.")
	if emptyTP > 0 {
		s.note("%d events name no touchpoint; they count in the paths but not in the shares of the contacts.", emptyTP)
	}
	if len(designed) > 0 {
		s.note("No event names a touchpoint at %s: the designed touchpoints stand in, each with an equal share.", list(designed))
	}
	if len(s.obs.badGoal) > 0 {
		s.note("Values of the goal property %q that name no objective are ignored: %s.", s.opt.GoalProperty, list(slices.Sorted(maps.Keys(s.obs.badGoal))))
	}
}

// stepSeen reports whether some event of the log is at step x.
func (s *scorer) stepSeen(x int) bool {
	_, ok := s.opt.Log.Lookup(journey.ByStep, s.w.steps[x].id)
	return ok
}

// list joins names for a sentence, each quoted if it has spaces.
func list(names []string) string {
	const most = 12
	out := make([]string, 0, min(len(names), most))
	for i, n := range names {
		if i == most {
			out = append(out, fmt.Sprintf("and %d more", len(names)-most))
			break
		}
		out = append(out, n)
	}
	return strings.Join(out, ", ")
}

// majorityStage returns the stage holding most of the weight of contacts,
// the earliest on a tie, -1 if none has a stage.
func (w *world) majorityStage(cs []contact) int {
	best, bestW := -1, 0.0
	weights := make(map[int]float64)
	for _, c := range cs {
		if st := w.stageOf(c); st >= 0 {
			weights[st] += c.w
		}
	}
	for st, v := range weights {
		if v > bestW || v == bestW && st < best {
			best, bestW = st, v
		}
	}
	return best
}

// aggregate sums the figures of every state's contacts by department and
// step, and settles each objective's basis and weight.
func (s *scorer) aggregate() error {
	w := s.w
	s.nd, s.nx = len(w.depts)+1, len(w.steps)
	grid := func() [][]float64 {
		g := make([][]float64, s.nd)
		for d := range g {
			g[d] = make([]float64, s.nx+1)
		}
		return g
	}
	s.dW, s.dVisits = grid(), grid()
	s.fW = grid()[:1]
	s.fVisits = make([]float64, s.nx+1)
	s.dHas = make([][]bool, s.nd)
	for d := range s.dHas {
		s.dHas[d] = make([]bool, s.nx+1)
	}
	xOf := func(c contact) int {
		if c.step < 0 {
			return s.nx
		}
		return int(c.step)
	}
	s.chanNum = make([][]float64, s.nd)
	for d := range s.chanNum {
		s.chanNum[d] = make([]float64, len(w.stages))
	}
	s.chanDen = make([]float64, len(w.stages))
	chans := make([]map[touchpoint.Channel]bool, len(w.depts))
	for d, dep := range w.depts {
		if dep.Focus == touchpoint.ChannelFocus {
			chans[d] = make(map[touchpoint.Channel]bool)
			for _, c := range dep.Channels {
				chans[d][c] = true
			}
		}
	}
	for k := range s.obj {
		s.dMix[k] = grid()
		s.dLev[k] = grid()
		s.dSens[k] = grid()
		s.oVisits[k] = make([]float64, s.nx+1)
		s.oLeaving[k] = make([]float64, s.nx+1)
		s.oLev[k] = make([]float64, s.nx+1)
	}
	for j, cs := range s.fullSt.last {
		v := s.fullVisits[j]
		for _, c := range cs {
			x, d := xOf(c), w.owner(c)
			s.dHas[d][x] = true
			s.dW[d][x] += c.w
			s.fW[0][x] += c.w
			s.dVisits[d][x] += v * c.w
			s.fVisits[x] += v * c.w
			if c.tp >= 0 {
				mix := w.tps[c.tp].mix
				for k, o := range objectives.All {
					p := v * c.w * mix.Get(o)
					s.dMix[k][d][x] += p
					s.obj[k].mixTot += p
				}
				if st := w.stageOf(c); st >= 0 && s.src != FromLog {
					s.chanDen[st] += v * c.w
					for dd := range w.depts {
						if chans[dd][w.tps[c.tp].channel] {
							s.chanNum[dd][st] += v * c.w
						}
					}
				}
			}
		}
	}
	if s.src == FromLog {
		s.observeChannels(chans)
	}
	for k, od := range s.obj {
		c := od.chain
		if c == nil {
			continue
		}
		for j, cs := range od.st.last {
			if c.absorb[j] || len(cs) == 0 {
				continue
			}
			f := c.State(j)
			od.totalLev += f.Recoverable
			for _, ct := range cs {
				x, d := xOf(ct), w.owner(ct)
				s.oVisits[k][x] += f.Visits * ct.w
				s.oLeaving[k][x] += f.Visits * f.Exit * ct.w
				s.oLev[k][x] += f.Recoverable * ct.w
				s.dLev[k][d][x] += f.Recoverable * ct.w
				s.dSens[k][d][x] += f.Leverage * ct.w
			}
		}
	}
	return s.settle()
}

// observeChannels counts, for each stage, the events with a channel and
// those through each channel-focused department's channels.
func (s *scorer) observeChannels(chans []map[touchpoint.Channel]bool) {
	l := s.opt.Log
	s.obs.byCh.each(func(sym, ch int, n int64) {
		name := l.Name(journey.ByChannel, ch)
		x, ok := s.w.stepIdx[l.Name(journey.ByStep, sym)]
		if name == "" || !ok || s.w.steps[x].stage < 0 {
			return
		}
		st := s.w.steps[x].stage
		s.chanDen[st] += float64(n)
		for d := range s.w.depts {
			if chans[d][touchpoint.Channel(name)] {
				s.chanNum[d][st] += float64(n)
			}
		}
	})
}

// settle decides each objective's basis and weight.
func (s *scorer) settle() error {
	prio := s.opt.Priorities
	if prio.IsZero() {
		prio = objectives.MixOf(objectives.Conversion)
	}
	prio = prio.Normalize()
	total := 0.0
	for k, od := range s.obj {
		switch {
		case od.chain != nil && od.chain.reach > 0 && od.totalLev > 0:
			od.basis = GoalBasis
			s.dPot[k], s.potTot[k] = s.dLev[k], od.totalLev
		case od.mixTot > 0:
			od.basis = MixBasis
			s.dPot[k], s.potTot[k] = s.dMix[k], od.mixTot
		default:
			s.dPot[k] = s.dMix[k]
		}
		switch {
		case od.chain == nil && len(stepGoals(od)) > 0:
			od.why = "the graph does not have its goal steps"
			if s.src == FromLog {
				od.why = "no customer of the log reaches its goal steps"
			}
		case od.chain == nil:
			od.why = "it has no goal"
		case !(od.chain.reach > 0):
			od.why = "no customer reaches its goal"
		case !(od.totalLev > 0):
			od.why = "no customer leaves the journey before its goal where another route was open"
		}
		if od.basis != NoBasis {
			od.weight = prio.Get(od.o)
			total += od.weight
		}
	}
	if !(total > 0) {
		var names []string
		for _, o := range objectives.All {
			if prio.Get(o) > 0 {
				names = append(names, fmt.Sprintf("%v (%s and no touchpoint serves it)", o, s.obj[o-1].why))
			}
		}
		return fmt.Errorf("impact: %w: %s", ErrNoBasis, strings.Join(names, "; "))
	}
	for _, od := range s.obj {
		od.weight /= total
	}
	s.explainSource(prio)
	return nil
}
