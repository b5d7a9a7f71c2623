package eventio_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/parcours-go/parcours/journey"
	"github.com/parcours-go/parcours/journey/eventio"
)

func TestParseTime(t *testing.T) {
	paris, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		t.Fatal(err)
	}
	ref := time.Date(2025, 3, 1, 9, 30, 0, 0, time.UTC)
	tests := []struct {
		name, reason, in string
		opt              eventio.ReadOptions
		want             time.Time
		err              error
	}{
		{name: "export", reason: "the space-separated form exports write, as UTC", in: "2025-03-01 09:30:00", want: ref},
		{name: "rfc3339 offset", reason: "an offset is honoured", in: "2025-03-01T10:30:00+01:00", want: ref},
		{name: "location", reason: "no zone: ReadOptions.Location", in: "2025-03-01 10:30:00", opt: eventio.ReadOptions{Location: paris}, want: ref},
		{name: "unix seconds", reason: "a small number is seconds", in: "1740821400", want: ref},
		{name: "unix millis", reason: "13 digits are milliseconds", in: "1740821400000", want: ref},
		{name: "layout", reason: "a Go layout", in: "01/03/2025 09:30", opt: eventio.ReadOptions{Time: eventio.TimeLayout, Layout: "02/01/2006 15:04"}, want: ref},
		{name: "bad", reason: "not a time", in: "yesterday", err: journey.ErrBadTime},
		{name: "layout without layout", reason: "bad options", in: "2025-03-01", opt: eventio.ReadOptions{Time: eventio.TimeLayout}, err: eventio.ErrBadOptions},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := eventio.ParseTime([]byte(tc.in), tc.opt)
			if tc.err != nil {
				if !errors.Is(err, tc.err) {
					t.Fatalf("ParseTime(%q) error %v, want one wrapping %v (%s)", tc.in, err, tc.err, tc.reason)
				}
				return
			}
			if err != nil || !got.Equal(tc.want) {
				t.Fatalf("ParseTime(%q) = %v, %v; want %v (%s)", tc.in, got, err, tc.want, tc.reason)
			}
		})
	}
}

func TestUnixTime(t *testing.T) {
	ref := time.Date(2025, 3, 1, 9, 30, 0, 0, time.UTC) // 1740821400 s
	tests := []struct {
		name, reason string
		n            int64
		f            eventio.TimeFormat
		want         time.Time
		err          error
	}{
		{name: "auto seconds", reason: "below 10^11", n: 1740821400, want: ref},
		{name: "auto millis", reason: "below 10^14", n: 1740821400123, want: ref.Add(123 * time.Millisecond)},
		{name: "auto micros", reason: "below 10^17", n: 1740821400123456, want: ref.Add(123456 * time.Microsecond)},
		{name: "auto nanos", reason: "above", n: 1740821400123456789, want: ref.Add(123456789)},
		{name: "auto negative seconds", reason: "the magnitude decides", n: -86400, want: time.Unix(-86400, 0)},
		{name: "explicit millis", reason: "a small number in ms", n: 1000, f: eventio.TimeUnixMilli, want: time.Unix(1, 0)},
		{name: "explicit nanos", reason: "as is", n: 5, f: eventio.TimeUnixNano, want: time.Unix(0, 5)},
		{name: "auto past 2262", reason: "just below 10^11 is seconds, the year 5138", n: 99_999_999_999, err: journey.ErrBadTime},
		{name: "out of range", reason: "seconds past 2262", n: 10_000_000_000, f: eventio.TimeUnix, err: journey.ErrBadTime},
		{name: "text format", reason: "RFC 3339 does not read numbers", n: 1, f: eventio.TimeRFC3339, err: eventio.ErrBadOptions},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := eventio.UnixTime(tc.n, eventio.ReadOptions{Time: tc.f})
			if tc.err != nil {
				if !errors.Is(err, tc.err) {
					t.Fatalf("UnixTime(%d) error %v, want one wrapping %v (%s)", tc.n, err, tc.err, tc.reason)
				}
				return
			}
			if err != nil || !got.Equal(tc.want) {
				t.Fatalf("UnixTime(%d) = %v, %v; want %v (%s)", tc.n, got, err, tc.want, tc.reason)
			}
		})
	}
}

func TestReportSkip(t *testing.T) {
	var r eventio.Report
	for i := range eventio.MaxExamples + 2 {
		r.Skip(&eventio.RowError{Line: i + 1, Field: "ts", Err: journey.ErrBadTime})
	}
	r.Skip(&eventio.RowError{Line: 99, Field: "customer", Format: "parquet", Err: journey.ErrMissingCustomer})
	if r.Skipped != eventio.MaxExamples+3 || r.Reasons[journey.ErrBadTime] != eventio.MaxExamples+2 || r.Reasons[journey.ErrMissingCustomer] != 1 {
		t.Fatalf("report %+v: want %d skipped, %d bad times and 1 missing customer", r, eventio.MaxExamples+3, eventio.MaxExamples+2)
	}
	if len(r.Examples) != eventio.MaxExamples || r.Examples[0].Line != 1 {
		t.Fatalf("%d examples, first %v; want %d from line 1", len(r.Examples), r.Examples[0], eventio.MaxExamples)
	}
	msg := (&eventio.RowError{Line: 12, Field: "ts", Format: "parquet", Err: errors.New("boom")}).Error()
	if msg != `eventio: parquet: row 12: column "ts": boom` {
		t.Fatalf("parquet row error reads %q", msg)
	}
	if s := r.String(); !strings.Contains(s, "\n  7: bad time\n") {
		t.Fatalf("report string %q lacks the count of bad times", s)
	}
}
