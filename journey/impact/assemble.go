package impact

import (
	"cmp"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/parcours-go/parcours/funnel"
	"github.com/parcours-go/parcours/journey"
	"github.com/parcours-go/parcours/journey/graph"
	"github.com/parcours-go/parcours/objectives"
	"github.com/parcours-go/parcours/touchpoint"
)

// explainSource states the assumptions behind the source and the method.
func (s *scorer) explainSource(prio objectives.Mix) {
	switch s.src {
	case FromDesign:
		s.note("The figures come from the designed journey: the map's transition probabilities, not observed behaviour.")
	case FromLog:
		s.note("The figures come from the paths of the log's %d customers, step by step, a step repeated in a row counting once: the Markov chain learned from them.", s.opt.Log.Customers())
	case FromGraph:
		s.note("The figures come from the graph given, of order %d, whose states are %ss.", s.full.Order(), s.by)
	}
	s.note("Customers are assumed to choose their next step from where they are only (a Markov chain); every figure is per customer.")
	s.note("Each objective counts once per customer: its figures are those of the journey up to the first time the customer achieves it, and what happens after does not count for it.")
	s.note("Without a department's touchpoints, the customers whose contact at a step would have gone through one of them are lost there; nobody switches to another touchpoint, and the others go on as before.")
	s.note("Leverage and the recoverable goal probability assume that the customers kept from leaving a step go on like those who did not leave: by the step's other routes, in proportion to their probabilities.")
	s.note("A department's share of a step is its touchpoints' share of the step's contacts, and it holds that share of the step's recoverable.")
	if s.src == FromDesign {
		for _, st := range s.m.Steps {
			if len(st.Touchpoints) > 1 {
				s.note("At a step with several touchpoints, each carries an equal share of the step's contacts: the map does not say how customers split among them.")
				break
			}
		}
	}
	switch s.by {
	case journey.ByTouchpoint:
		s.note("A touchpoint placed at several steps counts equally at each; step goals do not apply to a graph of touchpoints.")
	case journey.ByChannel:
		s.note("A channel's contacts are split equally among the map's touchpoints on that channel, at the steps that offer them; step goals do not apply to a graph of channels.")
	}
	if s.full.Order() > 1 {
		s.note("A state of the order-%d graph is placed at its last part, the contact the customer makes on entering it.", s.full.Order())
	}

	w := s.w
	var extra, bare, unowned, idle []string
	for x := len(s.m.Steps); x < len(w.steps); x++ {
		if s.dHas[w.nobody][x] {
			extra = append(extra, w.steps[x].id)
		}
	}
	for _, st := range s.m.Steps {
		if len(st.Touchpoints) == 0 {
			bare = append(bare, st.ID)
		}
	}
	placed := make(map[string]bool)
	for _, st := range s.m.Steps {
		for _, t := range st.Touchpoints {
			placed[t] = true
		}
	}
	for _, t := range s.m.Catalog.Touchpoints {
		if t.Owner == "" {
			unowned = append(unowned, t.ID)
		}
		if !placed[t.ID] {
			idle = append(idle, t.ID)
		}
	}
	var strangers, lone []string
	for _, t := range w.tps {
		if !t.known {
			strangers = append(strangers, t.id)
		}
	}
	for ch, cs := range w.byChannel {
		if len(cs) == 1 && cs[0].tp < 0 {
			lone = append(lone, ch)
		}
	}
	slices.Sort(strangers)
	slices.Sort(lone)
	if len(strangers) > 0 {
		s.note("Touchpoints of the %s that the catalog does not have are nobody's: %s.", s.src, list(strangers))
	}
	if len(lone) > 0 {
		s.note("Channels of the graph that no touchpoint of the map uses are nobody's: %s.", list(lone))
	}
	if len(extra) > 0 {
		s.note("Steps of the %s that the map does not have are in no stage, and their contacts are nobody's unless their events name a catalog touchpoint: %s.", s.src, list(extra))
	}
	if len(bare) > 0 {
		s.note("Steps with no touchpoint in the map have contacts nobody owns, unless a log names their touchpoints: %s.", list(bare))
	}
	if len(unowned) > 0 {
		s.note("Touchpoints with no owner count for no department: %s.", list(unowned))
	}
	if len(idle) > 0 && s.src != FromLog {
		s.note("Touchpoints of the catalog at no step of the map have no contact: %s.", list(idle))
	}
	var empty []string
	for _, d := range w.depts {
		if len(s.m.Catalog.OwnedBy(d.ID)) == 0 {
			empty = append(empty, d.ID)
		}
	}
	if len(empty) > 0 {
		s.note("Departments that own no touchpoint have nothing in the journey to score: %s.", list(empty))
	}

	for _, od := range s.obj {
		name := capital(od.o.String())
		goals := goalPhrase(s.src, goalNames(od))
		switch {
		case od.basis == GoalBasis:
			s.note("%s is achieved at %s: %s of the customers achieve it.", name, goals, pct(od.chain.reach))
		case od.basis == MixBasis && od.chain != nil:
			s.note("%s is achieved at %s, but %s: the designed objective mix of the touchpoints, weighted by their traffic, stands in for the ranking.", name, goals, od.why)
		case od.basis == MixBasis && len(stepGoals(od)) > 0:
			s.note("%s is achieved at %s, which %s: the designed objective mix of the touchpoints, weighted by their traffic, stands in, and its dependence, leverage and recoverable goal probability are 0.", name, list(stepGoals(od)), s.absent())
		case od.basis == MixBasis:
			s.note("%s has no goal (no step achieves it and no event marks it): the designed objective mix of the touchpoints, weighted by their traffic, stands in, and its dependence, leverage and recoverable goal probability are 0.", name)
		case len(stepGoals(od)) > 0:
			s.note("%s is achieved at %s, which %s, and no touchpoint serves it: it takes no part in the ranking.", name, list(stepGoals(od)), s.absent())
		default:
			s.note("%s has no goal and no touchpoint serves it: it takes no part in the ranking.", name)
		}
	}
	var ps, dropped []string
	for _, od := range s.obj {
		if p := prio.Get(od.o); p > 0 {
			ps = append(ps, fmt.Sprintf("%v %s", od.o, pct(p)))
			if od.basis == NoBasis {
				dropped = append(dropped, od.o.String())
			}
		}
	}
	s.note("Priorities: %s.", strings.Join(ps, ", "))
	if len(dropped) > 0 {
		s.note("The priority of %s, which cannot be measured, is shared among the other objectives in proportion to theirs.", strings.Join(dropped, ", "))
	}
}

