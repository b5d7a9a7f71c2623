package simulate

import "math"

// The functions of this file give the same bits on every platform. The
// math package's Exp and Log run assembly on some architectures and Go on
// others, and Go may fuse x*y + z into one rounding on arm64, ppc64,
// riscv64 and s390x (and on amd64 at GOAMD64=v3), so their last bits can
// differ between machines; a waiting time rounded to the nanosecond could
// then differ too. Here every product that is followed by an addition is
// wrapped in an explicit float64 conversion, which the Go specification
// says rounds and so forbids fusion; +, −, ×, ÷ and math.Sqrt are
// correctly rounded IEEE 754 operations everywhere, and math.Frexp,
// math.Ldexp and math.Floor are exact. The polynomials are plain Taylor
// series, accurate to a few units in the last place: enough for sampling,
// where what matters is that every machine draws the same numbers.

// Split ln 2: ln2Hi has its low 32 bits zero, so k*ln2Hi is exact for the
// |k| < 2^20 that exp and ln use.
const (
	ln2Hi  = 6.93147180369123816490e-01
	ln2Lo  = 1.90821492927058770002e-10
	invLn2 = 1.44269504088896338700e+00
)

// lnTerms[k] = 1/(2k+1): the series of atanh.
var lnTerms = func() [12]float64 {
	var t [12]float64
	for k := range t {
		t[k] = 1 / float64(2*k+1)
	}
	return t
}()

// expTerms[n] = 1/n!: the series of exp.
var expTerms = func() [16]float64 {
	var t [16]float64
	f := 1.0
	for n := range t {
		if n > 0 {
			f *= float64(n)
		}
		t[n] = 1 / f
	}
	return t
}()

// lnTable[k] = ln(k/64) for the k/64 nearest to a number of [√½, √2):
// k from 45 to 91, computed once by lnSeries; lnTable[64] is 0.
var lnTable = func() [92]float64 {
	var t [92]float64
	for k := 45; k < len(t); k++ {
		t[k] = lnSeries(float64(k) / 64)
	}
	return t
}()

// ln returns the natural logarithm of x > 0 (finite). With x = m·2^e, m
// in [√½, √2) and c = k/64 the nearest multiple of 1/64, ln m = ln c +
// 2·atanh(s) for s = (m−c)/(m+c), |s| < 1/180 (m−c is exact), whose series
// in s² needs 5 terms (the next is below 1e-21). Near x = 1, c is 1 and
// ln c is 0, so small logarithms keep their relative accuracy.
func ln(x float64) float64 {
	m, e := math.Frexp(x)
	if m < math.Sqrt2/2 {
		m *= 2
		e--
	}
	k := int(float64(m*64) + 0.5)
	c := float64(float64(k) / 64)
	s := (m - c) / (m + c)
	z := float64(s * s)
	acc := float64(lnTerms[4]*z) + lnTerms[3]
	acc = float64(acc*z) + lnTerms[2]
	acc = float64(acc*z) + lnTerms[1]
	acc = float64(acc*z) + lnTerms[0]
	lm := float64(2*s*acc) + lnTable[k]
	fe := float64(e)
	return float64(fe*ln2Hi) + (float64(fe*ln2Lo) + lm)
}

// lnSeries is ln with m in [√½, √2) and s = (m−1)/(m+1), |s| < 0.172,
// summed to 12 terms of the series of atanh (the next is below 1e-18):
// slower than ln, used to fill its table.
func lnSeries(x float64) float64 {
	m, e := math.Frexp(x)
	if m < math.Sqrt2/2 {
		m *= 2
		e--
	}
	s := (m - 1) / (m + 1)
	z := float64(s * s)
	acc := lnTerms[len(lnTerms)-1]
	for k := len(lnTerms) - 2; k >= 0; k-- {
		acc = float64(acc*z) + lnTerms[k]
	}
	lm := float64(2 * s * acc)
	fe := float64(e)
	return float64(fe*ln2Hi) + (float64(fe*ln2Lo) + lm)
}

