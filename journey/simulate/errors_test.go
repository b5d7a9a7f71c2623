package simulate_test

import (
	"errors"
	"math"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/parcours-go/parcours/journey"
	"github.com/parcours-go/parcours/journey/graph"
	"github.com/parcours-go/parcours/journey/simulate"
	"github.com/parcours-go/parcours/persona"
	"github.com/parcours-go/parcours/touchpoint"
)

func TestBadInput(t *testing.T) {
	g := loopChain(t)
	m := must(simulate.New(simulate.Spec{Graph: g}))
	noStart := build(t, graph.Transition{From: "a", To: graph.Exit, Probability: 1})
	negative := must(m.WithWait("a", simulate.Func(func(*rand.Rand) float64 { return -1 })))
	century := must(m.WithWait("", simulate.Fixed(simulate.Hours(24*365*100))))
	tests := []struct {
		name, reason string
		run          func() error
		is           []error
		want         []string // the lines of the message
	}{
		{
			name:   "options",
			reason: "every bad option at once, each under its name",
			run: func() error {
				_, err := simulate.Run(g, simulate.Options{MaxSteps: -1, Workers: -2, Period: -time.Hour, Start: time.Date(3000, 1, 1, 0, 0, 0, 0, time.UTC)})
				return err
			},
			is: []error{simulate.ErrBadOption},
			want: []string{
				"simulate: options: customers: bad option: 0 is not positive",
				"simulate: options: workers: bad option: -2 is negative",
				"simulate: options: max steps: bad option: -1 is negative",
				"simulate: options: period: bad option: -1h0m0s is negative",
				"simulate: options: start: bad option: 3000-01-01 00:00:00 +0000 UTC, or the period after it, is outside the years 1678 to 2262 a log holds",
			},
		},
		{
			name: "negative customers", reason: "Customers is required and positive",
			run: func() error { _, err := m.Run(simulate.Options{Customers: -5}); return err },
			is:  []error{simulate.ErrBadOption}, want: []string{"simulate: options: customers: bad option: -5 is not positive"},
		},
		{
			name: "nil graph", reason: "Run needs a graph",
			run: func() error { _, err := simulate.Run(nil, simulate.Options{Customers: 1}); return err },
			is:  []error{simulate.ErrNilGraph}, want: []string{"simulate: graph: nil graph"},
		},
		{
			name: "no start", reason: "a built graph need not have a start state, but a walk must begin somewhere",
			run: func() error { _, err := simulate.Run(noStart, simulate.Options{Customers: 1}); return err },
			is:  []error{simulate.ErrNoStart}, want: []string{"simulate: graph: no start: it has no (start) state"},
		},
		{
			name:   "spec",
			reason: "every problem of a spec at once: touchpoints, distributions, steps, personas",
			run: func() error {
				_, err := simulate.New(simulate.Spec{
					Graph: g,
					Wait:  simulate.Exponential(-1),
					Waits: map[string]simulate.Dist{
						"a": simulate.LogNormal(math.NaN(), 1), "zz": simulate.Fixed(1), "b": simulate.Uniform(3, 2),
						"c": simulate.Func(nil), "d": simulate.LogNormal(1, math.Inf(1)),
					},
					Values: map[string]simulate.Dist{graph.Conversion: simulate.Fixed(-3)},
					Touchpoints: map[string][]touchpoint.Touchpoint{
						"x": {{ID: "t", Channel: touchpoint.Web}},
						"a": {{ID: "", Channel: touchpoint.Web}, {ID: "u", Channel: touchpoint.Web}, {ID: "u", Channel: touchpoint.Web}},
					},
					Personas: []persona.Persona{{ID: "p", Share: 2}},
				})
				return err
			},
			is: []error{simulate.ErrBadDist, simulate.ErrUnknownStep, journey.ErrUnknownStep, touchpoint.ErrDuplicate},
			want: []string{
				`simulate: touchpoints["a"][0]: id: empty`,
				`simulate: touchpoints["a"][2] "u": duplicate touchpoint "u"`,
				`simulate: touchpoints["x"]: unknown step "x": the graph has no such step`,
				`simulate: wait: bad distribution: exponential mean -1 is negative`,
				`simulate: waits["a"]: bad distribution: lognormal median NaN is not a number`,
				`simulate: waits["b"]: bad distribution: uniform upper bound 2 is below the lower bound 3`,
				`simulate: waits["c"]: bad distribution: func is nil`,
				`simulate: waits["d"]: bad distribution: lognormal sigma +Inf is infinite`,
				`simulate: waits["zz"]: unknown step "zz": the graph has no such step`,
				`simulate: values["(conversion)"]: bad distribution: fixed value -3 is negative`,
				`simulate: personas[0] "p": share: 2 is outside [0, 1]`,
				`simulate: personas: shares sum to 2, more than 1`,
			},
		},
		{
			name: "scale to an unknown step", reason: "a typo in a step name is an error, not a no-op",
			run: func() error { _, err := m.Scale("a", "zz", 1); return err },
			is:  []error{simulate.ErrUnknownStep}, want: []string{`simulate: scale "a" -> "zz": unknown step "zz"`},
		},
		{
			name: "scale a transition the chain lacks", reason: "c never leads to a",
			run: func() error { _, err := m.Scale("c", "a", 1); return err },
			is:  []error{simulate.ErrUnknownTransition}, want: []string{`simulate: scale "c" -> "a": unknown transition: no transition leads from "c" to "a"`},
		},
		{
			name: "negative factor", reason: "a probability cannot be scaled below 0",
			run: func() error { _, err := m.Scale("a", "b", -1); return err },
			is:  []error{simulate.ErrBadOption}, want: []string{`simulate: scale "a" -> "b": bad option: factor -1 is not a finite non-negative number`},
		},
		{
			name: "remove an end", reason: "absorbing states cannot be removed",
			run: func() error { _, err := m.RemoveSteps("a", graph.Exit); return err },
			is:  []error{simulate.ErrUnknownStep}, want: []string{`simulate: remove steps: unknown step "(exit)"`},
		},
		{
			name: "remove no touchpoint", reason: "the chain has no touchpoints, so nothing matches",
			run: func() error {
				_, err := m.RemoveTouchpoints(func(touchpoint.Touchpoint) bool { return true })
				return err
			},
			is: []error{simulate.ErrNoMatch}, want: []string{`simulate: remove touchpoints: nothing matches: no touchpoint of the model matches`},
		},
		{
			name: "wait at an unknown step", reason: "WithWait checks its step",
			run: func() error { _, err := m.WithWait("q", simulate.Fixed(1)); return err },
			is:  []error{simulate.ErrUnknownStep}, want: []string{`simulate: wait at "q": unknown step "q"`},
		},
		{
			name: "NaN value", reason: "WithValue checks its distribution",
			run: func() error { _, err := m.WithValue("a", simulate.Exponential(math.NaN())); return err },
			is:  []error{simulate.ErrBadDist}, want: []string{`simulate: value at "a": bad distribution: exponential mean NaN is not a number`},
		},
		{
			name: "replications", reason: "every bad study option at once",
			run: func() error {
				_, err := simulate.Replicate(m, simulate.ReplicateOptions{Replications: 1, Level: 1.5, Reach: []string{"a", "nowhere"}})
				return err
			},
			is: []error{simulate.ErrBadOption, simulate.ErrUnknownStep},
			want: []string{
				"simulate: options: customers: bad option: 0 is not positive",
				"simulate: replications: bad option: 1, want at least 2",
				"simulate: level: bad option: 1.5 is not in (0, 1)",
				`simulate: reach[1] "nowhere": unknown step "nowhere"`,
			},
		},
		{
			name: "negative sample", reason: "a Func distribution that returns -1 stops the run at the first customer",
			run: func() error { _, err := negative.Run(simulate.Options{Customers: 10, Workers: 3}); return err },
			is:  []error{simulate.ErrBadDist}, want: []string{`simulate: customer c0: waits["a"]: bad distribution: the func returned a negative or non-finite number`},
		},
		{
			name: "negative sample in a replication", reason: "replications report the customer's index",
			run: func() error {
				_, err := simulate.Replicate(negative, simulate.ReplicateOptions{Options: simulate.Options{Customers: 10}})
				return err
			},
			is: []error{simulate.ErrBadDist}, want: []string{`simulate: replication 0: customer 0: waits["a"]: bad distribution: the func returned a negative or non-finite number`},
		},
		{
			name: "time overflow", reason: "waits of a century pass the year 2262 a log can hold",
			run: func() error { _, err := century.Run(simulate.Options{Customers: 10}); return err },
			is:  []error{simulate.ErrTimeRange}, want: []string{`simulate: customer c0: time out of range: after the wait at "d", the journey passes the year 2262`},
		},
		{
			name: "unknown persona", reason: "Graph names its persona",
			run: func() error { _, err := m.Graph("nobody"); return err },
			is:  []error{simulate.ErrUnknownPersona, persona.ErrUnknownPersona}, want: []string{`simulate: unknown persona "nobody"`},
		},
		{
			name: "reach of an unknown step", reason: "Reach checks its step",
			run: func() error { _, err := m.Reach("zz"); return err },
			is:  []error{simulate.ErrUnknownStep}, want: []string{`simulate: reach: unknown step "zz"`},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.run()
			if err == nil {
				t.Fatalf("%s: no error", tt.reason)
			}
			for _, s := range tt.is {
				if !errors.Is(err, s) {
					t.Errorf("%s: the error does not wrap %v", tt.reason, s)
				}
			}
			if diff := cmp.Diff(tt.want, strings.Split(err.Error(), "\n")); diff != "" {
				t.Errorf("%s: message (-want +got):\n%s", tt.reason, diff)
			}
		})
	}
}
