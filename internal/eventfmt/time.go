package eventfmt

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
)

// TimeFormat says how a reader parses times; package eventio documents
// the formats.
type TimeFormat uint8

const (
	TimeAuto TimeFormat = iota
	TimeRFC3339
	TimeUnix
	TimeUnixMilli
	TimeUnixMicro
	TimeUnixNano
	TimeLayout
	NumTimeFormats
)

var timeFormatNames = [NumTimeFormats]string{"auto", "rfc3339", "unix", "unixmilli", "unixmicro", "unixnano", "layout"}

// ErrUnknownTimeFormat is wrapped by the errors of ParseTimeFormat.
var ErrUnknownTimeFormat = errors.New("unknown time format")

// String returns the name of f.
func (f TimeFormat) String() string {
	if f < NumTimeFormats {
		return timeFormatNames[f]
	}
	return "TimeFormat(" + strconv.Itoa(int(f)) + ")"
}

// ParseTimeFormat returns the time format named s, ignoring case; it also
// accepts "" for auto and "unixms", "unixus" and "unixns". prefix starts
// the error message.
func ParseTimeFormat(prefix, s string) (TimeFormat, error) {
	switch k := strings.ToLower(s); k {
	case "":
		return TimeAuto, nil
	case "unixms":
		return TimeUnixMilli, nil
	case "unixus":
		return TimeUnixMicro, nil
	case "unixns":
		return TimeUnixNano, nil
	default:
		for f, name := range timeFormatNames {
			if k == name {
				return TimeFormat(f), nil
			}
		}
	}
	return 0, fmt.Errorf("%s: %w %q (want auto, rfc3339, unix, unixmilli, unixmicro, unixnano or layout)", prefix, ErrUnknownTimeFormat, s)
}

// MarshalText returns the name of f; prefix starts the error message.
func (f TimeFormat) MarshalText(prefix string) ([]byte, error) {
	if f >= NumTimeFormats {
		return nil, fmt.Errorf("%s: cannot marshal %v", prefix, f)
	}
	return []byte(f.String()), nil
}

// The range of times a log holds: Unix nanoseconds in an int64.
var (
	minTime = time.Unix(0, math.MinInt64)
	maxTime = time.Unix(0, math.MaxInt64)
)

// fieldError is a problem with one field whose message is its own but
// which wraps a sentinel, so that errors.Is sees the sentinel without its
// text repeating in the message.
type fieldError struct {
	msg string
	err error
}

func (e *fieldError) Error() string { return e.msg }
func (e *fieldError) Unwrap() error { return e.err }

// quoteCell quotes a cell for an error message, cut to 40 bytes.
func quoteCell(b []byte) string {
	const n = 40
	if len(b) > n {
		return strconv.Quote(string(b[:n])) + "…"
	}
	return strconv.Quote(string(b))
}

// timeParser parses times as a reader's options say.
type timeParser struct {
	format TimeFormat
	layout string
	loc    *time.Location
}

// parse returns the time in b as Unix nanoseconds.
func (p *timeParser) parse(b []byte) (int64, error) {
	switch p.format {
	case TimeAuto:
		if len(b) >= 10 && b[4] == '-' {
			if ns, ok, err := parseDateTime(b, p.loc, false); ok {
				return ns, err
			}
		} else if isDecimal(b) {
			return p.unix(b, unixExp(b))
		}
		return p.slowRFC3339(b, autoWant)
	case TimeRFC3339:
		if ns, ok, err := parseDateTime(b, nil, true); ok {
			return ns, err
		}
		return p.slowRFC3339(b, "want RFC 3339")
	case TimeUnix:
		return p.unix(b, 9)
	case TimeUnixMilli:
		return p.unix(b, 6)
	case TimeUnixMicro:
		return p.unix(b, 3)
	case TimeUnixNano:
		return p.unix(b, 0)
	}
	t, err := time.ParseInLocation(p.layout, string(b), p.loc)
	if err != nil {
		return 0, &fieldError{fmt.Sprintf("cannot parse %s with layout %q: %v", quoteCell(b), p.layout, err), ErrBadTime}
	}
	return timeNanos(t)
}

