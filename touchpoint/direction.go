package touchpoint

import (
	"errors"
	"fmt"
	"strconv"

	"github.com/parcours-go/parcours/internal/fold"
)

// Direction says who starts a contact. The zero value is Unspecified.
type Direction uint8

const (
	Unspecified Direction = iota
	Inbound               // the customer starts it: visits the site, calls the hotline
	Outbound              // the company starts it: sends an email, shows an ad
)

// ErrUnknownDirection is wrapped by the errors of ParseDirection.
var ErrUnknownDirection = errors.New("unknown direction")

// String returns "inbound", "outbound" or "" for Unspecified.
func (d Direction) String() string {
	switch d {
	case Unspecified:
		return ""
	case Inbound:
		return "inbound"
	case Outbound:
		return "outbound"
	}
	return "Direction(" + strconv.Itoa(int(d)) + ")"
}

// ParseDirection accepts "inbound" and "outbound", the French "entrant" and
// "sortant", and the empty string for Unspecified, ignoring case and accents.
func ParseDirection(s string) (Direction, error) {
	switch fold.Key(s) {
	case "":
		return Unspecified, nil
	case "inbound", "in", "entrant", "entrante":
		return Inbound, nil
	case "outbound", "out", "sortant", "sortante":
		return Outbound, nil
	}
	return 0, fmt.Errorf("touchpoint: %w %q (want inbound or outbound)", ErrUnknownDirection, s)
}

// MarshalText implements encoding.TextMarshaler.
func (d Direction) MarshalText() ([]byte, error) {
	if d > Outbound {
		return nil, fmt.Errorf("touchpoint: cannot marshal %v", d)
	}
	return []byte(d.String()), nil
}

// UnmarshalText implements encoding.TextUnmarshaler, accepting what ParseDirection accepts.
func (d *Direction) UnmarshalText(b []byte) error {
	v, err := ParseDirection(string(b))
	if err != nil {
		return err
	}
	*d = v
	return nil
}