// exp returns e^x. With x = k·ln 2 + r, |r| ≤ ln 2 / 2, e^r is summed to
// 16 terms of its series and scaled by 2^k.
func exp(x float64) float64 {
	switch {
	case x != x:
		return x
	case x > 709.782712893384:
		return math.Inf(1)
	case x < -745.1332191019412:
		return 0
	}
	k := math.Floor(float64(x*invLn2) + 0.5)
	r := float64(x-float64(k*ln2Hi)) - float64(k*ln2Lo)
	acc := expTerms[len(expTerms)-1]
	for n := len(expTerms) - 2; n >= 0; n-- {
		acc = float64(acc*r) + expTerms[n]
	}
	return math.Ldexp(acc, int(k))
}

// atan returns the arc tangent of x. Arguments above 1 use
// atan x = π/2 − atan(1/x); then up to three halvings atan y = 2·atan(y /
// (1 + √(1+y²))) bring y to at most 0.1, where 9 terms of the series
// suffice.
func atan(x float64) float64 {
	neg := x < 0
	if neg {
		x = -x
	}
	inv := x > 1
	if inv {
		x = 1 / x
	}
	scale := 1.0
	for x > 0.1 {
		x = x / (1 + math.Sqrt(float64(x*x)+1))
		scale *= 2
	}
	z := float64(x * x)
	acc := 0.0
	for k := 8; k >= 0; k-- {
		acc = float64(-acc*z) + lnTerms[k]
	}
	r := float64(scale * float64(x*acc))
	if inv {
		r = math.Pi/2 - r
	}
	if neg {
		r = -r
	}
	return r
}

// tTwoSided returns P(|T| ≤ t) for Student's t with nu ≥ 1 degrees of
// freedom and t ≥ 0, by the closed forms of Abramowitz and Stegun 26.7.3
// and 26.7.4 (θ = atan(t/√ν)): for even ν, sin θ · Σ_{j<ν/2} c_j cos^{2j} θ
// with c_0 = 1, c_j = c_{j−1}·(2j−1)/(2j); for odd ν, (2/π)(θ + sin θ cos θ
// · Σ_{j<(ν−1)/2} d_j cos^{2j} θ) with d_0 = 1, d_j = d_{j−1}·2j/(2j+1). It
// takes O(ν) time.
func tTwoSided(t float64, nu int) float64 {
	if math.IsInf(t, 1) {
		return 1
	}
	fn := float64(nu)
	den := float64(fn + float64(t*t))
	c2 := fn / den // cos² θ
	sin := t / math.Sqrt(den)
	if nu%2 == 0 {
		sum, term := 1.0, 1.0
		for j := 1; j < nu/2; j++ {
			term = float64(term*c2) * float64(2*j-1) / float64(2*j)
			sum += term
		}
		return min(1, float64(sin*sum))
	}
	theta := atan(t / math.Sqrt(fn))
	if nu == 1 {
		return min(1, 2*theta/math.Pi)
	}
	cos := math.Sqrt(c2)
	sum, term := 1.0, 1.0
	for j := 1; j < (nu-1)/2; j++ {
		term = float64(term*c2) * float64(2*j) / float64(2*j+1)
		sum += term
	}
	return min(1, 2*(theta+float64(float64(sin*cos)*sum))/math.Pi)
}

// tQuantile returns the t > 0 with P(|T| ≤ t) = level for Student's t
// with nu ≥ 1 degrees of freedom, 0 < level < 1: the half-width factor of
// a two-sided confidence interval (t_{(1+level)/2, ν}). It bisects the
// monotone closed form of tTwoSided until the bracket cannot shrink, so it
// is exact to the last bits of that function; it takes O(ν) time per step
// and about 70 steps.
func tQuantile(level float64, nu int) float64 {
	lo, hi := 0.0, 1.0
	for tTwoSided(hi, nu) < level {
		lo, hi = hi, 2*hi
		if math.IsInf(hi, 1) {
			return hi
		}
	}
	for range 200 {
		mid := lo + float64((hi-lo)/2)
		if mid == lo || mid == hi {
			break
		}
		if tTwoSided(mid, nu) < level {
			lo = mid
		} else {
			hi = mid
		}
	}
	return hi
}
