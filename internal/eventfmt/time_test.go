package eventfmt

import (
	"errors"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// parseRFC3339 is the strict fast path of TimeRFC3339.
func parseRFC3339(b []byte) (int64, bool, error) { return parseDateTime(b, nil, true) }

// parseRFC3339Slow is the definition the fast path must agree with.
func parseRFC3339Slow(s string) (int64, bool) {
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil || t.Before(minTime) || t.After(maxTime) {
		return 0, false
	}
	return t.UnixNano(), true
}

var rfc3339Seeds = []string{
	"2025-03-01T09:30:00Z",
	"2025-03-01T09:30:00.123456789Z",
	"2025-03-01T09:30:00.1+01:00",
	"2024-02-29T23:59:59.999999999-23:59",
	"2023-02-29T00:00:00Z",
	"1677-09-21T00:12:43.145224192Z",
	"1677-09-21T00:12:43.145224191Z",
	"2262-04-11T23:47:16.854775807Z",
	"2262-04-11T23:47:16.854775808Z",
	"2262-04-12T01:47:16.854775807+02:00",
	"0000-01-01T00:00:00Z",
	"9999-12-31T23:59:59Z",
	"2025-03-01T24:00:00Z",
	"2025-03-01T09:30:00.Z",
	"2025-03-01T09:30:00.1234567891Z",
	"2025-03-01t09:30:00z",
	"2025-03-01 09:30:00Z",
	"2025-03-01T09:30:00+24:00",
	"2025-03-01T09:30:00,5Z",
	"2025-13-01T09:30:00Z",
	"1970-01-01T00:00:00Z",
	"1969-12-31T23:59:59.5Z",
}

func FuzzParseRFC3339(f *testing.F) {
	for _, s := range rfc3339Seeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		ns, ok, err := parseRFC3339([]byte(s))
		if !ok {
			return // time.Parse decides
		}
		want, wantOK := parseRFC3339Slow(s)
		if (err == nil) != wantOK || err == nil && ns != want {
			t.Fatalf("parseRFC3339(%q) = %d, %v; time.Parse gives %d, %v", s, ns, err, want, wantOK)
		}
	})
}

func TestParseRFC3339Seeds(t *testing.T) {
	for _, s := range rfc3339Seeds {
		p := timeParser{format: TimeRFC3339}
		got, err := p.parse([]byte(s))
		want, ok := parseRFC3339Slow(s)
		if (err == nil) != ok || got != want {
			t.Errorf("%q: got %d, %v; want %d, ok %v", s, got, err, want, ok)
		}
		if err != nil && !errors.Is(err, ErrBadTime) {
			t.Errorf("%q: %v does not wrap ErrBadTime", s, err)
		}
	}
}

func FuzzAppendTime(f *testing.F) {
	for _, ns := range []int64{0, 1, -1, 1e9, -1e9 + 1, math.MaxInt64, math.MinInt64, 1740821400123000000} {
		f.Add(ns)
	}
	f.Fuzz(func(t *testing.T, ns int64) {
		got := string(appendTime(nil, ns))
		want := time.Unix(0, ns).UTC().Format(time.RFC3339Nano)
		if got != want {
			t.Fatalf("appendTime(%d) = %s, want %s", ns, got, want)
		}
		back, ok, err := parseRFC3339([]byte(got))
		if !ok || err != nil || back != ns {
			t.Fatalf("parseRFC3339(%s) = %d, %v, %v; want %d", got, back, ok, err, ns)
		}
	})
}