// stepGoals returns the goal steps of an objective whose chain has no
// goal state (the Conversion state left out).
func stepGoals(od *objData) []string {
	if od.chain != nil {
		return nil
	}
	var out []string
	for _, g := range od.goals {
		if g != graph.Conversion {
			out = append(out, g)
		}
	}
	return out
}

// absent says that goal steps are not among the source's states.
func (s *scorer) absent() string {
	if s.src == FromLog {
		return "no customer of the log reaches"
	}
	return "the graph does not have"
}

// goalNames returns the names of the goal states of an objective's chain.
func goalNames(od *objData) []string {
	if od.chain == nil {
		return nil
	}
	var out []string
	for i, g := range od.chain.goal {
		if g {
			out = append(out, od.g.State(i))
		}
	}
	return out
}

func capital(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// pct writes a share as a percentage with one decimal.
func pct(x float64) string { return fmt.Sprintf("%.1f%%", 100*x) }

// report assembles the report.
func (s *scorer) report() (*Report, error) {
	w := s.w
	prio := s.opt.Priorities
	if prio.IsZero() {
		prio = objectives.MixOf(objectives.Conversion)
	}
	r := &Report{Map: s.m.Name, Source: s.src, Priorities: prio.Normalize()}
	if s.src == FromLog {
		r.Customers = s.obs.customers
	}
	for k, od := range s.obj {
		or := ObjectiveReport{Objective: od.o, Weight: od.weight, Basis: od.basis, Goals: goalNames(od), Recoverable: od.totalLev, Mix: od.mixTot}
		if od.chain != nil {
			or.Reach = od.chain.reach
		}
		if s.potTot[k] > 0 {
			or.Unowned = sum(s.dPot[k][w.nobody]) / s.potTot[k]
		}
		r.Objectives = append(r.Objectives, or)
	}
	strays := s.scorecardOwners()
	for d, dep := range w.depts {
		dr, err := s.department(d, dep)
		if err != nil {
			return nil, err
		}
		if s.opt.Scorecard != nil {
			dr.KPIs = s.kpis(dep)
		}
		r.Departments = append(r.Departments, dr)
	}
	if len(strays) > 0 {
		s.note("Scorecard measurements whose owner is neither a department nor a touchpoint of the catalog are ignored: %s.", list(strays))
	}
	dep := func(d *DepartmentReport) float64 {
		t := 0.0
		for k, o := range d.Objectives {
			t += s.obj[k].weight * o.Dependence
		}
		return t
	}
	order := make([]int, len(r.Departments))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int {
		da, db := &r.Departments[a], &r.Departments[b]
		if c := cmp.Compare(db.Score, da.Score); c != 0 {
			return c
		}
		return cmp.Compare(dep(db), dep(da))
	})
	ranked := make([]DepartmentReport, len(order))
	for i, k := range order {
		ranked[i] = r.Departments[k]
		ranked[i].Rank = i + 1
	}
	r.Departments = ranked
	r.Assumptions = s.assume
	return r, nil
}

