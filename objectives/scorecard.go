package objectives

import (
	"fmt"
	"math"

	"github.com/parcours-go/parcours/internal/verr"
)

// Measurement is one measured value of a KPI for an owner: a department, a
// touchpoint or whatever the caller rolls results up by.
type Measurement struct {
	Owner string  `json:"owner"`
	KPI   KPI     `json:"kpi"`
	Value float64 `json:"value"`
}

// Scorecard is a list of measurements, rolled up by objective or by owner.
// The zero value is an empty scorecard.
type Scorecard struct {
	Measurements []Measurement `json:"measurements"`
}

// Add appends a measurement.
func (s *Scorecard) Add(owner string, k KPI, value float64) {
	s.Measurements = append(s.Measurements, Measurement{Owner: owner, KPI: k, Value: value})
}

// Rollup summarises a group of measurements.
type Rollup struct {
	KPIs       int     `json:"kpis"`       // measurements in the group
	Met        int     `json:"met"`        // of which reached their target
	Attainment float64 `json:"attainment"` // mean of KPI.Attainment, in [0, 1]; 0 for an empty group
}

func (r *Rollup) add(m Measurement) {
	// Running mean, so the result does not depend on a division at the end
	// and an empty group stays 0.
	r.KPIs++
	if m.KPI.Met(m.Value) {
		r.Met++
	}
	r.Attainment += (m.KPI.Attainment(m.Value) - r.Attainment) / float64(r.KPIs)
}

// ByObjective rolls the measurements up per objective. Objectives with no
// measurement are absent from the map.
func (s Scorecard) ByObjective() map[Objective]Rollup {
	out := make(map[Objective]Rollup)
	for _, m := range s.Measurements {
		r := out[m.KPI.Objective]
		r.add(m)
		out[m.KPI.Objective] = r
	}
	return out
}

// ByOwner rolls the measurements up per owner.
func (s Scorecard) ByOwner() map[string]Rollup {
	out := make(map[string]Rollup)
	for _, m := range s.Measurements {
		r := out[m.Owner]
		r.add(m)
		out[m.Owner] = r
	}
	return out
}

// Owner rolls up one owner's measurements per objective.
func (s Scorecard) Owner(owner string) map[Objective]Rollup {
	out := make(map[Objective]Rollup)
	for _, m := range s.Measurements {
		if m.Owner != owner {
			continue
		}
		r := out[m.KPI.Objective]
		r.add(m)
		out[m.KPI.Objective] = r
	}
	return out
}

// Validate reports every invalid KPI and every value that is NaN or infinite.
func (s Scorecard) Validate() error {
	var l verr.List
	for i, m := range s.Measurements {
		p := verr.Item("measurements", i, m.KPI.Name)
		l.Add(p+": kpi", m.KPI.Validate())
		if math.IsNaN(m.Value) || math.IsInf(m.Value, 0) {
			l.Add(p+": value", fmt.Errorf("%v is not a finite number", m.Value))
		}
	}
	return l.Err()
}