func TestParseTime(t *testing.T) {
	paris, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		paris = time.FixedZone("CET", 3600)
	}
	ref := time.Date(2025, 3, 1, 9, 30, 0, 0, time.UTC)
	tests := []struct {
		name   string
		reason string
		p      timeParser
		in     string
		want   time.Time
		bad    bool
	}{
		{name: "auto rfc3339", reason: "the common export form", in: "2025-03-01T09:30:00Z", want: ref},
		{name: "auto offset", reason: "offsets move the instant", in: "2025-03-01T10:30:00+01:00", want: ref},
		{name: "auto seconds", reason: "a number is Unix seconds", in: "1740821400", want: ref},
		{name: "auto fraction", reason: "fractional seconds are exact", in: "1740821400.000000001", want: ref.Add(1)},
		{name: "auto negative", reason: "times before 1970", in: "-1.5", want: time.Unix(-2, 5e8)},
		{name: "auto ms", reason: "a number of 10^11 to 10^14 is milliseconds", in: "1740821400001", want: ref.Add(time.Millisecond)},
		{name: "auto us", reason: "a number of 10^14 to 10^17 is microseconds", in: "1740821400000001", want: ref.Add(time.Microsecond)},
		{name: "auto ns", reason: "a number from 10^17 is nanoseconds", in: "1740821400000000001", want: ref.Add(1)},
		{name: "auto s below threshold", reason: "99999999999 is seconds, the year 5138, out of range", in: "99999999999", bad: true},
		{name: "auto ms at threshold", reason: "10^11 is milliseconds: 1973-03-03T09:46:40Z", in: "100000000000", want: time.Date(1973, 3, 3, 9, 46, 40, 0, time.UTC)},
		{name: "auto negative ms", reason: "magnitude decides, whatever the sign", in: "-100000000000", want: time.Date(1966, 10, 31, 14, 13, 20, 0, time.UTC)},
		{name: "auto space", reason: "the form databases write", in: "2025-03-01 09:30:00", want: ref},
		{name: "auto space fraction", reason: "fractional seconds", in: "2025-03-01 09:30:00.25", want: ref.Add(250 * time.Millisecond)},
		{name: "auto long fraction", reason: "digits below the nanosecond are dropped", in: "2025-03-01 09:30:00.0000000019", want: ref.Add(1)},
		{name: "auto no seconds", reason: "spreadsheets write minutes", in: "2025-03-01 09:30", want: ref},
		{name: "auto T no zone", reason: "no zone is UTC", in: "2025-03-01T09:30:00", want: ref},
		{name: "auto no zone location", reason: "no zone is ReadOptions.Location", p: timeParser{loc: paris}, in: "2025-03-01 10:30:00", want: ref},
		{name: "auto zone beats location", reason: "a written zone wins", p: timeParser{loc: paris}, in: "2025-03-01 09:30:00Z", want: ref},
		{name: "auto date", reason: "a date alone is midnight", in: "2025-03-01", want: ref.Add(-570 * time.Minute)},
		{name: "auto date location", reason: "midnight in Location", p: timeParser{loc: paris}, in: "2025-03-02", want: time.Date(2025, 3, 1, 23, 0, 0, 0, time.UTC)},
		{name: "auto short offset", reason: "PostgreSQL writes +01", in: "2025-03-01 10:30:00+01", want: ref},
		{name: "auto compact offset", reason: "ISO 8601 basic offsets", in: "2025-03-01 08:00:00-0130", want: ref},
		{name: "auto space offset", reason: "a space before the offset", in: "2025-03-01 10:30:00 +01:00", want: ref},
		{name: "auto utc word", reason: "BigQuery writes UTC", in: "2025-03-01 09:30:00 UTC", want: ref},
		{name: "auto bad month", reason: "month 13", in: "2024-13-01", bad: true},
		{name: "auto bad day", reason: "no February 30th", in: "2024-02-30 00:00:00", bad: true},
		{name: "auto bad zone", reason: "a zone abbreviation other than UTC", in: "2025-03-01 09:30:00 PST", bad: true},
		{name: "auto trailing", reason: "text after the time", in: "2025-03-01 09:30:00x", bad: true},
		{name: "auto garbage", reason: "text that is no time", in: "yesterday", bad: true},
		{name: "auto empty", reason: "an empty cell is handled by the caller, but must not parse", in: "", bad: true},
		{name: "auto lone sign", reason: "a sign is no number", in: "-", bad: true},
		{name: "auto exponent", reason: "exponents are not accepted", in: "1.7e9", bad: true},
		{name: "rfc3339 rejects numbers", reason: "the format is text only", p: timeParser{format: TimeRFC3339}, in: "1740821400", bad: true},
		{name: "rfc3339 long fraction", reason: "time.Parse handles more than nine digits", p: timeParser{format: TimeRFC3339}, in: "2025-03-01T09:30:00.0000000001Z", want: ref},
		{name: "unix", reason: "seconds", p: timeParser{format: TimeUnix}, in: "+1740821400.5", want: ref.Add(500 * time.Millisecond)},
		{name: "unix rejects text", reason: "seconds only", p: timeParser{format: TimeUnix}, in: "2025-03-01T09:30:00Z", bad: true},
		{name: "milli", reason: "milliseconds", p: timeParser{format: TimeUnixMilli}, in: "1740821400001", want: ref.Add(time.Millisecond)},
		{name: "milli fraction", reason: "a fraction of a millisecond", p: timeParser{format: TimeUnixMilli}, in: "1740821400000.5", want: ref.Add(500 * time.Microsecond)},
		{name: "micro", reason: "microseconds", p: timeParser{format: TimeUnixMicro}, in: "1740821400000001", want: ref.Add(time.Microsecond)},
		{name: "nano", reason: "nanoseconds, the fraction dropped", p: timeParser{format: TimeUnixNano}, in: "1740821400000000001.9", want: ref.Add(1)},
		{name: "nano max", reason: "the largest time a log holds", p: timeParser{format: TimeUnixNano}, in: "9223372036854775807", want: maxTime},
		{name: "nano min", reason: "the smallest time a log holds", p: timeParser{format: TimeUnixNano}, in: "-9223372036854775808", want: minTime},
		{name: "nano overflow", reason: "one past the largest", p: timeParser{format: TimeUnixNano}, in: "9223372036854775808", bad: true},
		{name: "seconds overflow", reason: "beyond 2262", p: timeParser{format: TimeUnix}, in: "99999999999999999999", bad: true},
		{name: "layout utc", reason: "a layout without zone is read in UTC by default", p: timeParser{format: TimeLayout, layout: "2006-01-02 15:04:05", loc: time.UTC}, in: "2025-03-01 09:30:00", want: ref},
		{name: "layout location", reason: "a layout without zone is read in the location", p: timeParser{format: TimeLayout, layout: "02/01/2006 15h04", loc: paris}, in: "01/03/2025 10h30", want: ref},
		{name: "layout bad", reason: "text that does not fit the layout", p: timeParser{format: TimeLayout, layout: "2006-01-02", loc: time.UTC}, in: "01/03/2025", bad: true},
		{name: "auto out of range", reason: "years past 2262", in: "2300-01-01T00:00:00Z", bad: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := tt.p.parse([]byte(tt.in))
			if tt.bad {
				if err == nil || !errors.Is(err, ErrBadTime) {
					t.Fatalf("parse(%q) = %d, %v; want an error wrapping ErrBadTime (%s)", tt.in, got, err, tt.reason)
				}
				return
			}
			if err != nil {
				t.Fatalf("parse(%q): %v (%s)", tt.in, err, tt.reason)
			}
			if diff := cmp.Diff(tt.want.UnixNano(), got); diff != "" {
				t.Errorf("parse(%q) (-want +got):\n%s (%s)", tt.in, diff, tt.reason)
			}
		})
	}
}

