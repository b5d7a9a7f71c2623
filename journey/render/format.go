package render

import (
	"math"
	"strconv"
	"strings"
	"time"
)

// thousands writes n with a comma between groups of three digits:
// 1204 is "1,204".
func thousands(n int64) string {
	s := strconv.FormatInt(n, 10)
	neg := strings.HasPrefix(s, "-")
	if neg {
		s = s[1:]
	}
	var b strings.Builder
	if neg {
		b.WriteByte('-')
	}
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	return b.String()
}

// count writes a count with thousands separators.
func count(n int) string { return thousands(int64(n)) }

// share writes part/whole as a percentage, or "–" when whole is 0.
func share(part, whole float64) string {
	if whole == 0 || math.IsNaN(part/whole) {
		return "–"
	}
	return percent(part / whole)
}

// clamp01 returns v in [0, 1], 0 for NaN: a table cell's bar.
func clamp01(v float64) float64 {
	if !(v > 0) {
		return 0
	}
	return min(v, 1)
}

// Duration returns d as the reports, the pictures and the example
// programs write it: rounded to at most two units, "45 s", "12 min",
// "2 h 5 min", "3 d 4 h". Zero is "0 s", a duration under half a second
// "under 1 s", and a negative one takes a minus sign ("−2 min"). It
// costs a few allocations and never fails.
func Duration(d time.Duration) string {
	if d < 0 {
		return "−" + Duration(-d)
	}
	if d == 0 {
		return "0 s"
	}
	if d < time.Second/2 {
		return "under 1 s"
	}
	if d = d.Round(time.Second); d < time.Minute {
		return strconv.Itoa(int(d/time.Second)) + " s"
	}
	if d = d.Round(time.Minute); d < time.Hour {
		return strconv.Itoa(int(d/time.Minute)) + " min"
	}
	if d < 24*time.Hour {
		h, m := int(d/time.Hour), int(d%time.Hour/time.Minute)
		if m == 0 {
			return strconv.Itoa(h) + " h"
		}
		return strconv.Itoa(h) + " h " + strconv.Itoa(m) + " min"
	}
	d = d.Round(time.Hour)
	days, h := int(d/(24*time.Hour)), int(d%(24*time.Hour)/time.Hour)
	if h == 0 {
		return strconv.Itoa(days) + " d"
	}
	return strconv.Itoa(days) + " d " + strconv.Itoa(h) + " h"
}