func sum(xs []float64) float64 {
	t := 0.0
	for _, x := range xs {
		t += x
	}
	return t
}

// department assembles department d's report.
func (s *scorer) department(d int, dep touchpoint.Department) (DepartmentReport, error) {
	w := s.w
	dr := DepartmentReport{ID: dep.ID, Name: dep.Name, Focus: dep.Focus}
	for _, t := range s.m.Catalog.OwnedBy(dep.ID) {
		dr.Touchpoints = append(dr.Touchpoints, t.ID)
	}
	if dep.Focus == touchpoint.ChannelFocus {
		dr.Channels = dep.Channels
	}
	owned := func(c contact) bool { return w.owner(c) == d }
	for k, od := range s.obj {
		do := DepartmentObjective{Objective: od.o, Recoverable: sum(s.dLev[k][d]), Leverage: sum(s.dSens[k][d])}
		if od.mixTot > 0 {
			do.Mix = sum(s.dMix[k][d]) / od.mixTot
		}
		if s.potTot[k] > 0 {
			do.Share = sum(s.dPot[k][d]) / s.potTot[k]
		}
		if od.chain != nil {
			do.Dependence, _ = od.st.removalEffect(od.chain, owned)
		}
		dr.Score += od.weight * do.Share
		dr.Objectives = append(dr.Objectives, do)
	}

	// Steps.
	for x := range s.nx {
		if !s.dHas[d][x] {
			continue
		}
		si := StepImpact{Step: w.steps[x].id, Visits: s.fVisits[x], Share: s.shareAt(d, x)}
		if st := w.steps[x].stage; st >= 0 {
			si.Stage = w.stages[st]
		}
		for k, od := range s.obj {
			if s.potTot[k] > 0 {
				si.Score += od.weight * s.dPot[k][d][x] / s.potTot[k]
			}
			if od.chain == nil {
				continue
			}
			so := StepObjective{Objective: od.o, Visits: s.oVisits[k][x], Recoverable: s.dLev[k][d][x], Leverage: s.dSens[k][d][x]}
			if so.Visits > 0 {
				so.Exit = s.oLeaving[k][x] / so.Visits
			}
			if s.oLeaving[k][x] > 0 {
				so.Goal = clamp01(s.oLev[k][x] / s.oLeaving[k][x])
			}
			si.Objectives = append(si.Objectives, so)
		}
		dr.Steps = append(dr.Steps, si)
	}
	stepOrder := func(a, b StepImpact) int {
		if c := cmp.Compare(b.Score, a.Score); c != 0 {
			return c
		}
		if c := cmp.Compare(b.Visits*b.Share, a.Visits*a.Share); c != 0 {
			return c
		}
		return cmp.Compare(w.stepIdx[a.Step], w.stepIdx[b.Step])
	}
	slices.SortStableFunc(dr.Steps, stepOrder)

	// Stages.
	for st := range w.stages {
		has := false
		var si StageImpact
		si.Stage = w.stages[st]
		num, den, numW, denW := 0.0, 0.0, 0.0, 0.0
		lev := make([]float64, nObj)
		sens := make([]float64, nObj)
		for x := range s.nx {
			if w.steps[x].stage != st {
				continue
			}
			has = has || s.dHas[d][x]
			num += s.dVisits[d][x]
			den += s.fVisits[x]
			numW += s.dW[d][x]
			denW += s.fW[0][x]
			for k, od := range s.obj {
				if s.potTot[k] > 0 {
					si.Score += od.weight * s.dPot[k][d][x] / s.potTot[k]
				}
				lev[k] += s.dLev[k][d][x]
				sens[k] += s.dSens[k][d][x]
			}
		}
		if !has && dep.Focus != touchpoint.ChannelFocus {
			continue
		}
		switch {
		case den > 0:
			si.Share = num / den
		case denW > 0:
			si.Share = numW / denW
		}
		if dep.Focus == touchpoint.ChannelFocus && s.chanDen[st] > 0 {
			v := s.chanNum[d][st] / s.chanDen[st]
			si.Channel = &v
		}
		for k, od := range s.obj {
			if od.chain != nil {
				si.Recoverable = append(si.Recoverable, ObjectiveValue{Objective: od.o, Value: lev[k]})
				si.Leverage = append(si.Leverage, ObjectiveValue{Objective: od.o, Value: sens[k]})
			}
		}
		dr.Stages = append(dr.Stages, si)
	}
	slices.SortStableFunc(dr.Stages, func(a, b StageImpact) int {
		if c := cmp.Compare(b.Score, a.Score); c != 0 {
			return c
		}
		ca, cb := 0.0, 0.0
		if a.Channel != nil {
			ca = *a.Channel
		}
		if b.Channel != nil {
			cb = *b.Channel
		}
		return cmp.Compare(cb, ca)
	})

	if dep.Focus == touchpoint.StageFocus {
		for _, id := range dep.Stages {
			fs, err := s.focusStage(d, w.stageIdx[id])
			if err != nil {
				return dr, err
			}
			dr.FocusStages = append(dr.FocusStages, fs)
		}
	}

	// Notes.
	switch {
	case len(dr.Touchpoints) == 0:
		dr.Notes = append(dr.Notes, "It owns no touchpoint of the catalog: nothing in the journey depends on it.")
	case !slices.Contains(s.dHas[d], true):
		dr.Notes = append(dr.Notes, "None of its touchpoints is at a step of the journey: nothing in the journey depends on it.")
	}
	if dep.Focus == touchpoint.SupportFocus {
		dr.Notes = append(dr.Notes, "It is a support department: it does not act on the journey directly, and is scored on the touchpoints it owns.")
	}
	return dr, nil
}