const autoWant = "want a date such as 2006-01-02, a date and time such as 2006-01-02 15:04:05 or 2006-01-02T15:04:05Z, or a Unix time"

// The magnitudes that tell Unix seconds, milliseconds, microseconds and
// nanoseconds apart in TimeAuto: a number whose integer part is below
// 10^11 in absolute value is seconds (10^11 seconds is the year 5138, past
// what a log holds), below 10^14 milliseconds (10^11 ms is 1973-03-03),
// below 10^17 microseconds, and nanoseconds above. Milliseconds,
// microseconds and nanoseconds are thus told apart for times from
// 1973-03-03 to 5138, which holds every export a log can hold after 1973.
const (
	autoMilli = 1e11
	autoMicro = 1e14
	autoNano  = 1e17
)

// unixExp returns the exponent of the unit TimeAuto reads a decimal
// number in: 9 for seconds, 6, 3 or 0.
func unixExp(b []byte) int {
	if b[0] == '-' || b[0] == '+' {
		b = b[1:]
	}
	var v uint64
	for _, c := range b {
		if c == '.' {
			break
		}
		v = v*10 + uint64(c-'0')
		if v >= autoNano {
			return 0
		}
	}
	switch {
	case v < autoMilli:
		return 9
	case v < autoMicro:
		return 6
	}
	return 3
}

// slowRFC3339 parses what the fast path declined, with time.Parse.
func (p *timeParser) slowRFC3339(b []byte, want string) (int64, error) {
	t, err := time.Parse(time.RFC3339Nano, string(b))
	if err != nil {
		return 0, &fieldError{fmt.Sprintf("cannot parse %s as a time (%s)", quoteCell(b), want), ErrBadTime}
	}
	return timeNanos(t)
}

// timeNanos returns t in Unix nanoseconds, or an error if a Log cannot
// hold it.
func timeNanos(t time.Time) (int64, error) {
	if t.Before(minTime) || t.After(maxTime) {
		return 0, errTimeRange(t.UTC().Format(time.RFC3339Nano))
	}
	return t.UnixNano(), nil
}

func errTimeRange(s string) error {
	return &fieldError{fmt.Sprintf("time %s is out of range (the log holds years 1678 to 2262)", s), ErrBadTime}
}

// unix parses b as a decimal number of Unix seconds (exp 9), milliseconds
// (6), microseconds (3) or nanoseconds (0).
func (p *timeParser) unix(b []byte, exp int) (int64, error) {
	ns, err := parseUnix(b, exp)
	if err == errOverflow {
		msg := fmt.Sprintf("Unix time %s is out of range (the log holds years 1678 to 2262)", quoteCell(b))
		if exp == 9 {
			if _, err := parseUnix(b, 6); err == nil {
				msg += "; if it is in milliseconds, read with TimeUnixMilli"
			}
		}
		return 0, &fieldError{msg, ErrBadTime}
	}
	if err != nil {
		return 0, &fieldError{fmt.Sprintf("cannot parse %s as a time (want %s)", quoteCell(b), unixWant[exp/3]), ErrBadTime}
	}
	return ns, nil
}

var unixWant = [4]string{"Unix nanoseconds", "Unix microseconds", "Unix milliseconds", "Unix seconds"}

var (
	errOverflow = errors.New("overflow")
	errSyntax   = errors.New("syntax")
)

// isDecimal reports whether b has the syntax parseUnix accepts.
func isDecimal(b []byte) bool {
	if len(b) > 0 && (b[0] == '-' || b[0] == '+') {
		b = b[1:]
	}
	digits, dot := 0, false
	for _, c := range b {
		switch {
		case '0' <= c && c <= '9':
			digits++
		case c == '.' && !dot:
			dot = true
		default:
			return false
		}
	}
	return digits > 0
}