func TestTimeFormatText(t *testing.T) {
	for f := range NumTimeFormats {
		b, err := f.MarshalText("x")
		if err != nil {
			t.Fatal(err)
		}
		if g, err := ParseTimeFormat("x", string(b)); err != nil || g != f {
			t.Errorf("%v: round trip gives %v, %v", f, g, err)
		}
	}
	if f, err := ParseTimeFormat("x", "UnixMS"); err != nil || f != TimeUnixMilli {
		t.Errorf("ParseTimeFormat(UnixMS) = %v, %v", f, err)
	}
	if _, err := ParseTimeFormat("x", "weekly"); !errors.Is(err, ErrUnknownTimeFormat) {
		t.Errorf("ParseTimeFormat(weekly) = %v, want ErrUnknownTimeFormat", err)
	}
	if _, err := TimeFormat(99).MarshalText("x"); err == nil {
		t.Error("MarshalText of an unknown format succeeded")
	}
}

func TestMillisecondsHint(t *testing.T) {
	p := timeParser{format: TimeUnix}
	_, err := p.parse([]byte("1740821400000"))
	if err == nil {
		t.Fatal("no error")
	}
	if want := "TimeUnixMilli"; !strings.Contains(err.Error(), want) {
		t.Errorf("error %q does not suggest %s", err, want)
	}
}