// shareAt returns department d's share of the contacts at step x:
// weighted by the traffic of the states that hold them, or, at a step
// nobody visits, by their weights alone.
func (s *scorer) shareAt(d, x int) float64 {
	if s.fVisits[x] > 0 {
		return s.dVisits[d][x] / s.fVisits[x]
	}
	if s.fW[0][x] > 0 {
		return s.dW[d][x] / s.fW[0][x]
	}
	return 0
}

// focusStage measures stage st for the stage-focused department d.
func (s *scorer) focusStage(d, st int) (FocusStage, error) {
	w := s.w
	fs := FocusStage{Stage: w.stages[st]}
	if s.passes == nil {
		s.passes = make(map[int]*float64)
	}
	p, ok := s.passes[st]
	if !ok {
		var err error
		if p, err = s.pass(st); err != nil {
			return fs, err
		}
		s.passes[st] = p
	}
	if p != nil {
		v := *p
		fs.Pass = &v
	}
	if s.src == FromLog {
		fs.Funnel = s.funnelPass(st)
	}
	for _, f := range s.friction() {
		i, _ := s.full.Index(f.State)
		// A goal state's walks end there having achieved it: that
		// is no friction.
		if s.stateStage[i] != st || !(f.Leaving > 0) || f.Goal >= 1 {
			continue
		}
		fs.Friction = append(fs.Friction, FrictionPoint{State: f.State, Traffic: f.Traffic, Exit: f.Exit, Leaving: f.Leaving, Drop: f.Drop})
		if len(fs.Friction) == 3 {
			break
		}
	}

	// The touchpoints of other departments at the stage.
	cand := make(map[int32]bool)
	for _, od := range s.obj {
		if od.chain == nil {
			continue
		}
		for _, cs := range od.st.last {
			for _, c := range cs {
				if c.tp >= 0 && w.stageOf(c) == st && w.owner(c) != d {
					cand[c.tp] = true
				}
			}
		}
	}
	for _, t := range slices.Sorted(maps.Keys(cand)) {
		dep := Dependency{Touchpoint: w.tps[t].id}
		if o := w.tps[t].owner; o != w.nobody {
			dep.Owner = w.depts[o].ID
		}
		removed := func(c contact) bool { return c.tp == t && w.stageOf(c) == st }
		any := false
		for _, od := range s.obj {
			if od.chain == nil || !(od.chain.reach > 0) {
				continue
			}
			v, _ := od.st.removalEffect(od.chain, removed)
			dep.Dependence = append(dep.Dependence, ObjectiveValue{Objective: od.o, Value: v})
			dep.Score += od.weight * v
			any = any || v > 0
		}
		if any {
			fs.DependsOn = append(fs.DependsOn, dep)
		}
	}
	slices.SortStableFunc(fs.DependsOn, func(a, b Dependency) int {
		if c := cmp.Compare(b.Score, a.Score); c != 0 {
			return c
		}
		return cmp.Compare(maxValue(b.Dependence), maxValue(a.Dependence))
	})
	return fs, nil
}

