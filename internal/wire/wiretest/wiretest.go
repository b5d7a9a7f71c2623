// Package wiretest checks the laws every mergeable aggregate keeps, for
// the tests of the packages that define them: merging the shards' results
// in any order and grouping equals the result of the whole, encodings
// round-trip and are canonical, refused merges change nothing, and
// decoding arbitrary bytes neither panics nor allocates without bound.
package wiretest

import (
	"bytes"
	"errors"
	"fmt"
	"math/rand/v2"
	"reflect"
	"runtime"
	"testing"
)

// Partial is a mergeable aggregate with its binary encoding.
type Partial[T any] interface {
	*T
	Merge(*T) error
	MarshalBinary() ([]byte, error)
	UnmarshalBinary([]byte) error
}

// Encode returns the encoding of x, failing t on error.
func Encode[T any, P Partial[T]](t testing.TB, x P) []byte {
	t.Helper()
	b, err := x.MarshalBinary()
	if err != nil {
		t.Fatalf("MarshalBinary: %v", err)
	}
	return b
}

// Decode returns the value b encodes, failing t on error.
func Decode[T any, P Partial[T]](t testing.TB, b []byte) P {
	t.Helper()
	x := P(new(T))
	if err := x.UnmarshalBinary(b); err != nil {
		t.Fatalf("UnmarshalBinary: %v", err)
	}
	return x
}

// Clone returns a copy of x made by encoding and decoding it.
func Clone[T any, P Partial[T]](t testing.TB, x P) P {
	t.Helper()
	return Decode[T, P](t, Encode[T, P](t, x))
}

// RoundTrip checks that encode → decode → encode gives the same bytes,
// and that view, the value's observable results, is the same before and
// after.
func RoundTrip[T any, P Partial[T]](t testing.TB, x P, view func(P) any) {
	t.Helper()
	b := Encode[T, P](t, x)
	y := Decode[T, P](t, b)
	if c := Encode[T, P](t, y); !bytes.Equal(b, c) {
		t.Fatalf("encode → decode → encode changed the bytes:\n%x\n%x", b, c)
	}
	if a, b := view(x), view(y); !reflect.DeepEqual(a, b) {
		t.Fatalf("decoded value differs:\nencoded %s\ndecoded %s", short(a), short(b))
	}
}

// MergeRandomly merges clones of parts in a random tree (random pairs,
// random receiver, with zero values, fresh or decoded, among them) and
// returns the result.
func MergeRandomly[T any, P Partial[T]](t testing.TB, r *rand.Rand, parts []P) P {
	t.Helper()
	xs := make([]P, 0, len(parts)+1)
	for _, p := range parts {
		xs = append(xs, Clone[T, P](t, p))
	}
	// Zero values, fresh or sent as bytes, start folds and merge as nothing.
	if r.IntN(2) == 0 || len(xs) == 0 {
		xs = append(xs, P(new(T)))
	}
	if r.IntN(2) == 0 {
		xs = append(xs, Clone[T, P](t, P(new(T))))
	}
	for len(xs) > 1 {
		i, j := r.IntN(len(xs)), r.IntN(len(xs)-1)
		if j >= i {
			j++
		}
		if err := xs[i].Merge(xs[j]); err != nil {
			t.Fatalf("merge: %v", err)
		}
		xs[j] = xs[len(xs)-1]
		xs = xs[:len(xs)-1]
	}
	return xs[0]
}

// Equal checks that got encodes to the same bytes as want and that their
// views are deep-equal.
func Equal[T any, P Partial[T]](t testing.TB, what string, want, got P, view func(P) any) {
	t.Helper()
	if a, b := view(want), view(got); !reflect.DeepEqual(a, b) {
		t.Fatalf("%s: merged shards differ from the whole:\nwhole  %s\nmerged %s", what, short(a), short(b))
	}
	if a, b := Encode[T, P](t, want), Encode[T, P](t, got); !bytes.Equal(a, b) {
		t.Fatalf("%s: merged shards encode otherwise than the whole:\n%x\n%x", what, a, b)
	}
}

// Refused checks that x.Merge(o) fails with an error wrapping target and
// leaves x's encoding unchanged.
func Refused[T any, P Partial[T]](t testing.TB, what string, x, o P, target error) {
	t.Helper()
	before := Encode[T, P](t, x)
	err := x.Merge(o)
	if !errors.Is(err, target) {
		t.Fatalf("%s: Merge: %v, want an error wrapping %q", what, err, target)
	}
	if after := Encode[T, P](t, x); !bytes.Equal(before, after) {
		t.Fatalf("%s: a refused Merge changed the receiver", what)
	}
}

// Fuzz is the body of a FuzzUnmarshalXxx target: data must not make
// UnmarshalBinary panic or allocate more than a bounded multiple of its
// length; if it decodes, it is canonical (re-encodes to itself) and
// decodes again to the same bytes.
func Fuzz[T any, P Partial[T]](t *testing.T, data []byte) {
	var m0, m1 runtime.MemStats
	runtime.ReadMemStats(&m0)
	x := P(new(T))
	err := x.UnmarshalBinary(data)
	runtime.ReadMemStats(&m1)
	if alloc := m1.TotalAlloc - m0.TotalAlloc; alloc > 1<<20+uint64(len(data))*256 {
		t.Fatalf("decoding %d bytes allocated %d bytes", len(data), alloc)
	}
	if err != nil {
		return
	}
	b := Encode[T, P](t, x)
	if !bytes.Equal(b, data) {
		t.Fatalf("decoded bytes re-encode otherwise:\n%x\n%x", data, b)
	}
}

// short prints v, cut to a readable length.
func short(v any) string {
	s := fmt.Sprintf("%+v", v)
	if len(s) > 2000 {
		s = s[:2000] + "…"
	}
	return s
}
