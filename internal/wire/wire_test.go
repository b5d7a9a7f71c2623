package wire

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

// TestSampleIsBottomK checks the sample against a naive bottom-k (sort
// every distinct hash, keep the 64 smallest), whatever the order of adds
// and merges, and that it round-trips.
func TestSampleIsBottomK(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 1))
	for range 100 {
		n := r.IntN(500)
		ids := make([]string, n)
		for i := range ids {
			ids[i] = fmt.Sprint("cust-", r.IntN(1000))
		}
		var hs []uint64
		for _, id := range ids {
			hs = append(hs, Hash(id))
		}
		slices.Sort(hs)
		hs = slices.Compact(hs)
		want := hs[:min(len(hs), SampleSize)]

		// Add to k samples at random, merge them in a random order.
		k := 1 + r.IntN(5)
		parts := make([]Sample, k)
		for _, id := range ids {
			parts[r.IntN(k)].Add(id)
		}
		var s Sample
		for _, i := range r.Perm(k) {
			s.Merge(&parts[i])
		}
		if !slices.Equal(s.h, want) && len(want) > 0 {
			t.Fatalf("sample %x, want %x", s.h, want)
		}
		var w Writer
		w.Sample(&s)
		rd := NewReader(w.B)
		back := rd.Sample()
		if err := rd.Done(); err != nil || !back.Equal(&s) {
			t.Fatalf("round trip: %v, %x", err, back.h)
		}
	}
}

// TestSampleEstimate checks the KMV estimate on 10^5 distinct ids: within
// 4 standard errors (4 × 1/√62 ≈ 51 %) of the truth, and exact below 64.
func TestSampleEstimate(t *testing.T) {
	var s Sample
	for i := range 40 {
		s.Add(fmt.Sprint(i))
	}
	if got := s.Estimate(); got != 40 {
		t.Fatalf("estimate of 40 ids: %v", got)
	}
	for i := 40; i < 100000; i++ {
		s.Add(fmt.Sprint(i))
	}
	if got := s.Estimate(); math.Abs(got/1e5-1) > 4/math.Sqrt(62) {
		t.Fatalf("estimate of 10^5 ids: %v", got)
	}
}

// TestSampleShared checks that a customer in both samples is found.
func TestSampleShared(t *testing.T) {
	var a, b Sample
	a.Add("ann")
	a.Add("bob")
	b.Add("cid")
	if err := a.Check("x", &b); err != nil {
		t.Fatalf("disjoint: %v", err)
	}
	b.Add("bob")
	if err := a.Check("x", &b); !errors.Is(err, ErrSharedCustomers) {
		t.Fatalf("sharing bob: %v", err)
	}
}

// TestReaderRejects checks the strict reader on inputs an encoder never
// writes.
func TestReaderRejects(t *testing.T) {
	for _, tc := range []struct {
		name, reason string
		data         []byte
		read         func(r *Reader)
	}{
		{"short header", "four bytes at least", []byte("pc"), func(r *Reader) { r.Header(TagVariants) }},
		{"other tag", "a Variants decoder reads only Variants", []byte{'p', 'c', 'T', 1}, func(r *Reader) { r.Header(TagVariants) }},
		{"version", "version 2 is unknown", []byte{'p', 'c', 'V', 2}, func(r *Reader) { r.Header(TagVariants) }},
		{"trailing", "every byte must be read", []byte{1, 2}, func(r *Reader) { r.Uvarint() }},
		{"non-minimal", "0x80 0x00 is a long zero", []byte{0x80, 0x00}, func(r *Reader) { r.Uvarint() }},
		{"huge count", "a billion entries in 3 bytes", []byte{0x80, 0x94, 0xeb, 0xdc, 0x03}, func(r *Reader) { r.Len(1) }},
		{"long string", "length beyond the data", []byte{5, 'a'}, func(r *Reader) { _ = r.String() }},
		{"unsorted names", "tables are sorted", []byte{2, 1, 'b', 1, 'a'}, func(r *Reader) { r.Strings() }},
		{"whole float", "2 must be the short form", append([]byte{1}, 0, 0, 0, 0, 0, 0, 0, 0x40), func(r *Reader) { r.Float() }},
		{"big sample", "65 hashes", append([]byte{65}, make([]byte, 65)...), func(r *Reader) { r.Sample() }},
		{"repeated hash", "hashes increase strictly", []byte{2, 5, 0}, func(r *Reader) { r.Sample() }},
	} {
		r := NewReader(tc.data)
		tc.read(r)
		if err := r.Done(); !errors.Is(err, ErrFormat) {
			t.Errorf("%s (%s): %v, want ErrFormat", tc.name, tc.reason, err)
		}
	}
	r := NewReader([]byte{'p', 'c', 'V', 2})
	r.Header(TagVariants)
	if !errors.Is(r.Err(), ErrVersion) {
		t.Errorf("version 2: %v, want ErrVersion", r.Err())
	}
}

// TestRoutesFrontCoded checks that sorted routes round-trip through
// Writer.Route and Reader.Route, long shared prefixes included (capped at
// MaxPrefix), and that a longer prefix, which would let a few bytes copy
// many ids, is rejected.
func TestRoutesFrontCoded(t *testing.T) {
	long := make([]uint32, 100)
	routes := [][]uint32{{}, {0}, {0, 0}, long, append(slices.Clone(long), 0), append(slices.Clone(long[:90]), 1), {0, 1}, {1}, {2}}
	var w Writer
	for i, rt := range routes {
		var prev []uint32
		if i > 0 {
			prev = routes[i-1]
		}
		w.Route(prev, rt, i == 0)
	}
	r := NewReader(w.B)
	var prev []uint32
	for i, want := range routes {
		var got []uint32
		_, got = r.Route(nil, prev, i == 0, 3)
		if !slices.Equal(got, want) && len(want) > 0 {
			t.Fatalf("route %d: %v, %v, want %v", i, r.Err(), got, want)
		}
		prev = got
	}
	if err := r.Done(); err != nil {
		t.Fatal(err)
	}
	// A prefix of 65 ids after a route of 100.
	var bad Writer
	bad.Uvarint(MaxPrefix + 1)
	bad.Uvarint(1)
	bad.Uvarint(1)
	r = NewReader(bad.B)
	r.Route(nil, long, false, 3)
	if !errors.Is(r.Done(), ErrFormat) {
		t.Fatalf("prefix beyond MaxPrefix: %v", r.Err())
	}
}
