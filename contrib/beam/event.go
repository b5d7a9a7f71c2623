package parcoursbeam

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"reflect"
	"slices"
	"time"
	"unicode/utf8"

	"github.com/apache/beam/sdks/v2/go/pkg/beam"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/register"
	"github.com/parcours-go/parcours/journey"
	"github.com/parcours-go/parcours/touchpoint"
)

// Event is one event of a customer's journey as the transforms carry it:
// journey.Event with the time in Unix nanoseconds and the channel as a
// plain string, so that it crosses workers with a small binary coder
// (MarshalBinary). FromJourney and Event.Journey convert.
type Event struct {
	Customer   string
	Time       int64 // Unix nanoseconds
	Step       string
	Channel    string
	Touchpoint string
	Value      float64
	Props      map[string]string
}

// FromJourney returns e as an Event. Times before 1678 or after 2262,
// which Unix nanoseconds cannot hold, are clamped by time.Time.UnixNano.
func FromJourney(e journey.Event) Event {
	return Event{
		Customer: e.Customer, Time: e.Time.UnixNano(), Step: e.Step, Channel: string(e.Channel),
		Touchpoint: e.Touchpoint, Value: e.Value, Props: e.Props,
	}
}

// Journey returns e as a journey.Event, its time in UTC. The properties
// are shared, not copied.
func (e Event) Journey() journey.Event {
	return journey.Event{
		Customer: e.Customer, Time: time.Unix(0, e.Time).UTC(), Step: e.Step, Channel: touchpoint.Channel(e.Channel),
		Touchpoint: e.Touchpoint, Value: e.Value, Props: e.Props,
	}
}

// eventVersion is the first byte of an encoded Event.
const eventVersion = 1

// ErrBadEncoding is wrapped by the errors of UnmarshalBinary.
var ErrBadEncoding = errors.New("bad encoding")

// MarshalBinary encodes e: a version byte, then the customer, the time
// (a signed varint), the step, channel and touchpoint (each a length and
// its bytes), a flag byte, the value's 8 bytes if it is not 0, and the
// properties (their count, then key, value, … sorted by key). An event of
// short names takes about 30 bytes. It fails only for a string that is not
// valid UTF-8, which CSV and JSON could not hold either.
func (e Event) MarshalBinary() ([]byte, error) { return e.AppendBinary(nil) }

// AppendBinary appends the encoding of e (see MarshalBinary) to b.
func (e Event) AppendBinary(b []byte) ([]byte, error) {
	b = append(b, eventVersion)
	strs := [...]string{e.Customer, e.Step, e.Channel, e.Touchpoint}
	for i, s := range strs {
		if !utf8.ValidString(s) {
			return nil, fmt.Errorf("parcoursbeam: event: %s %q is not valid UTF-8", [...]string{"customer", "step", "channel", "touchpoint"}[i], s)
		}
	}
	b = appendString(b, e.Customer)
	b = binary.AppendVarint(b, e.Time)
	b = appendString(b, e.Step)
	b = appendString(b, e.Channel)
	b = appendString(b, e.Touchpoint)
	if e.Value == 0 {
		b = append(b, 0)
	} else {
		b = append(b, 1)
		b = binary.LittleEndian.AppendUint64(b, math.Float64bits(e.Value))
	}
	b = binary.AppendUvarint(b, uint64(len(e.Props)))
	keys := make([]string, 0, len(e.Props))
	for k := range e.Props {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		v := e.Props[k]
		if !utf8.ValidString(k) || !utf8.ValidString(v) {
			return nil, fmt.Errorf("parcoursbeam: event: property %q is not valid UTF-8", k)
		}
		b = appendString(b, k)
		b = appendString(b, v)
	}
	return b, nil
}

func appendString(b []byte, s string) []byte {
	b = binary.AppendUvarint(b, uint64(len(s)))
	return append(b, s...)
}