// parseUnix parses an optional sign, digits and an optional decimal
// fraction, in units of 10^exp nanoseconds, exactly; digits below the
// nanosecond are dropped (the result is truncated toward zero).
func parseUnix(b []byte, exp int) (int64, error) {
	if !isDecimal(b) {
		return 0, errSyntax
	}
	neg := b[0] == '-'
	if b[0] == '-' || b[0] == '+' {
		b = b[1:]
	}
	// The magnitude accumulates in a uint64; the limit is 2^63 for a
	// negative result and 2^63-1 for a positive one.
	limit := uint64(math.MaxInt64)
	if neg {
		limit++
	}
	var mag uint64
	i := 0
	for ; i < len(b) && b[i] != '.'; i++ {
		d := uint64(b[i] - '0')
		if mag > (limit-d)/10 {
			return 0, errOverflow
		}
		mag = mag*10 + d
	}
	// Scale the integer part to nanoseconds.
	for range exp {
		if mag > limit/10 {
			return 0, errOverflow
		}
		mag *= 10
	}
	if i < len(b) { // a fraction: its first exp digits count
		frac := b[i+1:]
		var f uint64
		for k := range exp {
			f *= 10
			if k < len(frac) {
				f += uint64(frac[k] - '0')
			}
		}
		if mag > limit-f {
			return 0, errOverflow
		}
		mag += f
	}
	if neg {
		return int64(-mag), nil // -2^63 wraps to itself, as it should
	}
	return int64(mag), nil
}

// The bounds of the seconds of an int64 of nanoseconds.
const (
	maxUnixSec     = math.MaxInt64 / 1_000_000_000 // 9223372036, with at most 854775807 ns
	maxUnixSecFrac = math.MaxInt64 % 1_000_000_000
	minUnixSec     = math.MinInt64/1_000_000_000 - 1 // -9223372037, with at least 145224192 ns
	minUnixSecFrac = 1_000_000_000 + math.MinInt64%1_000_000_000
)

// parseDateTime parses the common forms of date and time into Unix
// nanoseconds, without time.Parse:
//
//	YYYY-MM-DD[(T| )HH:MM[:SS[.F…]]][zone]
//
// with fractional digits (those below the nanosecond dropped), where the zone is Z, ±HH, ±HHMM, ±HH:MM or
// " UTC" (a space before an offset is accepted too); without a zone the
// time is in loc. strict accepts RFC 3339 alone: T, seconds, and a zone Z
// or ±HH:MM. ok is false when b is in no such form (the caller then falls
// back to time.Parse); when ok is true the result is the instant
// time.Parse gives with the matching layout, or an error wrapping
// ErrBadTime when a log cannot hold it.
func parseDateTime(b []byte, loc *time.Location, strict bool) (ns int64, ok bool, err error) {
	if len(b) < 10 || b[4] != '-' || b[7] != '-' {
		return 0, false, nil
	}
	year, ok1 := digits(b[0:4])
	month, ok2 := digits(b[5:7])
	day, ok3 := digits(b[8:10])
	if !(ok1 && ok2 && ok3) || month < 1 || month > 12 || day < 1 || day > daysIn(year, month) {
		return 0, false, nil
	}
	var hour, minute, sec int
	var frac int64
	i := 10
	if i < len(b) && (b[i] == 'T' || b[i] == ' ' && !strict) && len(b) >= i+6 && b[i+3] == ':' {
		h, okh := digits(b[i+1 : i+3])
		m, okm := digits(b[i+4 : i+6])
		if !okh || !okm || h > 23 || m > 59 {
			return 0, false, nil
		}
		hour, minute = h, m
		i += 6
		if i < len(b) && b[i] == ':' {
			if len(b) < i+3 {
				return 0, false, nil
			}
			s, oks := digits(b[i+1 : i+3])
			if !oks || s > 59 {
				return 0, false, nil
			}
			sec = s
			i += 3
			if i < len(b) && b[i] == '.' {
				i++
				start := i
				for i < len(b) && '0' <= b[i] && b[i] <= '9' {
					if i-start < 9 { // digits below the nanosecond are dropped, as time.Parse drops them
						frac = frac*10 + int64(b[i]-'0')
					}
					i++
				}
				n := i - start
				if n == 0 {
					return 0, false, nil
				}
				for range 9 - min(n, 9) {
					frac *= 10
				}
			}
		} else if strict {
			return 0, false, nil
		}
	} else if strict {
		return 0, false, nil
	}
	if i == 10 && i < len(b) {
		return 0, false, nil // a zone needs a time
	}
	off, zoned, ok := parseZone(b[i:], strict)
	if !ok {
		return 0, false, nil
	}
	var secs int64
	if !zoned && loc != nil && loc != time.UTC {
		t := time.Date(year, time.Month(month), day, hour, minute, sec, int(frac), loc)
		ns, err := timeNanos(t)
		return ns, true, err
	}
	secs = daysFromCivil(year, month, day)*86400 + int64(hour*3600+minute*60+sec) - off
	if secs > maxUnixSec || secs == maxUnixSec && frac > maxUnixSecFrac ||
		secs < minUnixSec || secs == minUnixSec && frac < minUnixSecFrac {
		return 0, true, errTimeRange(string(b))
	}
	return secs*1e9 + frac, true, nil
}

