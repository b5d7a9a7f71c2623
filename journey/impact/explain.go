package impact

import (
	"fmt"
	"strings"

	"github.com/parcours-go/parcours/journey/graph"
	"github.com/parcours-go/parcours/objectives"
	"github.com/parcours-go/parcours/touchpoint"
)

// Explain says in plain sentences why the department with the given id
// ranks where it does: its score and what it is made of, its dependence
// and recoverable for each objective, the steps and stages where its action
// matters most, its channels' share of the contacts (channel-focused),
// how hard its stages are to pass and what they depend on
// (stage-focused), its KPIs, and the notes about it. It reads the report
// only, so it works on a report decoded from JSON. It returns nil for an
// unknown id. It takes O(s) time for the s steps and stages of the
// department's report.
func (r *Report) Explain(dept string) []string {
	d, ok := r.Department(dept)
	if !ok {
		return nil
	}
	var out []string
	say := func(format string, args ...any) { out = append(out, fmt.Sprintf(format, args...)) }
	who := d.ID
	if d.Name != "" && d.Name != d.ID {
		who += " (" + d.Name + ")"
	}

	// The score.
	var parts []string
	for _, o := range r.Objectives {
		if o.Weight == 0 {
			continue
		}
		do, _ := d.Objective(o.Objective)
		share := 0.0
		if do != nil {
			share = do.Share
		}
		parts = append(parts, fmt.Sprintf("%s of the %s %s (weight %s)", pct(share), o.Objective, basisWord(o.Basis), pct(o.Weight)))
	}
	say("%s, a %s-focused department, ranks %s of %d with a score of %.3f, its share of the company's priority-weighted recoverable goal probability: %s.",
		who, d.Focus, ordinal(d.Rank), len(r.Departments), d.Score, strings.Join(parts, ", "))

	// Each objective.
	for _, o := range r.Objectives {
		do, _ := d.Objective(o.Objective)
		if do == nil {
			continue
		}
		name := capital(o.Objective.String())
		switch {
		case len(o.Goals) > 0 && o.Reach > 0:
			s := fmt.Sprintf("%s (%s of the customers achieve it, at %s): ", name, pct(o.Reach), goalPhrase(r.Source, o.Goals))
			switch {
			case o.Basis == MixBasis:
				s += fmt.Sprintf("without %s's touchpoints %s of it would be lost; no customer is lost before this goal where another route was open, so the designed mix stands in for the ranking: %s of it is %s's", d.ID, pct(do.Dependence), pct(do.Mix), d.ID)
			case do.Dependence == 0 && do.Recoverable == 0:
				s += fmt.Sprintf("none of it depends on %s's touchpoints, which are not on the customers' way to it", d.ID)
			case do.Recoverable == 0:
				s += fmt.Sprintf("without %s's touchpoints %s of it would be lost, but nothing is recoverable at its contacts: no customer is lost at its contacts before the goal where another route was open", d.ID, pct(do.Dependence))
			default:
				s += fmt.Sprintf("without %s's touchpoints %s of it would be lost; its recoverable goal probability is %.4f (%s of all that is recoverable for %s): keeping 10%% of the customers who leave at its steps would raise the share who achieve it by about %.2f points; its leverage is %.4f: one point less of drop-off at its steps would raise that share by about %.2f points",
					d.ID, pct(do.Dependence), do.Recoverable, pct(do.Recoverable/o.Recoverable), o.Objective, 10*do.Recoverable, do.Leverage, do.Leverage)
			}
			say("%s.", s)
		case len(o.Goals) > 0:
			say("%s is never achieved: its goal (%s) is out of every customer's reach, so its dependence, leverage and recoverable goal probability are 0.", name, goalPhrase(r.Source, o.Goals))
		case o.Basis == MixBasis && o.Weight > 0:
			say("%s has no goal data: the designed objective mix of the touchpoints, weighted by their traffic, stands in: %s's touchpoints carry %s of it.", name, d.ID, pct(do.Mix))
		}
	}

	// Where it matters.
	shown := 0
	for _, st := range d.Steps {
		if !(st.Score > 0) || shown == 3 {
			break
		}
		lead := "Its action matters most at"
		if shown > 0 {
			lead = "Then at"
		}
		s := fmt.Sprintf("%s %s", lead, stepName(st.Step, st.Stage))
		s += fmt.Sprintf(": %.2f visits per customer, %s of the contacts there are its own", st.Visits, pct(st.Share))
		if so := topObjective(r, st); so != nil {
			s += fmt.Sprintf("; before %s, %s of the visits leave the journey there and %s of those who go on achieve it", so.Objective, pct(so.Exit), pct(so.Goal))
		}
		if d.Score > 0 {
			s += fmt.Sprintf(" (%s of its score)", pct(st.Score/d.Score))
		}
		say("%s.", s)
		shown++
	}
	if shown == 0 && len(d.Steps) > 0 {
		var at []string
		for _, st := range d.Steps {
			at = append(at, st.Step)
		}
		say("Its contacts are at %s, where nothing is recoverable: no customer is lost there before a goal where another route was open.", list(at))
	}
	var byStage []string
	for _, st := range d.Stages {
		if st.Score > 0 && d.Score > 0 {
			byStage = append(byStage, fmt.Sprintf("%s %s", st.Stage, pct(st.Score/d.Score)))
		}
	}
	if len(byStage) > 1 {
		say("By stage, its score lies at %s.", strings.Join(byStage, ", "))
	}
	if d.Focus == touchpoint.ChannelFocus {
		var shares []string
		best, bestV := "", -1.0
		for _, st := range d.Stages {
			if st.Channel != nil && *st.Channel > bestV {
				best, bestV = st.Stage, *st.Channel
			}
		}
		for _, st := range d.Stages {
			if st.Channel != nil && st.Stage != best {
				shares = append(shares, fmt.Sprintf("%s %s", st.Stage, pct(*st.Channel)))
			}
		}
		if best != "" {
			chans := make([]string, len(d.Channels))
			for i, c := range d.Channels {
				chans[i] = string(c)
			}
			s := fmt.Sprintf("Its channels (%s) carry the largest share of the contacts at %s (%s)", strings.Join(chans, ", "), best, pct(bestV))
			if len(shares) > 0 {
				s += "; at " + strings.Join(shares, ", ")
			}
			say("%s.", s)
		}
	}

	// Its stages.
	for _, fs := range d.FocusStages {
		s := ""
		switch {
		case fs.Pass != nil:
			s = fmt.Sprintf("At %s, %s of the customers who enter the stage reach a later one", fs.Stage, pct(*fs.Pass))
		default:
			s = fmt.Sprintf("%s is the last stage, or nobody enters it", capital(fs.Stage))
		}
		if fs.Funnel != nil {
			s += fmt.Sprintf(" (in the log's funnel, %s of those who reach it go on to the next stage)", pct(*fs.Funnel))
		}
		say("%s.", s)
		if len(fs.Friction) > 0 {
			var fr []string
			for _, f := range fs.Friction {
				fr = append(fr, fmt.Sprintf("%s, where %.1f customers in 100 leave (%s of its visits)", f.State, 100*f.Leaving, pct(f.Exit)))
			}
			say("Its friction points at %s: %s.", fs.Stage, strings.Join(fr, "; "))
		}
		if len(fs.DependsOn) > 0 {
			var dep []string
			for k, x := range fs.DependsOn {
				if k == 3 {
					break
				}
				owner := "nobody's"
				if x.Owner != "" {
					owner = x.Owner + "'s"
				}
				o, v := topValue(r, x.Dependence)
				dep = append(dep, fmt.Sprintf("%s (%s): without it there, %s of %s is lost", x.Touchpoint, owner, pct(v), o))
			}
			say("At %s it depends most on %s.", fs.Stage, strings.Join(dep, "; "))
		}
	}

	// KPIs.
	if d.KPIs != nil {
		if d.KPIs.Total.KPIs == 0 {
			say("No KPI measurement was given for it or its touchpoints.")
		} else {
			var by []string
			for _, k := range d.KPIs.ByObjective {
				by = append(by, fmt.Sprintf("%s %.2f", k.Objective, k.Attainment))
			}
			say("KPIs: %d measured for it and its touchpoints, %d met, mean attainment %.2f (%s).",
				d.KPIs.Total.KPIs, d.KPIs.Total.Met, d.KPIs.Total.Attainment, strings.Join(by, ", "))
		}
	}
	out = append(out, d.Notes...)
	return out
}