// UnmarshalBinary decodes what MarshalBinary encodes into e. It returns an
// error wrapping ErrBadEncoding, and leaves e unchanged, for anything
// else: another version, a truncated or overlong input, invalid UTF-8,
// properties out of order, a value 0 written with its bytes. It takes time
// linear in len(data) and allocates the strings.
func (e *Event) UnmarshalBinary(data []byte) error {
	d := decoder{b: data}
	if v := d.byte(); v != eventVersion && d.err == nil {
		d.fail("version %d, want %d", v, eventVersion)
	}
	var x Event
	x.Customer = d.string()
	x.Time = d.varint()
	x.Step = d.string()
	x.Channel = d.string()
	x.Touchpoint = d.string()
	switch f := d.byte(); f {
	case 0:
	case 1:
		x.Value = math.Float64frombits(d.uint64())
		if x.Value == 0 && d.err == nil {
			d.fail("a zero value written in full")
		}
	default:
		d.fail("flag byte %d", f)
	}
	n := d.uvarint()
	if n > uint64(len(d.b)) {
		d.fail("%d properties in %d bytes", n, len(d.b))
	}
	prev := ""
	for i := uint64(0); i < n && d.err == nil; i++ {
		k, v := d.string(), d.string()
		if i > 0 && k <= prev {
			d.fail("property %q after %q", k, prev)
		}
		if x.Props == nil {
			x.Props = make(map[string]string, n)
		}
		x.Props[k] = v
		prev = k
	}
	if d.err == nil && len(d.b) > 0 {
		d.fail("%d bytes after the event", len(d.b))
	}
	if d.err != nil {
		return d.err
	}
	*e = x
	return nil
}

// decoder reads an encoding, keeping the first error.
type decoder struct {
	b   []byte
	err error
}

func (d *decoder) fail(format string, args ...any) {
	if d.err == nil {
		d.err = fmt.Errorf("parcoursbeam: event: %w: "+format, append([]any{ErrBadEncoding}, args...)...)
	}
}

func (d *decoder) byte() byte {
	if d.err != nil {
		return 0
	}
	if len(d.b) == 0 {
		d.fail("truncated")
		return 0
	}
	c := d.b[0]
	d.b = d.b[1:]
	return c
}

func (d *decoder) uint64() uint64 {
	if d.err != nil {
		return 0
	}
	if len(d.b) < 8 {
		d.fail("truncated")
		return 0
	}
	v := binary.LittleEndian.Uint64(d.b)
	d.b = d.b[8:]
	return v
}

func (d *decoder) uvarint() uint64 {
	if d.err != nil {
		return 0
	}
	v, n := binary.Uvarint(d.b)
	if n <= 0 || n != len(binary.AppendUvarint(nil, v)) {
		d.fail("bad varint")
		return 0
	}
	d.b = d.b[n:]
	return v
}

func (d *decoder) varint() int64 {
	if d.err != nil {
		return 0
	}
	v, n := binary.Varint(d.b)
	if n <= 0 || n != len(binary.AppendVarint(nil, v)) {
		d.fail("bad varint")
		return 0
	}
	d.b = d.b[n:]
	return v
}

func (d *decoder) string() string {
	n := d.uvarint()
	if d.err != nil {
		return ""
	}
	if n > uint64(len(d.b)) {
		d.fail("a string of %d bytes in %d", n, len(d.b))
		return ""
	}
	s := d.b[:n]
	d.b = d.b[n:]
	if !utf8.Valid(s) {
		d.fail("invalid UTF-8")
		return ""
	}
	return string(s)
}

func encodeEvent(e Event) ([]byte, error) { return e.MarshalBinary() }

func decodeEvent(b []byte) (Event, error) {
	var e Event
	err := e.UnmarshalBinary(b)
	return e, err
}

func init() {
	// Registered callers spare the coder a reflective call per event.
	register.Function1x2(encodeEvent)
	register.Function1x2(decodeEvent)
	beam.RegisterCoder(reflect.TypeOf(Event{}), encodeEvent, decodeEvent)
}
