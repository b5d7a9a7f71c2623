package main

import (
	"bytes"
	"io"
	"math"
	"slices"
	"strings"
	"testing"

	"github.com/parcours-go/parcours/journey/impact"
	"github.com/parcours-go/parcours/touchpoint"
)

// report scores the example's journey as run does.
func report(t *testing.T) *impact.Report {
	t.Helper()
	m := companyJourney()
	if err := m.Validate(); err != nil {
		t.Fatal(err)
	}
	r, err := score(m)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// topStage returns the stage where d's score is largest.
func topStage(d *impact.DepartmentReport) string {
	best, at := 0.0, ""
	for _, st := range d.Stages {
		if st.Score > best {
			best, at = st.Score, st.Stage
		}
	}
	return at
}

// TestEmailingMattersAtLoyalty checks seed 000's first example in the
// report: emailing's action matters most at retention, the loyalty
// stage, where its channels carry most of the contacts.
func TestEmailingMattersAtLoyalty(t *testing.T) {
	r := report(t)
	crm, ok := r.Department("crm")
	if !ok {
		t.Fatal("no emailing department")
	}
	if crm.Focus != touchpoint.ChannelFocus {
		t.Errorf("emailing is %s-focused, want channel-focused", crm.Focus)
	}
	if got := topStage(crm); got != "loyalty" {
		t.Errorf("emailing's score is largest at %q, want loyalty; stages %+v", got, crm.Stages)
	}
	loyalty := 0.0
	for _, st := range crm.Stages {
		if st.Stage == "loyalty" {
			loyalty = st.Score
		}
	}
	if loyalty < 0.8*crm.Score {
		t.Errorf("loyalty holds %.3f of emailing's score %.3f, want most of it", loyalty, crm.Score)
	}
	// Its channels carry more of the contacts at loyalty than anywhere
	// else, and more there than any other channel-focused department's.
	share := func(d *impact.DepartmentReport, stage string) float64 {
		for _, st := range d.Stages {
			if st.Stage == stage && st.Channel != nil {
				return *st.Channel
			}
		}
		return 0
	}
	for _, st := range crm.Stages {
		if st.Stage != "loyalty" && share(crm, st.Stage) >= share(crm, "loyalty") {
			t.Errorf("emailing's channels carry %.3f of the contacts at %s, at least their share at loyalty %.3f", share(crm, st.Stage), st.Stage, share(crm, "loyalty"))
		}
	}
	for _, d := range r.Departments {
		if d.ID != "crm" && d.Focus == touchpoint.ChannelFocus && share(&d, "loyalty") >= share(crm, "loyalty") {
			t.Errorf("%s's channels carry %.3f of the contacts at loyalty, at least emailing's", d.ID, share(&d, "loyalty"))
		}
	}
}

// TestSocialMediaMattersBeforeThePurchase checks seed 000's second
// example: the social media department's action matters at
// evangelization, attraction and consideration, and nowhere else.
func TestSocialMediaMattersBeforeThePurchase(t *testing.T) {
	r := report(t)
	social, ok := r.Department("social")
	if !ok {
		t.Fatal("no social media department")
	}
	want := []string{"evangelization", "attraction", "consideration"}
	var got []string
	for _, st := range social.Stages {
		if st.Score > 0 {
			got = append(got, st.Stage)
		}
	}
	slices.Sort(got)
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Errorf("social media scores at %q, want exactly %q", got, want)
	}
	if top := topStage(social); !slices.Contains(want, top) {
		t.Errorf("social media's score is largest at %q", top)
	}
}

// TestRanking checks the ranking's invariants: ranks in order of score,
// scores that add up to at most 1, support departments that own nothing
// at the bottom, and every department that owns a touchpoint on the way
// to a goal with a positive score.
func TestRanking(t *testing.T) {
	r := report(t)
	if len(r.Departments) != 9 {
		t.Fatalf("%d departments, want 9", len(r.Departments))
	}
	sum := 0.0
	for i, d := range r.Departments {
		sum += d.Score
		if d.Rank != i+1 {
			t.Errorf("%s: rank %d at place %d", d.ID, d.Rank, i+1)
		}
		if i > 0 && d.Score > r.Departments[i-1].Score {
			t.Errorf("%s scores %.4f, more than %s above it", d.ID, d.Score, r.Departments[i-1].ID)
		}
		switch d.Focus {
		case touchpoint.SupportFocus:
			if d.Score != 0 || len(d.Touchpoints) != 0 {
				t.Errorf("support department %s: score %.4f, touchpoints %q", d.ID, d.Score, d.Touchpoints)
			}
		default:
			if !(d.Score > 0) {
				t.Errorf("%s acts on the journey but scores %v", d.ID, d.Score)
			}
		}
	}
	if sum > 1+1e-9 {
		t.Errorf("scores sum to %v, more than 1", sum)
	}
	if got := r.Departments[len(r.Departments)-1].Focus; got != touchpoint.SupportFocus {
		t.Errorf("the last department is %s-focused, want a support department", got)
	}
}

// TestRun runs the example and checks that it prints the ranking, where
// each department matters, and every department's explanation.
func TestRun(t *testing.T) {
	var out bytes.Buffer
	if err := run(nil, &out); err != nil {
		t.Fatal(err)
	}
	got := out.String()
	r := report(t)
	for _, d := range r.Departments {
		for _, s := range r.Explain(d.ID) {
			// Sentences are wrapped: compare their words.
			if !strings.Contains(strings.Join(strings.Fields(got), " "), s) {
				t.Errorf("the output lacks %s's explanation %q", d.ID, s)
			}
		}
	}
	// The row of the stage table of each department names the stage
	// where its score is largest.
	where := section(got, "3. Where")
	for _, want := range [][]string{{"Emailing / CRM", "Loyalty"}, {"Social media", "Evangelization"}, {"Marketing", "Evangelization"}, {"E-shop", "Conversion"}} {
		found := false
		for _, l := range where {
			f := strings.Fields(l)
			found = found || strings.HasPrefix(strings.TrimSpace(l), want[0]+" ") && f[len(f)-1] == want[1]
		}
		if !found {
			t.Errorf("the stage table does not say that %s matters most at %s:\n%s", want[0], want[1], strings.Join(where, "\n"))
		}
	}
	// The stage scores of each row sum to the department's score.
	for _, d := range r.Departments {
		sum := 0.0
		for _, x := range stageScores(companyJourney(), &d) {
			sum += x
		}
		if math.Abs(sum-d.Score) > 1e-9 {
			t.Errorf("%s: stage scores sum to %v, score %v", d.ID, sum, d.Score)
		}
	}
	if err := run([]string{"more"}, io.Discard); err == nil {
		t.Error("an argument must be an error")
	}
	if err := run([]string{"-nope"}, io.Discard); err == nil {
		t.Error("an unknown flag must be an error")
	}
}

// section returns the lines of the printed section whose heading starts
// with prefix, up to the next blank line after its table.
func section(out, prefix string) []string {
	_, rest, _ := strings.Cut(out, "\n"+prefix)
	lines := strings.Split(rest, "\n")
	for i, l := range lines {
		if i > 0 && len(l) > 1 && l[0] >= '1' && l[0] <= '9' && l[1] == '.' {
			return lines[:i]
		}
	}
	return lines
}

func TestRunHelp(t *testing.T) {
	var out bytes.Buffer
	if err := run([]string{"-h"}, &out); err != nil {
		t.Fatalf("-h: %v", err)
	}
	if !strings.HasPrefix(out.String(), "Usage of ") {
		t.Errorf("-h prints %q, want the usage", out.String())
	}
}
