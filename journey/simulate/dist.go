package simulate

import (
	"fmt"
	"math"
	"math/rand/v2"
	"time"
)

// Dist is a distribution of non-negative numbers: the waiting times
// between events, in nanoseconds, and the values of events. Build one with
// Fixed, Exponential, LogNormal, Uniform or Func; the zero Dist is
// Fixed(0). A Dist is a small immutable value, safe for concurrent use if
// its Func is.
//
// Constructors do not check their parameters, so that a Dist can be
// written in a literal: New and Run report a bad one (negative, infinite
// or NaN), wrapping ErrBadDist.
//
// Samples are computed with the deterministic functions of this package,
// not with math.Exp and math.Log, so that a seed gives the same numbers,
// bit for bit, on every platform (see the package documentation).
type Dist struct {
	kind distKind
	a, b float64
	f    func(r *rand.Rand) float64
}

type distKind uint8

const (
	fixed distKind = iota
	exponential
	logNormal
	uniform
	userFunc
)

// Fixed returns the distribution that always gives x.
func Fixed(x float64) Dist { return Dist{kind: fixed, a: x} }

// Exponential returns the exponential distribution of the given mean,
// sampled by inversion: −mean·ln(1−U) for U uniform on [0, 1), one draw
// per sample. Its median is mean·ln 2.
func Exponential(mean float64) Dist { return Dist{kind: exponential, a: mean} }

// LogNormal returns the log-normal distribution of the given median and
// shape sigma (the standard deviation of its logarithm): median·e^(σZ) for
// Z standard normal, drawn by Marsaglia's polar method (on average 1.27
// pairs of draws per sample). Its mean is median·e^(σ²/2).
func LogNormal(median, sigma float64) Dist { return Dist{kind: logNormal, a: median, b: sigma} }

// Uniform returns the uniform distribution on [lo, hi), one draw per
// sample.
func Uniform(lo, hi float64) Dist { return Dist{kind: uniform, a: lo, b: hi} }

// Func returns the distribution that f samples. f receives the generator
// of the customer's stream for waits (or values), already seeded: to keep
// the simulation reproducible, f must draw its randomness from r only. f is
// called from several goroutines at once when Workers is not 1. A sample
// that is negative, infinite or NaN makes the simulation fail with
// ErrBadDist.
func Func(f func(r *rand.Rand) float64) Dist { return Dist{kind: userFunc, f: f} }

// Hours returns d hours in nanoseconds, the unit of waiting times:
// Exponential(Hours(36)) waits 36 hours on average.
func Hours(d float64) float64 { return d * float64(time.Hour) }

// IsZero reports whether d is the zero Dist, Fixed(0).
func (d Dist) IsZero() bool { return d.kind == fixed && d.a == 0 }

// String describes d: "exponential(mean=3600)".
func (d Dist) String() string {
	switch d.kind {
	case fixed:
		return fmt.Sprintf("fixed(%v)", d.a)
	case exponential:
		return fmt.Sprintf("exponential(mean=%v)", d.a)
	case logNormal:
		return fmt.Sprintf("lognormal(median=%v, sigma=%v)", d.a, d.b)
	case uniform:
		return fmt.Sprintf("uniform(%v, %v)", d.a, d.b)
	}
	return "func"
}

// Validate reports a parameter that is negative, infinite or NaN, an
// empty uniform range, and a Func with no function, wrapping ErrBadDist.
func (d Dist) Validate() error {
	bad := func(what string, x float64) error {
		if x >= 0 && !math.IsInf(x, 1) {
			return nil
		}
		why := "negative"
		switch {
		case math.IsNaN(x):
			why = "not a number"
		case math.IsInf(x, 0):
			why = "infinite"
		}
		return fmt.Errorf("%w: %v %s %v is %s", ErrBadDist, d.kindName(), what, x, why)
	}
	switch d.kind {
	case fixed:
		return bad("value", d.a)
	case exponential:
		return bad("mean", d.a)
	case logNormal:
		if err := bad("median", d.a); err != nil {
			return err
		}
		return bad("sigma", d.b)
	case uniform:
		if err := bad("lower bound", d.a); err != nil {
			return err
		}
		if err := bad("upper bound", d.b); err != nil {
			return err
		}
		if d.b < d.a {
			return fmt.Errorf("%w: uniform upper bound %v is below the lower bound %v", ErrBadDist, d.b, d.a)
		}
	case userFunc:
		if d.f == nil {
			return fmt.Errorf("%w: func is nil", ErrBadDist)
		}
	}
	return nil
}

func (d Dist) kindName() string {
	return [...]string{"fixed", "exponential", "lognormal", "uniform", "func"}[d.kind]
}

// sample draws from stream p of s. It returns NaN for a Func sample that
// is negative, infinite or NaN. Its products are rounded (float64(…)) so
// that a caller that adds to the sample cannot fuse the two.
func (d *Dist) sample(s *streams, p int) float64 {
	switch d.kind {
	case fixed:
		return d.a
	case exponential:
		return float64(d.a * -ln(1-s.uniform(p)))
	case logNormal:
		return float64(d.a * exp(float64(d.b*s.normal(p))))
	case uniform:
		return float64(d.a + float64((d.b-d.a)*s.uniform(p)))
	}
	x := d.f(s.rand[p])
	if !(x >= 0) || math.IsInf(x, 1) {
		return math.NaN()
	}
	return x
}
