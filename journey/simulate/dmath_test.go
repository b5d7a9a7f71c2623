package simulate

import (
	"hash/fnv"
	"math"
	"testing"
)

// ulps returns |got − want| in units of want's last place.
func ulps(got, want float64) float64 {
	if got == want {
		return 0
	}
	ulp := math.Nextafter(math.Abs(want), math.Inf(1)) - math.Abs(want)
	return math.Abs(got-want) / ulp
}

func TestFunctionsAgainstMath(t *testing.T) {
	tests := []struct {
		name, reason string
		f, ref       func(float64) float64
		xs           func(i int) float64
		maxULP       float64
	}{
		{
			name: "ln on (0, 1]", reason: "the exponential sampler's range, 1 − U down to 2^-53",
			f: ln, ref: math.Log, xs: func(i int) float64 { return 1 - float64(i)/1e6 + 1e-17 }, maxULP: 3,
		},
		{
			name: "ln near 1", reason: "small logarithms keep their relative accuracy",
			f: ln, ref: math.Log, xs: func(i int) float64 { return 1 + float64(i-500000)*1e-12 }, maxULP: 3,
		},
		{
			name: "ln over the range", reason: "tiny and huge arguments",
			f: ln, ref: math.Log, xs: func(i int) float64 { return math.Ldexp(1+float64(i%1000)/1000, i/1000-500) }, maxULP: 3,
		},
		{
			// Not up to the overflow at 709.78: math.Exp's amd64 assembly
			// returns +Inf from about 709.4 (one of the differences
			// between platforms this file avoids).
			name: "exp", reason: "the log-normal sampler's range and beyond",
			f: exp, ref: math.Exp, xs: func(i int) float64 { return float64(i-500000) / 720 }, maxULP: 4,
		},
		{
			name: "atan", reason: "the odd degrees of freedom of Student's t",
			f: atan, ref: math.Atan, xs: func(i int) float64 { return math.Ldexp(float64(i%1000)/1000-0.5, i/1000%60-30) }, maxULP: 4,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			worst := 0.0
			for i := range 1_000_000 {
				x := tt.xs(i)
				got, want := tt.f(x), tt.ref(x)
				if want == 0 || math.IsInf(want, 0) {
					if got != want {
						t.Fatalf("%s(%v) = %v, want %v", tt.name, x, got, want)
					}
					continue
				}
				if u := ulps(got, want); u > worst {
					worst = u
					if u > tt.maxULP {
						t.Fatalf("%s: f(%v) = %v, math gives %v: %.1f ulps, more than %v", tt.reason, x, got, want, u, tt.maxULP)
					}
				}
			}
			t.Logf("worst: %.1f ulps", worst)
		})
	}
}

func TestExpLimits(t *testing.T) {
	tests := []struct {
		name, reason string
		x, want      float64
	}{
		{"largest", "the last finite power", 709.78, 1.7928227943945155e+308},
		{"overflow", "beyond the largest float64", 709.8, math.Inf(1)},
		{"underflow", "below the smallest subnormal", -746, 0},
		{"subnormal", "a subnormal result keeps its bits", -740, 4.1995579896506e-322},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := exp(tt.x); ulps(got, tt.want) > 4 && !(got == tt.want) {
				t.Errorf("%s: exp(%v) = %v, want %v", tt.reason, tt.x, got, tt.want)
			}
		})
	}
}

func TestTQuantile(t *testing.T) {
	// Quantiles of Student's t computed with mpmath at 40 digits, as the
	// root of 1 − I_{ν/(ν+t²)}(ν/2, 1/2) = level (the regularised
	// incomplete beta function), the level being the float64 given.
	tests := []struct {
		name   string
		level  float64
		nu     int
		want   float64
		reason string
	}{
		{"95% 1", .95, 1, 12.706204736174693, "ν = 1, the Cauchy: the arc tangent alone"},
		{"95% 2", .95, 2, 4.3026527297494618, "ν = 2: one term of the even series"},
		{"95% 3", .95, 3, 3.1824463052837084, "odd ν: arc tangent and series"},
		{"95% 4", .95, 4, 2.7764451051977935, "even ν"},
		{"95% 5", .95, 5, 2.5705818356363148, "odd ν"},
		{"95% 9", .95, 9, 2.262157162798205, "10 replications"},
		{"95% 19", .95, 19, 2.0930240544083093, "20 replications"},
		{"95% 29", .95, 29, 2.0452296421327039, "30 replications, the default"},
		{"99% 1", .99, 1, 63.656741162871524, "the far tail of the Cauchy"},
		{"99% 10", .99, 10, 3.1692726726169507, "another level"},
		{"90% 10", .90, 10, 1.8124611228116765, "another level"},
		{"99.9% 19", .999, 19, 3.8834058525920825, "a high level"},
		{"95% 1000", .95, 1000, 1.9623390808264081, "many terms, near the normal's 1.959964"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := tQuantile(tt.level, tt.nu)
			if math.Abs(got-tt.want) > 1e-12*tt.want {
				t.Errorf("%s: t(%v, %d) = %.15g, want %.15g", tt.reason, tt.level, tt.nu, got, tt.want)
			}
		})
	}
}

