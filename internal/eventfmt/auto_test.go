package eventfmt

import (
	"fmt"
	"math/big"
	"math/rand/v2"
	"strings"
	"testing"
	"time"
)

// autoLayouts are the time.Parse layouts of the text forms TimeAuto
// accepts; time.Parse is the independent reference of the fast path.
var autoLayouts = func() []string {
	var ls []string
	for _, base := range []string{"2006-01-02", "2006-01-02T15:04", "2006-01-02 15:04", "2006-01-02T15:04:05", "2006-01-02 15:04:05"} {
		for _, zone := range []string{"", "Z07:00", "Z0700", "Z07", " Z07:00", " Z0700", " Z07", " MST"} {
			if base == "2006-01-02" && zone != "" {
				continue
			}
			ls = append(ls, base+zone)
		}
	}
	return ls
}()

// autoSlow returns what TimeAuto should read in s, by time.Parse for text
// and exact rational arithmetic for numbers; ok is false if s is no time
// a log holds.
func autoSlow(s string, loc *time.Location) (int64, bool) {
	if isDecimal([]byte(s)) {
		r, ok := new(big.Rat).SetString(strings.TrimPrefix(s, "+"))
		if !ok {
			return 0, false
		}
		mag := new(big.Int).Quo(r.Num(), r.Denom())
		mag.Abs(mag)
		unit := int64(1e9)
		switch {
		case mag.Cmp(big.NewInt(1e11)) < 0:
		case mag.Cmp(big.NewInt(1e14)) < 0:
			unit = 1e6
		case mag.Cmp(big.NewInt(1e17)) < 0:
			unit = 1e3
		default:
			unit = 1
		}
		r.Mul(r, new(big.Rat).SetInt64(unit))
		ns := new(big.Int).Quo(r.Num(), r.Denom()) // truncated toward zero
		if !ns.IsInt64() {
			return 0, false
		}
		return ns.Int64(), true
	}
	for _, layout := range autoLayouts {
		if strings.HasSuffix(layout, "MST") && !strings.HasSuffix(s, " UTC") {
			continue // time.Parse invents zones for other abbreviations
		}
		t, err := time.ParseInLocation(layout, s, loc)
		if err != nil {
			continue
		}
		if t.Before(minTime) || t.After(maxTime) {
			return 0, false
		}
		return t.UnixNano(), true
	}
	return 0, false
}

// randomTime writes a random time in one of the forms TimeAuto accepts.
func randomTime(r *rand.Rand) string {
	if r.IntN(4) == 0 {
		var v string
		switch r.IntN(4) {
		case 0:
			v = fmt.Sprint(r.Int64N(9e9) - 2e9)
		case 1:
			v = fmt.Sprint(r.Int64N(9e12) + 1e11)
		case 2:
			v = fmt.Sprint(r.Int64N(9e15) + 1e14)
		default:
			v = fmt.Sprint(r.Int64N(9e18) + 1e17)
		}
		if r.IntN(3) == 0 {
			v += "." + fmt.Sprint(r.IntN(1e6))
		}
		if r.IntN(4) == 0 {
			v = "-" + v
		}
		return v
	}
	y, m := 1700+r.IntN(560), 1+r.IntN(12)
	d := 1 + r.IntN(daysIn(y, m))
	s := fmt.Sprintf("%04d-%02d-%02d", y, m, d)
	if r.IntN(5) == 0 {
		return s
	}
	s += string(" T"[r.IntN(2)]) + fmt.Sprintf("%02d:%02d", r.IntN(24), r.IntN(60))
	if r.IntN(4) > 0 {
		s += fmt.Sprintf(":%02d", r.IntN(60))
		if n := r.IntN(12); n > 0 && n <= 10 {
			s += "." + fmt.Sprintf("%0*d", n, r.Int64N(1e10))[:n]
		}
	}
	sp := ""
	if r.IntN(4) == 0 {
		sp = " "
	}
	sign := string("+-"[r.IntN(2)])
	switch r.IntN(7) {
	case 0:
		s += "Z"
	case 1:
		s += sp + sign + fmt.Sprintf("%02d:%02d", r.IntN(24), r.IntN(60))
	case 2:
		s += sp + sign + fmt.Sprintf("%02d%02d", r.IntN(24), r.IntN(60))
	case 3:
		s += sp + sign + fmt.Sprintf("%02d", r.IntN(24))
	case 4:
		s += " UTC"
	}
	return s
}

// TestAutoAgainstTimeParse reads random times in every form TimeAuto
// accepts, in UTC and in a location with summer time, and compares them
// with time.Parse (numbers: with exact rational arithmetic).
func TestAutoAgainstTimeParse(t *testing.T) {
	paris, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		paris = time.FixedZone("CET", 3600)
	}
	r := rand.New(rand.NewPCG(5, 6))
	for _, loc := range []*time.Location{time.UTC, paris} {
		p := timeParser{loc: loc}
		for range 20000 {
			s := randomTime(r)
			want, ok := autoSlow(s, loc)
			got, err := p.parse([]byte(s))
			if ok != (err == nil) || ok && got != want {
				t.Fatalf("%s in %v: got %d, %v; time.Parse gives %d, ok %v", s, loc, got, err, want, ok)
			}
		}
	}
}

// FuzzTime checks that whatever the fast path of TimeAuto accepts,
// time.Parse (or exact arithmetic, for numbers) reads alike.
func FuzzTime(f *testing.F) {
	r := rand.New(rand.NewPCG(7, 8))
	for range 40 {
		f.Add(randomTime(r))
	}
	for _, s := range rfc3339Seeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		b := []byte(s)
		p := timeParser{loc: time.UTC}
		if len(b) >= 10 && b[4] == '-' {
			ns, ok, err := parseDateTime(b, time.UTC, false)
			if !ok {
				return // the slow path decides
			}
			want, wantOK := autoSlow(s, time.UTC)
			if (err == nil) != wantOK || err == nil && ns != want {
				t.Fatalf("parseDateTime(%q) = %d, %v; time.Parse gives %d, %v", s, ns, err, want, wantOK)
			}
			return
		}
		if isDecimal(b) {
			ns, err := p.parse(b)
			want, wantOK := autoSlow(s, time.UTC)
			if (err == nil) != wantOK || err == nil && ns != want {
				t.Fatalf("parse(%q) = %d, %v; exact arithmetic gives %d, %v", s, ns, err, want, wantOK)
			}
		}
	})
}
