package journey

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
)

// TimeFormat says how a reader parses the time of an event. Whatever the
// format, a time must lie between the years 1678 and 2262 (a Log holds
// times as int64 nanoseconds); outside that range the row is bad and its
// error wraps ErrBadTime.
type TimeFormat uint8

const (
	// TimeAuto, the zero value, accepts RFC 3339 text (as TimeRFC3339 does)
	// and decimal numbers, read as Unix seconds (as TimeUnix does). A
	// number too large for seconds is an error that suggests TimeUnixMilli:
	// numbers are never guessed to be milliseconds.
	TimeAuto TimeFormat = iota
	// TimeRFC3339 accepts RFC 3339 text such as 2025-03-01T09:30:00Z or
	// 2025-03-01T10:30:00.123+01:00, with or without fractional seconds,
	// as time.Parse with time.RFC3339Nano does.
	TimeRFC3339
	// TimeUnix accepts Unix seconds: an optional sign, digits and an
	// optional decimal fraction (1740821400, 1740821400.25, -1.5). Digits
	// beyond the nanosecond are ignored; exponents are not accepted.
	TimeUnix
	// TimeUnixMilli accepts Unix milliseconds, written as for TimeUnix.
	TimeUnixMilli
	// TimeUnixMicro accepts Unix microseconds, written as for TimeUnix.
	TimeUnixMicro
	// TimeUnixNano accepts Unix nanoseconds, written as for TimeUnix.
	TimeUnixNano
	// TimeLayout parses with ReadOptions.Layout, a Go time layout (see
	// time.Layout), in ReadOptions.Location when the layout has no zone.
	TimeLayout
)

const numTimeFormats = 7

var timeFormatNames = [numTimeFormats]string{"auto", "rfc3339", "unix", "unixmilli", "unixmicro", "unixnano", "layout"}

// ErrUnknownTimeFormat is wrapped by the errors of ParseTimeFormat.
var ErrUnknownTimeFormat = errors.New("unknown time format")

// String returns the name of f: auto, rfc3339, unix, unixmilli, unixmicro,
// unixnano or layout.
func (f TimeFormat) String() string {
	if f < numTimeFormats {
		return timeFormatNames[f]
	}
	return "TimeFormat(" + strconv.Itoa(int(f)) + ")"
}

// ParseTimeFormat returns the time format named s, as String names it,
// ignoring case; it also accepts "" for auto and "unixms", "unixus" and
// "unixns".
func ParseTimeFormat(s string) (TimeFormat, error) {
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
	return 0, fmt.Errorf("journey: %w %q (want auto, rfc3339, unix, unixmilli, unixmicro, unixnano or layout)", ErrUnknownTimeFormat, s)
}

// MarshalText implements encoding.TextMarshaler.
func (f TimeFormat) MarshalText() ([]byte, error) {
	if f >= numTimeFormats {
		return nil, fmt.Errorf("journey: cannot marshal %v", f)
	}
	return []byte(f.String()), nil
}

// UnmarshalText implements encoding.TextUnmarshaler, accepting what
// ParseTimeFormat accepts.
func (f *TimeFormat) UnmarshalText(text []byte) error {
	v, err := ParseTimeFormat(string(text))
	if err != nil {
		return err
	}
	*f = v
	return nil
}

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
		if ns, ok, err := parseRFC3339(b); ok {
			return ns, err
		}
		if isDecimal(b) {
			return p.unix(b, 9)
		}
		return p.slowRFC3339(b, "want RFC 3339 or Unix seconds")
	case TimeRFC3339:
		if ns, ok, err := parseRFC3339(b); ok {
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

// parseRFC3339 parses the common form of RFC 3339,
// YYYY-MM-DDTHH:MM:SS[.F…](Z|±HH:MM) with 1 to 9 fractional digits, into
// Unix nanoseconds. ok is false when b is not in that form (the caller
// then falls back to time.Parse, which handles the rest); when ok is true
// the result is what time.Parse(time.RFC3339Nano) gives, or an error
// wrapping ErrBadTime when the time is out of the range of a Log.
func parseRFC3339(b []byte) (ns int64, ok bool, err error) {
	if len(b) < 20 || b[4] != '-' || b[7] != '-' || b[10] != 'T' || b[13] != ':' || b[16] != ':' {
		return 0, false, nil
	}
	year, ok1 := digits(b[0:4])
	month, ok2 := digits(b[5:7])
	day, ok3 := digits(b[8:10])
	hour, ok4 := digits(b[11:13])
	minute, ok5 := digits(b[14:16])
	sec, ok6 := digits(b[17:19])
	if !(ok1 && ok2 && ok3 && ok4 && ok5 && ok6) {
		return 0, false, nil
	}
	if month < 1 || month > 12 || day < 1 || day > daysIn(year, month) || hour > 23 || minute > 59 || sec > 59 {
		return 0, false, nil
	}
	i := 19
	var frac int64
	if b[i] == '.' {
		i++
		start := i
		for i < len(b) && '0' <= b[i] && b[i] <= '9' {
			frac = frac*10 + int64(b[i]-'0')
			i++
			if i-start > 9 {
				return 0, false, nil
			}
		}
		n := i - start
		if n == 0 {
			return 0, false, nil
		}
		for range 9 - n {
			frac *= 10
		}
	}
	var off int64
	switch {
	case i == len(b)-1 && b[i] == 'Z':
	case i == len(b)-6 && (b[i] == '+' || b[i] == '-') && b[i+3] == ':':
		oh, ok1 := digits(b[i+1 : i+3])
		om, ok2 := digits(b[i+4 : i+6])
		if !ok1 || !ok2 || oh > 23 || om > 59 {
			return 0, false, nil
		}
		off = int64(oh*3600 + om*60)
		if b[i] == '-' {
			off = -off
		}
	default:
		return 0, false, nil
	}
	secs := daysFromCivil(year, month, day)*86400 + int64(hour*3600+minute*60+sec) - off
	if secs > maxUnixSec || secs == maxUnixSec && frac > maxUnixSecFrac ||
		secs < minUnixSec || secs == minUnixSec && frac < minUnixSecFrac {
		return 0, true, errTimeRange(string(b))
	}
	return secs*1e9 + frac, true, nil
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