// parseZone parses what follows the time: nothing, or a zone; off is its
// offset east of UTC in seconds.
func parseZone(z []byte, strict bool) (off int64, zoned, ok bool) {
	if len(z) == 0 {
		return 0, false, !strict
	}
	if !strict && z[0] == ' ' {
		z = z[1:]
		if string(z) == "UTC" {
			return 0, true, true
		}
	}
	switch {
	case string(z) == "Z":
		return 0, true, true
	case len(z) < 3 || z[0] != '+' && z[0] != '-':
		return 0, false, false
	}
	oh, okh := digits(z[1:3])
	om, okm := 0, true
	switch {
	case len(z) == 6 && z[3] == ':':
		om, okm = digits(z[4:6])
	case strict:
		return 0, false, false
	case len(z) == 5:
		om, okm = digits(z[3:5])
	case len(z) != 3:
		return 0, false, false
	}
	if !okh || !okm || oh > 23 || om > 59 {
		return 0, false, false
	}
	off = int64(oh*3600 + om*60)
	if z[0] == '-' {
		off = -off
	}
	return off, true, true
}

// digits parses a short run of ASCII digits.
func digits(b []byte) (int, bool) {
	n := 0
	for _, c := range b {
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int(c-'0')
	}
	return n, true
}

func isLeap(y int) bool { return y%4 == 0 && (y%100 != 0 || y%400 == 0) }

func daysIn(year, month int) int {
	switch month {
	case 2:
		if isLeap(year) {
			return 29
		}
		return 28
	case 4, 6, 9, 11:
		return 30
	}
	return 31
}

// daysFromCivil returns the number of days from 1970-01-01 to the given
// date of the proleptic Gregorian calendar. It counts in 400-year eras
// whose years start in March, so that the leap day ends a year.
func daysFromCivil(y, m, d int) int64 {
	if m <= 2 {
		y--
	}
	era := y / 400
	if y < 0 && y%400 != 0 {
		era--
	}
	yoe := y - era*400                     // [0, 399]
	mp := (m + 9) % 12                     // March is 0
	doy := (153*mp+2)/5 + d - 1            // [0, 365]
	doe := yoe*365 + yoe/4 - yoe/100 + doy // [0, 146096]
	return int64(era)*146097 + int64(doe) - 719468
}

// civilFromDays is the inverse of daysFromCivil.
func civilFromDays(z int64) (y, m, d int) {
	z += 719468
	era := z / 146097
	if z < 0 && z%146097 != 0 {
		era--
	}
	doe := int(z - era*146097)                             // [0, 146096]
	yoe := (doe - doe/1460 + doe/36524 - doe/146096) / 365 // [0, 399]
	doy := doe - (365*yoe + yoe/4 - yoe/100)               // [0, 365]
	mp := (5*doy + 2) / 153                                // [0, 11]
	d = doy - (153*mp+2)/5 + 1
	m = mp + 3
	if m > 12 {
		m -= 12
	}
	y = yoe + int(era)*400
	if m <= 2 {
		y++
	}
	return y, m, d
}

