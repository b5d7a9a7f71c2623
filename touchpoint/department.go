package touchpoint

import (
	"errors"
	"fmt"
	"strconv"

	"github.com/parcours-go/parcours/internal/fold"
	"github.com/parcours-go/parcours/internal/verr"
)

// Focus says how a department relates to the journey. The zero value is
// StageFocus.
type Focus uint8

const (
	// StageFocus: the department serves one or more stages of the journey
	// (logistics after the purchase, sales at prospecting); its goal is to
	// make those stages easier to pass.
	StageFocus Focus = iota
	// ChannelFocus: the department owns one interaction method (emailing,
	// social networks, the website) used at many steps; it must first find
	// where in the journey its action matters most.
	ChannelFocus
	// SupportFocus: the department does not act on the journey directly
	// (accounting, legal).
	SupportFocus
)

// ErrUnknownFocus is wrapped by the errors of ParseFocus.
var ErrUnknownFocus = errors.New("unknown department focus")

// String returns "stage", "channel" or "support".
func (f Focus) String() string {
	switch f {
	case StageFocus:
		return "stage"
	case ChannelFocus:
		return "channel"
	case SupportFocus:
		return "support"
	}
	return "Focus(" + strconv.Itoa(int(f)) + ")"
}

// ParseFocus accepts "stage", "channel" and "support" and the French
// "étape", "canal" and "support", ignoring case and accents.
func ParseFocus(s string) (Focus, error) {
	switch fold.Key(s) {
	case "stage", "etape":
		return StageFocus, nil
	case "channel", "canal":
		return ChannelFocus, nil
	case "support":
		return SupportFocus, nil
	}
	return 0, fmt.Errorf("touchpoint: %w %q (want stage, channel or support)", ErrUnknownFocus, s)
}

// MarshalText implements encoding.TextMarshaler.
func (f Focus) MarshalText() ([]byte, error) {
	if f > SupportFocus {
		return nil, fmt.Errorf("touchpoint: cannot marshal %v", f)
	}
	return []byte(f.String()), nil
}

// UnmarshalText implements encoding.TextUnmarshaler, accepting what ParseFocus accepts.
func (f *Focus) UnmarshalText(b []byte) error {
	v, err := ParseFocus(string(b))
	if err != nil {
		return err
	}
	*f = v
	return nil
}

// Department is a part of the company that acts on the journey, or supports
// those that do.
type Department struct {
	ID    string `json:"id"`
	Name  string `json:"name,omitempty"`
	Focus Focus  `json:"focus,omitempty"` // "stage" (default), "channel" or "support"
	// Stages are the journey stages a stage-focused department serves, by
	// stage id. A journey.Map checks them against its stages.
	Stages []string `json:"stages,omitempty"`
	// Channels are the channels a channel-focused department owns.
	Channels []Channel `json:"channels,omitempty"`
}

// Validate reports an empty id, a stage-focused department with no stage, a
// channel-focused one with no channel, and bad or repeated channels and stages.
func (d Department) Validate() error {
	var l verr.List
	if d.ID == "" {
		l.Addf("id", "empty")
	}
	if d.Focus > SupportFocus {
		l.Addf("focus", "%v is not a focus", d.Focus)
	}
	if d.Focus == StageFocus && len(d.Stages) == 0 {
		l.Addf("stages", "a stage-focused department needs at least one stage")
	}
	if d.Focus == ChannelFocus && len(d.Channels) == 0 {
		l.Addf("channels", "a channel-focused department needs at least one channel")
	}
	seen := make(map[string]bool)
	for i, s := range d.Stages {
		p := verr.Item("stages", i, "")
		if s == "" {
			l.Addf(p, "empty")
		} else if seen[s] {
			l.Addf(p, "%w stage %q", ErrDuplicate, s)
		}
		seen[s] = true
	}
	seenC := make(map[Channel]bool)
	for i, c := range d.Channels {
		p := verr.Item("channels", i, "")
		if err := c.Validate(); err != nil {
			l.Add(p, err)
		} else if seenC[c] {
			l.Addf(p, "%w channel %q", ErrDuplicate, c)
		}
		seenC[c] = true
	}
	return l.Err()
}
