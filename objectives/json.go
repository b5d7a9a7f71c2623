package objectives

import "github.com/parcours-go/parcours/internal/jsonstrict"

// UnmarshalJSON decodes a scorecard strictly: every unknown field and every
// value of the wrong type is reported, each with its JSON path. It does not
// call Validate.
func (s *Scorecard) UnmarshalJSON(data []byte) error {
	type plain Scorecard
	var p plain
	if err := jsonstrict.Decode(data, &p); err != nil {
		return err
	}
	*s = Scorecard(p)
	return nil
}