// appendTime appends ns, Unix nanoseconds, in RFC 3339 in UTC with as many
// fractional digits as needed (none for a whole second), exactly as
// time.Time.AppendFormat with time.RFC3339Nano does for years 1000 to 9999.
func appendTime(dst []byte, ns int64) []byte {
	secs := ns / 1e9
	frac := ns % 1e9
	if frac < 0 {
		secs--
		frac += 1e9
	}
	days := secs / 86400
	rem := int(secs % 86400)
	if rem < 0 {
		days--
		rem += 86400
	}
	y, m, d := civilFromDays(days)
	dst = append4(dst, y)
	dst = append(dst, '-')
	dst = append2(dst, m)
	dst = append(dst, '-')
	dst = append2(dst, d)
	dst = append(dst, 'T')
	dst = append2(dst, rem/3600)
	dst = append(dst, ':')
	dst = append2(dst, rem/60%60)
	dst = append(dst, ':')
	dst = append2(dst, rem%60)
	if frac != 0 {
		var buf [10]byte
		buf[0] = '.'
		n := 9
		for k := 9; k >= 1; k-- {
			buf[k] = byte('0' + frac%10)
			frac /= 10
		}
		for buf[n] == '0' {
			n--
		}
		dst = append(dst, buf[:n+1]...)
	}
	return append(dst, 'Z')
}

func append2(dst []byte, n int) []byte { return append(dst, byte('0'+n/10), byte('0'+n%10)) }

func append4(dst []byte, n int) []byte {
	return append(dst, byte('0'+n/1000), byte('0'+n/100%10), byte('0'+n/10%10), byte('0'+n%10))
}

// ParseTime returns the time in b as Unix nanoseconds, parsed as a
// reader with these options parses a time cell. loc nil means UTC.
func ParseTime(b []byte, f TimeFormat, layout string, loc *time.Location) (int64, error) {
	if err := checkTimeFormat(f, layout); err != nil {
		return 0, err
	}
	if loc == nil {
		loc = time.UTC
	}
	p := timeParser{format: f, layout: layout, loc: loc}
	return p.parse(b)
}

// UnixNanos returns the Unix time n as nanoseconds, in the unit f names
// (TimeUnix, TimeUnixMilli, TimeUnixMicro, TimeUnixNano) or, with
// TimeAuto, in the unit its magnitude tells, as for a decimal cell.
func UnixNanos(n int64, f TimeFormat) (int64, error) {
	exp := 0
	switch f {
	case TimeAuto:
		a := uint64(n)
		if n < 0 {
			a = -a
		}
		switch {
		case a < autoMilli:
			exp = 9
		case a < autoMicro:
			exp = 6
		case a < autoNano:
			exp = 3
		}
	case TimeUnix:
		exp = 9
	case TimeUnixMilli:
		exp = 6
	case TimeUnixMicro:
		exp = 3
	case TimeUnixNano:
	default:
		return 0, fmt.Errorf("%w: time format %v does not read numbers", ErrBadOptions, f)
	}
	ns := n
	for range exp {
		if ns > math.MaxInt64/10 || ns < math.MinInt64/10 {
			return 0, &fieldError{fmt.Sprintf("Unix time %d (%s) is out of range (the log holds years 1678 to 2262)", n, unixWant[exp/3]), ErrBadTime}
		}
		ns *= 10
	}
	return ns, nil
}

// checkTimeFormat reports options of the time parser that make no sense.
func checkTimeFormat(f TimeFormat, layout string) error {
	switch {
	case f >= NumTimeFormats:
		return fmt.Errorf("%w: unknown time format %v", ErrBadOptions, f)
	case f == TimeLayout && layout == "":
		return fmt.Errorf("%w: time format layout needs a Layout", ErrBadOptions)
	}
	return nil
}