// TestBitsArePinned hashes the bits of many results of the functions and
// samplers this package computes itself. The hash must be the same on
// every platform and at every GOAMD64 level (at v3 the compiler fuses
// multiply-adds the code does not guard); if a deliberate change alters
// it, update the constant and the golden files.
func TestBitsArePinned(t *testing.T) {
	h := fnv.New64a()
	put := func(x float64) {
		var b [8]byte
		u := math.Float64bits(x)
		for i := range b {
			b[i] = byte(u >> (8 * i))
		}
		h.Write(b[:])
	}
	for i := range 20000 {
		x := float64(i)/20000 + 1e-9
		put(ln(x))
		put(exp(40*x - 20))
		put(atan(50*x - 25))
		put(tTwoSided(10*x, 1+i%40))
	}
	k := newKeys(99)
	s := newStreams()
	dists := []Dist{Exponential(3.5), LogNormal(2, 0.9), Uniform(1, 4), Fixed(7)}
	for i := range 5000 {
		s.reset(&k, i)
		for _, d := range dists {
			put(d.sample(s, streamTime))
		}
		put(s.normal(streamValue))
		put(float64(s.below(streamWalk, 1e9+7)))
	}
	put(tQuantile(.95, 7))
	const want uint64 = 0xf1775aadb2ed86f8
	if got := h.Sum64(); got != want {
		t.Errorf("hash %#x, want %#x: the numbers differ from those of the reference platform", got, want)
	}
}

func TestSamplers(t *testing.T) {
	// Means over 200 000 draws, with bounds of 6 standard errors.
	const n = 200_000
	k := newKeys(5)
	s := newStreams()
	tests := []struct {
		name, reason string
		draw         func() float64
		mean, sd     float64
	}{
		{"exponential", "mean 3 and sd 3", func() float64 { d := Exponential(3); return d.sample(s, streamTime) }, 3, 3},
		{"lognormal", "mean median·e^(σ²/2), sd mean·√(e^σ² − 1)", func() float64 { d := LogNormal(2, .5); return d.sample(s, streamTime) },
			2 * math.Exp(.125), 2 * math.Exp(.125) * math.Sqrt(math.Exp(.25)-1)},
		{"lognormal median", "half the draws lie below the median", func() float64 {
			d := LogNormal(2, .5)
			if d.sample(s, streamTime) < 2 {
				return 1
			}
			return 0
		}, .5, .5},
		{"uniform", "mean (lo+hi)/2, sd (hi−lo)/√12", func() float64 { d := Uniform(1, 5); return d.sample(s, streamTime) }, 3, 4 / math.Sqrt(12)},
		{"normal", "mean 0, sd 1", func() float64 { return s.normal(streamTime) }, 0, 1},
		{"normal squared", "mean 1, sd √2", func() float64 { z := s.normal(streamTime); return z * z }, 1, math.Sqrt2},
		{"below", "uniform on [0, 10): mean 4.5, sd √(99/12)", func() float64 { return float64(s.below(streamTime, 10)) }, 4.5, math.Sqrt(99. / 12)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sum := 0.0
			for i := range n {
				s.reset(&k, i)
				sum += tt.draw()
			}
			got := sum / n
			if bound := 6 * tt.sd / math.Sqrt(n); math.Abs(got-tt.mean) > bound {
				t.Errorf("%s: mean %.5f, want %.5f ± %.5f", tt.reason, got, tt.mean, bound)
			}
		})
	}
}

func TestStreamsAreDistinct(t *testing.T) {
	// The first draw of every stream of 100 000 customers, for two seeds:
	// no two alike.
	seen := map[uint64]string{}
	s := newStreams()
	for _, seed := range []uint64{0, 1} {
		k := newKeys(seed)
		for i := range 100_000 {
			s.reset(&k, i)
			for p := range numStreams {
				x := s.pcg[p].Uint64()
				if prev, ok := seen[x]; ok {
					t.Fatalf("seed %d, customer %d, stream %d draws %#x, as %s did", seed, i, p, x, prev)
				}
				seen[x] = "another stream"
			}
		}
	}
}
