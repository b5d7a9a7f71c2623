package touchpoint

import (
	"errors"
	"fmt"

	"github.com/parcours-go/parcours/internal/jsonstrict"
	"github.com/parcours-go/parcours/internal/verr"
)

// Sentinel errors, wrapped by Validate's errors so callers can branch with errors.Is.
var (
	ErrDuplicate         = errors.New("duplicate")
	ErrUnknownDepartment = errors.New("unknown department")
	ErrUnknownTouchpoint = errors.New("unknown touchpoint")
)

// Catalog lists the company's departments and the touchpoints they own. It
// is a plain value: build it as a literal or decode it from JSON, then call
// Validate. Lookups scan the lists (a catalog holds tens of entries); for
// repeated lookups over a large catalog, use Index.
//
// The zero value is an empty, valid catalog.
type Catalog struct {
	Departments []Department `json:"departments,omitempty"`
	Touchpoints []Touchpoint `json:"touchpoints,omitempty"`
}

// Department returns the department with the given id.
func (c *Catalog) Department(id string) (Department, bool) {
	for _, d := range c.Departments {
		if d.ID == id {
			return d, true
		}
	}
	return Department{}, false
}

// Touchpoint returns the touchpoint with the given id.
func (c *Catalog) Touchpoint(id string) (Touchpoint, bool) {
	for _, t := range c.Touchpoints {
		if t.ID == id {
			return t, true
		}
	}
	return Touchpoint{}, false
}

// OwnedBy returns the touchpoints owned by department id, in catalog order.
func (c *Catalog) OwnedBy(id string) []Touchpoint {
	var out []Touchpoint
	for _, t := range c.Touchpoints {
		if t.Owner == id {
			out = append(out, t)
		}
	}
	return out
}

// OnChannel returns the touchpoints of channel ch, in catalog order.
func (c *Catalog) OnChannel(ch Channel) []Touchpoint {
	var out []Touchpoint
	for _, t := range c.Touchpoints {
		if t.Channel == ch {
			out = append(out, t)
		}
	}
	return out
}

// Index returns the position of every department and touchpoint by id, for
// repeated lookups. Where an id repeats, the first one wins (Validate reports
// the repeat).
func (c *Catalog) Index() (departments, touchpoints map[string]int) {
	departments = make(map[string]int, len(c.Departments))
	for i, d := range c.Departments {
		if _, dup := departments[d.ID]; !dup {
			departments[d.ID] = i
		}
	}
	touchpoints = make(map[string]int, len(c.Touchpoints))
	for i, t := range c.Touchpoints {
		if _, dup := touchpoints[t.ID]; !dup {
			touchpoints[t.ID] = i
		}
	}
	return departments, touchpoints
}

// Validate reports every problem in the catalog: each invalid department or
// touchpoint, repeated ids, and touchpoints owned by an unknown department
// (wrapping ErrUnknownDepartment). A touchpoint with no owner is allowed.
func (c *Catalog) Validate() error {
	var l verr.List
	depts := make(map[string]bool, len(c.Departments))
	for i, d := range c.Departments {
		p := verr.Item("departments", i, d.ID)
		l.Add(p, d.Validate())
		if d.ID != "" && depts[d.ID] {
			l.Addf(p, "%w department id %q", ErrDuplicate, d.ID)
		}
		depts[d.ID] = true
	}
	tps := make(map[string]bool, len(c.Touchpoints))
	for i, t := range c.Touchpoints {
		p := verr.Item("touchpoints", i, t.ID)
		l.Add(p, t.Validate())
		if t.ID != "" && tps[t.ID] {
			l.Addf(p, "%w touchpoint id %q", ErrDuplicate, t.ID)
		}
		tps[t.ID] = true
		if t.Owner != "" && !depts[t.Owner] {
			l.Add(p+": owner", fmt.Errorf("%w %q", ErrUnknownDepartment, t.Owner))
		}
	}
	return l.Err()
}

// UnmarshalJSON decodes a catalog strictly: every unknown field and every
// value of the wrong type is reported, each with its JSON path. It does not
// call Validate.
func (c *Catalog) UnmarshalJSON(data []byte) error {
	type plain Catalog
	var p plain
	if err := jsonstrict.Decode(data, &p); err != nil {
		return err
	}
	*c = Catalog(p)
	return nil
}