func maxValue(vs []ObjectiveValue) float64 {
	m := 0.0
	for _, v := range vs {
		m = max(m, v.Value)
	}
	return m
}

// pass returns the probability that a walk entering stage st (over the
// whole journey) reaches a later stage afterwards: Σ a_j h_j / Σ a_j, a_j
// being the probability that the walk's first state in the stage is j and
// h_j the probability of reaching a later stage from j. It is nil when no
// state is in a later stage or no walk enters the stage.
func (s *scorer) pass(st int) (*float64, error) {
	n := s.full.NumStates()
	in, later := make([]bool, n), make([]bool, n)
	anyLater := false
	for i, sg := range s.stateStage {
		in[i] = sg == st
		later[i] = sg > st
		anyLater = anyLater || later[i]
	}
	if !anyLater {
		return nil, nil
	}
	entry, err := newChain(s.full, in)
	if err != nil {
		return nil, err
	}
	a := make([]float64, n)
	total := 0.0
	for _, k := range entry.states {
		v := entry.visits[k]
		if v == 0 {
			continue
		}
		for j, p := range s.full.Successors(int(k)) {
			if in[j] {
				a[j] += v * p
				total += v * p
			}
		}
	}
	if !(total > 0) {
		return nil, nil
	}
	onward, err := newChain(s.full, later)
	if err != nil {
		return nil, err
	}
	t := 0.0
	for j := range n {
		t += a[j] * onward.h[j]
	}
	v := clamp01(t / total)
	return &v, nil
}

// friction returns the whole journey's friction ranking, measured against
// the goal of the objective with the largest weight that has one. It is
// computed once.
func (s *scorer) friction() []graph.Friction {
	if s.frictions != nil {
		return s.frictions
	}
	var goal []string
	best := -1.0
	for _, od := range s.obj {
		if od.chain != nil && od.weight > best {
			goal, best = od.goals, od.weight
		}
	}
	s.frictions = s.full.Friction(graph.FrictionOptions{Goal: goal})
	if s.frictions == nil {
		s.frictions = []graph.Friction{}
	}
	return s.frictions
}

// funnelPass returns, for a log, the share of the customers who reached
// stage st in the map's funnel that reached the next stage.
func (s *scorer) funnelPass(st int) *float64 {
	if st+1 >= len(s.w.stages) {
		return nil
	}
	if !s.funnelDone {
		s.funnelDone = true
		f, err := funnel.FromMap(s.m)
		if err == nil {
			// Only the counts are read: a coarse resolution keeps the
			// times to convert, which are not, small.
			s.funnelRep, err = f.Analyze(s.opt.Log, funnel.Options{Workers: s.opt.Workers, Resolution: 24 * time.Hour})
		}
		if err != nil {
			s.funnelRep = nil
			s.note("The map's stages make no funnel over the log (%v), so no observed funnel figure is given.", err)
		}
	}
	rep := s.funnelRep
	if rep == nil || rep.Stages[st].Reached == 0 {
		return nil
	}
	v := rep.Stages.FromPrevious(st + 1)
	return &v
}

// scorecardOwners returns the owners of scorecard measurements that are
// neither a department nor a touchpoint, sorted.
func (s *scorer) scorecardOwners() []string {
	if s.opt.Scorecard == nil {
		return nil
	}
	seen := make(map[string]bool)
	var out []string
	for _, m := range s.opt.Scorecard.Measurements {
		_, isDept := s.w.deptIdx[m.Owner]
		t, isTP := s.w.tpIdx[m.Owner]
		if isDept || isTP && s.w.tps[t].known || seen[m.Owner] {
			continue
		}
		seen[m.Owner] = true
		out = append(out, m.Owner)
	}
	slices.Sort(out)
	return out
}

// kpis rolls up the measurements of a department and its touchpoints.
func (s *scorer) kpis(dep touchpoint.Department) *KPIReport {
	owners := map[string]bool{dep.ID: true}
	for _, t := range s.m.Catalog.OwnedBy(dep.ID) {
		owners[t.ID] = true
	}
	var sc objectives.Scorecard
	for _, m := range s.opt.Scorecard.Measurements {
		if owners[m.Owner] {
			sc.Add(dep.ID, m.KPI, m.Value)
		}
	}
	out := &KPIReport{Total: sc.ByOwner()[dep.ID]}
	by := sc.ByObjective()
	for _, o := range objectives.All {
		if r, ok := by[o]; ok {
			out.ByObjective = append(out.ByObjective, KPIObjective{Objective: o, KPIs: r.KPIs, Met: r.Met, Attainment: r.Attainment})
		}
	}
	return out
}