// goalPhrase lists goal states for a sentence; in a log's graphs the
// Conversion state is where goal events lead.
func goalPhrase(src Source, goals []string) string {
	if src != FromLog {
		return list(goals)
	}
	out := make([]string, len(goals))
	for i, g := range goals {
		out[i] = g
		if g == graph.Conversion {
			out[i] = "its goal events"
		}
	}
	return list(out)
}

func basisWord(b Basis) string {
	if b == MixBasis {
		return "designed mix"
	}
	return "recoverable"
}

func stepName(step, stage string) string {
	if stage == "" {
		return step
	}
	return step + " (" + stage + ")"
}

// topObjective returns the step's figures for the objective that weighs
// most among those where the department has recoverable there.
func topObjective(r *Report, st StepImpact) *StepObjective {
	var best *StepObjective
	bestW := -1.0
	for i := range st.Objectives {
		so := &st.Objectives[i]
		o, _ := r.Objective(so.Objective)
		if o == nil || !(so.Recoverable > 0) {
			continue
		}
		if o.Weight > bestW {
			best, bestW = so, o.Weight
		}
	}
	return best
}

// topValue returns the value of the objective that weighs most among
// those with a positive value (the largest value on a tie of weights).
func topValue(r *Report, vs []ObjectiveValue) (objectives.Objective, float64) {
	var best objectives.Objective
	bestW, bestV := -1.0, 0.0
	for _, v := range vs {
		if !(v.Value > 0) {
			continue
		}
		w := 0.0
		if o, _ := r.Objective(v.Objective); o != nil {
			w = o.Weight
		}
		if w > bestW || w == bestW && v.Value > bestV {
			best, bestW, bestV = v.Objective, w, v.Value
		}
	}
	return best, bestV
}
