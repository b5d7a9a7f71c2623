package wire

import (
	"fmt"
	"math"
	"slices"
)

// SampleSize is k, the number of customer hashes a Sample keeps.
const SampleSize = 64

// Sample is a bottom-k sample of the customers an aggregate counted: the
// SampleSize smallest 64-bit hashes of their ids (a KMV sketch). Two
// aggregates of disjoint customers have disjoint samples; a hash in both
// is a customer counted twice. The sample of a merge is the bottom-k of
// the union, the very sample of the whole, whatever the order of merges.
//
// Detection is probabilistic: a customer shared by shards of n and m
// customers is in both samples with probability about k/max(n, m) (1 when
// both have at most k customers); if a share f of the customers is shared,
// the merge fails with probability about 1 − e^(−f·k), 99.8 % for f = 10 %.
// It costs k×8 bytes per aggregate.
//
// The zero value is empty. Hashes are sorted ascending.
type Sample struct{ h []uint64 }

// Hash returns the 64-bit hash of a customer id: FNV-1a, then the
// splitmix64 finaliser. It is the same on every platform and run.
func Hash(id string) uint64 {
	h := uint64(14695981039346656037)
	for i := 0; i < len(id); i++ {
		h ^= uint64(id[i])
		h *= 1099511628211
	}
	h ^= h >> 30
	h *= 0xbf58476d1ce4e5b9
	h ^= h >> 27
	h *= 0x94d049bb133111eb
	h ^= h >> 31
	return h
}

// Add adds a customer id.
func (s *Sample) Add(id string) { s.AddHash(Hash(id)) }

// AddHash adds a customer's hash.
func (s *Sample) AddHash(h uint64) {
	if len(s.h) == SampleSize && h >= s.h[SampleSize-1] {
		return
	}
	i, found := slices.BinarySearch(s.h, h)
	if found {
		return
	}
	s.h = slices.Insert(s.h, i, h)
	if len(s.h) > SampleSize {
		s.h = s.h[:SampleSize]
	}
}

// Len returns the number of hashes kept.
func (s *Sample) Len() int { return len(s.h) }

// Shared returns a hash in both samples, if any.
func (s *Sample) Shared(o *Sample) (uint64, bool) {
	i, j := 0, 0
	for i < len(s.h) && j < len(o.h) {
		switch {
		case s.h[i] < o.h[j]:
			i++
		case s.h[i] > o.h[j]:
			j++
		default:
			return s.h[i], true
		}
	}
	return 0, false
}

// Check returns an error wrapping ErrSharedCustomers if s and o share a
// hash; prefix names the package.
func (s *Sample) Check(prefix string, o *Sample) error {
	if h, ok := s.Shared(o); ok {
		return fmt.Errorf("%s: %w: a customer (id hash %#016x) was counted in both", prefix, ErrSharedCustomers, h)
	}
	return nil
}

// Merge makes s the bottom-k of the union of s and o.
func (s *Sample) Merge(o *Sample) {
	if len(o.h) == 0 {
		return
	}
	u := make([]uint64, 0, min(SampleSize, len(s.h)+len(o.h)))
	i, j := 0, 0
	for len(u) < SampleSize && (i < len(s.h) || j < len(o.h)) {
		switch {
		case j == len(o.h) || i < len(s.h) && s.h[i] < o.h[j]:
			u = append(u, s.h[i])
			i++
		case i == len(s.h) || o.h[j] < s.h[i]:
			u = append(u, o.h[j])
			j++
		default:
			u = append(u, s.h[i])
			i, j = i+1, j+1
		}
	}
	s.h = u
}

// Estimate returns the KMV estimate of the number of distinct customers:
// exact below k, else (k−1)/(k-th smallest hash / 2^64), with a relative
// standard error of about 1/√(k−2), 12.6 % for k = 64.
func (s *Sample) Estimate() float64 {
	if len(s.h) < SampleSize {
		return float64(len(s.h))
	}
	return float64(SampleSize-1) / (float64(s.h[SampleSize-1]) / math.Exp2(64))
}

// Write writes the sample: the count, then the hashes as ascending
// deltas (the first from 0), each an unsigned varint.
func (w *Writer) Sample(s *Sample) {
	w.Int(len(s.h))
	prev := uint64(0)
	for i, h := range s.h {
		if i == 0 {
			w.Uvarint(h)
		} else {
			w.Uvarint(h - prev)
		}
		prev = h
	}
}

// Sample reads what Writer.Sample writes: at most SampleSize hashes,
// strictly ascending.
func (r *Reader) Sample() Sample {
	n := r.Len(1)
	if n > SampleSize {
		r.Fail("sample of %d hashes, more than %d", n, SampleSize)
		return Sample{}
	}
	if r.err != nil || n == 0 {
		return Sample{}
	}
	h := make([]uint64, n)
	for i := range h {
		d := r.Uvarint()
		if i == 0 {
			h[i] = d
			continue
		}
		if d == 0 || h[i-1] > math.MaxUint64-d {
			r.Fail("sample hashes not ascending")
			return Sample{}
		}
		h[i] = h[i-1] + d
	}
	return Sample{h: h}
}

// Equal reports whether s and o hold the same hashes.
func (s *Sample) Equal(o *Sample) bool { return slices.Equal(s.h, o.h) }
