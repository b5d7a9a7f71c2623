package touchpoint

import (
	"github.com/parcours-go/parcours/internal/verr"
	"github.com/parcours-go/parcours/objectives"
)

// Touchpoint is the junction of a journey step and a channel: "product page
// on the web", "return label in the parcel", "hotline employee". It belongs
// to the department that owns it and serves a mix of the four objectives,
// measured by its KPIs.
type Touchpoint struct {
	ID         string           `json:"id"`
	Name       string           `json:"name,omitempty"`
	Channel    Channel          `json:"channel"`
	Direction  Direction        `json:"direction,omitempty"` // "inbound", "outbound" or omitted
	Owner      string           `json:"owner,omitempty"`     // department id; empty if nobody owns it
	Objectives objectives.Mix   `json:"objectives,omitzero"`
	KPIs       []objectives.KPI `json:"kpis,omitempty"`
}

// Validate reports an empty id, a bad channel or direction, a bad objective
// mix and every bad KPI. It does not check that the owner exists: that is
// the catalog's job.
func (t Touchpoint) Validate() error {
	var l verr.List
	if t.ID == "" {
		l.Addf("id", "empty")
	}
	l.Add("channel", t.Channel.Validate())
	if t.Direction > Outbound {
		l.Addf("direction", "%v is not a direction", t.Direction)
	}
	l.Add("objectives", t.Objectives.Validate())
	for i, k := range t.KPIs {
		l.Add(verr.Item("kpis", i, k.Name), k.Validate())
	}
	return l.Err()
}
