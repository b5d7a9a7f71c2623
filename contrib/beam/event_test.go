package parcoursbeam

import (
	"bytes"
	"errors"
	"math"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/parcours-go/parcours/journey"
	"github.com/parcours-go/parcours/touchpoint"
)

func TestEventBinary(t *testing.T) {
	cases := []struct {
		name, reason string
		e            Event
		want         []byte
	}{
		{name: "short", reason: "version, customer, zigzag time, step, empty channel and touchpoint, no value, no property",
			e:    Event{Customer: "c", Time: 1, Step: "s"},
			want: []byte{1, 1, 'c', 2, 1, 's', 0, 0, 0, 0}},
		{name: "negative time", reason: "times before 1970 are negative varints",
			e:    Event{Customer: "c", Time: -1, Step: "s", Channel: "web"},
			want: []byte{1, 1, 'c', 1, 1, 's', 3, 'w', 'e', 'b', 0, 0, 0}},
		{name: "value and props", reason: "the value's 8 bytes little-endian after flag 1; properties sorted by key",
			e:    Event{Customer: "c", Step: "s", Touchpoint: "t", Value: 1, Props: map[string]string{"b": "2", "a": "1"}},
			want: []byte{1, 1, 'c', 0, 1, 's', 0, 1, 't', 1, 0, 0, 0, 0, 0, 0, 0xf0, 0x3f, 2, 1, 'a', 1, '1', 1, 'b', 1, '2'}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			b, err := tc.e.MarshalBinary()
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(b, tc.want) {
				t.Fatalf("%s:\n got %v\nwant %v", tc.reason, b, tc.want)
			}
			var e Event
			if err := e.UnmarshalBinary(b); err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tc.e, e); diff != "" {
				t.Fatalf("round trip (-want +got):\n%s", diff)
			}
		})
	}
}

func TestEventBinaryBad(t *testing.T) {
	for _, b := range [][]byte{
		nil, {2, 1, 'c', 2, 1, 's', 0, 0, 0, 0}, // version 2
		{1, 1, 'c', 2, 1, 's', 0, 0, 0},                            // truncated
		{1, 1, 'c', 2, 1, 's', 0, 0, 0, 0, 0},                      // a byte after
		{1, 1, 'c', 2, 1, 's', 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0}, // value 0 in full
		{1, 1, 'c', 2, 1, 's', 0, 0, 7, 0},                         // bad flag
		{1, 1, 0xff, 2, 1, 's', 0, 0, 0, 0},                        // invalid UTF-8
		{1, 1, 'c', 2, 1, 's', 0, 0, 0, 2, 1, 'b', 0, 1, 'a', 0},   // properties out of order
		{1, 0x81, 0, 'c', 2, 1, 's', 0, 0, 0, 0},                   // overlong varint
	} {
		e := Event{Customer: "keep"}
		if err := e.UnmarshalBinary(b); !errors.Is(err, ErrBadEncoding) || e.Customer != "keep" {
			t.Errorf("%v: got %v (event %+v), want ErrBadEncoding and no change", b, err, e)
		}
	}
	if _, err := (Event{Customer: "\xff"}).MarshalBinary(); err == nil {
		t.Error("invalid UTF-8 encoded")
	}
}

func TestEventJourney(t *testing.T) {
	j := journey.Event{Customer: "c", Time: time.Date(2025, 3, 1, 9, 30, 0, 5, time.UTC), Step: "cart", Channel: touchpoint.Web, Touchpoint: "t", Value: 2.5, Props: map[string]string{"k": "v"}}
	e := FromJourney(j)
	if e.Time != j.Time.UnixNano() || e.Channel != "web" {
		t.Fatalf("FromJourney: %+v", e)
	}
	if diff := cmp.Diff(j, e.Journey()); diff != "" {
		t.Fatalf("(-want +got):\n%s", diff)
	}
}

// FuzzEventBinary checks that every input UnmarshalBinary accepts encodes
// back to the same bytes (the encoding is canonical), and that events
// built from the fuzzer's fields round-trip.
func FuzzEventBinary(f *testing.F) {
	f.Add([]byte{1, 1, 'c', 2, 1, 's', 0, 0, 0, 0}, "c", int64(5), "s", "web", 1.5, "k", "v")
	f.Add([]byte{1, 1, 'c', 0, 1, 's', 0, 1, 't', 1, 0, 0, 0, 0, 0, 0, 0xf0, 0x3f, 2, 1, 'a', 1, '1', 1, 'b', 1, '2'}, "", int64(-1), "", "", 0.0, "", "")
	f.Fuzz(func(t *testing.T, data []byte, c string, tm int64, step, ch string, v float64, k, pv string) {
		var e Event
		if err := e.UnmarshalBinary(data); err == nil {
			b, err := e.MarshalBinary()
			if err != nil {
				t.Fatalf("a decoded event does not encode: %v", err)
			}
			if !bytes.Equal(b, data) {
				t.Fatalf("decoded %+v from %v, encodes to %v", e, data, b)
			}
		}
		in := Event{Customer: c, Time: tm, Step: step, Channel: ch, Value: v, Props: map[string]string{k: pv}}
		b, err := in.MarshalBinary()
		if err != nil {
			return // invalid UTF-8
		}
		var out Event
		if err := out.UnmarshalBinary(b); err != nil {
			t.Fatalf("%+v: %v", in, err)
		}
		if math.IsNaN(v) {
			if !math.IsNaN(out.Value) {
				t.Fatalf("NaN decoded as %v", out.Value)
			}
			out.Value, in.Value = 0, 0
		}
		if diff := cmp.Diff(in, out); diff != "" {
			t.Fatalf("(-in +out):\n%s", diff)
		}
	})
}
