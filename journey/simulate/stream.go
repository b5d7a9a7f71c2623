package simulate

import (
	"math"
	"math/bits"
	"math/rand/v2"
)

// Each customer draws from four independent streams, one per purpose, so
// that two models simulated with the same seed make the same draw at the
// same point of a walk even when they draw a different number of numbers
// elsewhere (common random numbers, see Compare).
const (
	streamWalk  = iota // the persona, then one number per transition
	streamTouch        // one number per event at a step with touchpoints
	streamTime         // the start time, then the waiting times
	streamValue        // the values
	numStreams
)

// golden is 2^64 divided by the golden ratio, the increment of SplitMix64.
const golden = 0x9e3779b97f4a7c15

// mix is the finaliser of SplitMix64 (Stafford's variant 13), a bijection
// of uint64 that scatters nearby inputs over the whole range.
func mix(z uint64) uint64 {
	z ^= z >> 30
	z *= 0xbf58476d1ce4e5b9
	z ^= z >> 27
	z *= 0x94d049bb133111eb
	z ^= z >> 31
	return z
}

// keys are the two words that, with a customer's index, seed the PCG
// generator of each stream: stream p of customer i is
// PCG(hi[p], mix(i XOR lo[p])) with hi[p] = mix(seed + (2p+1)·golden) and
// lo[p] = mix(seed + (2p+2)·golden). Since mix is a bijection, the
// customers of one seed all start from different states.
type keys struct {
	hi, lo [numStreams]uint64
}

func newKeys(seed uint64) keys {
	var k keys
	for p := range numStreams {
		k.hi[p] = mix(seed + uint64(2*p+1)*golden)
		k.lo[p] = mix(seed + uint64(2*p+2)*golden)
	}
	return k
}

// ReplicationSeed returns the seed of replication r of a study seeded with
// seed (see Replicate and Compare): mix(mix(seed) + r) with mix the
// SplitMix64 finaliser. Run with this seed reproduces the replication's
// customers.
func ReplicationSeed(seed uint64, r int) uint64 {
	return mix(mix(seed) + uint64(r))
}

// streams holds one customer's generators. Its rand.Rand views are made
// once per worker for the user functions of Func distributions.
type streams struct {
	pcg  [numStreams]rand.PCG
	rand [numStreams]*rand.Rand
}

func newStreams() *streams {
	s := &streams{}
	for p := range s.pcg {
		s.rand[p] = rand.New(&s.pcg[p])
	}
	return s
}

// reset seeds the streams of customer i.
func (s *streams) reset(k *keys, i int) {
	for p := range s.pcg {
		s.resetOne(k, i, p)
	}
}

// resetOne seeds stream p of customer i.
func (s *streams) resetOne(k *keys, i, p int) {
	s.pcg[p].Seed(k.hi[p], mix(uint64(i)^k.lo[p]))
}

// uniform returns a number in [0, 1) from stream p: the top 53 bits of a
// draw, scaled exactly.
func (s *streams) uniform(p int) float64 {
	return float64(s.pcg[p].Uint64()>>11) * 0x1p-53
}

// below returns a number in [0, n) from stream p, n > 0, without bias
// (Lemire's multiply-and-reject method).
func (s *streams) below(p int, n uint64) uint64 {
	hi, lo := bits.Mul64(s.pcg[p].Uint64(), n)
	if lo < n {
		thresh := -n % n
		for lo < thresh {
			hi, lo = bits.Mul64(s.pcg[p].Uint64(), n)
		}
	}
	return hi
}

// normal returns a standard normal number from stream p by Marsaglia's
// polar method, with the deterministic ln of dmath.go.
func (s *streams) normal(p int) float64 {
	for {
		u := 2*s.uniform(p) - 1
		v := 2*s.uniform(p) - 1
		q := float64(u*u) + float64(v*v)
		if q > 0 && q < 1 {
			return float64(u * math.Sqrt(-2*ln(q)/q))
		}
	}
}
