// Package wire is the framing shared by the binary encodings of the
// library's mergeable aggregates (paths.Variants, graph.Counts,
// attribution.Table, funnel.Report …): a header, unsigned and zigzag
// varints, numbers, length-prefixed strings and string tables, and a
// strict reader that bounds every allocation by the bytes left.
//
// # Header
//
// Every encoding opens with four bytes: 'p', 'c', a tag naming the type
// (Tag) and the format's version. A decoder accepts only the versions it
// knows (today 1 for every type) and fails with ErrVersion on others; a
// format changes its version whenever its layout changes, so an old
// decoder never misreads a new encoding.
//
// # Canonical output
//
// Encoders write map contents sorted, so equal values encode to equal
// bytes. Decoders are strict: they reject trailing bytes, unsorted or
// repeated entries, non-minimal numbers and anything an encoder would not
// write, so a successful decode re-encodes to the very same bytes.
package wire

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math"
)

// Tag names the type an encoding holds.
type Tag byte

// The tags of the encoded types.
const (
	TagVariants     Tag = 'V'
	TagGoalVariants Tag = 'G'
	TagFollows      Tag = 'D' // directly-follows
	TagFlows        Tag = 'F'
	TagLoops        Tag = 'L'
	TagCounts       Tag = 'T' // transition counts
	TagTable        Tag = 'A' // attribution route table
	TagReport       Tag = 'R' // funnel report
	TagDurations    Tag = 'Q' // funnel durations
)

// Version is the format version every type writes today.
const Version = 1

// Errors of decoding; every decode error wraps ErrFormat.
var (
	ErrFormat  = errors.New("bad binary encoding")
	ErrVersion = errors.New("unsupported version")
)

// ErrSharedCustomers is returned (wrapped) by the Merge of two aggregates
// whose customer samples share a customer: the shards they were computed
// on did not partition the customers. The public packages export this
// very value under the same name.
var ErrSharedCustomers = errors.New("shards share a customer")

// Writer appends an encoding to a byte slice. The zero value is ready to
// use; Header starts an encoding.
type Writer struct{ B []byte }

// Header writes the four header bytes of tag at Version.
func (w *Writer) Header(t Tag) { w.B = append(w.B, 'p', 'c', byte(t), Version) }

// Uvarint writes x as an unsigned varint.
func (w *Writer) Uvarint(x uint64) { w.B = binary.AppendUvarint(w.B, x) }

// Int writes a non-negative int as an unsigned varint; a negative one
// panics (callers write only counts).
func (w *Writer) Int(n int) {
	if n < 0 {
		panic(fmt.Sprintf("wire: Int(%d)", n))
	}
	w.Uvarint(uint64(n))
}

// Varint writes x zigzag-encoded.
func (w *Writer) Varint(x int64) { w.B = binary.AppendVarint(w.B, x) }

// Bool writes 0 or 1.
func (w *Writer) Bool(b bool) {
	if b {
		w.B = append(w.B, 1)
	} else {
		w.B = append(w.B, 0)
	}
}

// String writes s with its length in front.
func (w *Writer) String(s string) {
	w.Uvarint(uint64(len(s)))
	w.B = append(w.B, s...)
}

// Float writes a float64: a whole number in [0, 2^53] (not -0) as the
// varint 2n, one byte for small counts; anything else as 1 then the 8
// bytes of its IEEE 754 bits, little-endian.
func (w *Writer) Float(f float64) {
	if isWhole(f) {
		w.Uvarint(uint64(f) << 1)
		return
	}
	w.B = append(w.B, 1)
	w.B = binary.LittleEndian.AppendUint64(w.B, math.Float64bits(f))
}

func isWhole(f float64) bool {
	return f >= 0 && f <= 1<<53 && f == math.Trunc(f) && !math.Signbit(f)
}

// Strings writes a table of names, which must be sorted and distinct: a
// count, then each name. Entries refer to names by their index.
func (w *Writer) Strings(names []string) {
	w.Int(len(names))
	for _, s := range names {
		w.String(s)
	}
}

// Reader reads an encoding strictly. It records the first error and then
// returns zero values, so a decoder reads on and checks Err (or Done) once.
type Reader struct {
	b   []byte
	off int
	err error
}

// NewReader returns a reader of b.
func NewReader(b []byte) *Reader { return &Reader{b: b} }

// Err returns the first error met.
func (r *Reader) Err() error { return r.err }

// Fail records an error wrapping ErrFormat, if none yet.
func (r *Reader) Fail(format string, args ...any) {
	if r.err == nil {
		r.err = fmt.Errorf("%w: at byte %d: %s", ErrFormat, r.off, fmt.Sprintf(format, args...))
	}
}

// Left returns the number of bytes not read yet.
func (r *Reader) Left() int { return len(r.b) - r.off }

// Header reads the header and checks its tag and version.
func (r *Reader) Header(t Tag) {
	if r.Left() < 4 {
		r.Fail("%d bytes, too short for a header", len(r.b))
		return
	}
	h := r.b[r.off : r.off+4]
	if h[0] != 'p' || h[1] != 'c' || h[2] != byte(t) {
		r.Fail("header %q, want \"pc%c\"", h[:3], t)
		return
	}
	if h[3] != Version {
		r.err = fmt.Errorf("%w: %w %d (this decoder reads version %d)", ErrFormat, ErrVersion, h[3], Version)
		return
	}
	r.off += 4
}

// Done checks that every byte was read and returns the first error.
func (r *Reader) Done() error {
	if r.err == nil && r.off != len(r.b) {
		r.Fail("%d trailing bytes", len(r.b)-r.off)
	}
	return r.err
}

// Uvarint reads an unsigned varint, which must be minimal.
func (r *Reader) Uvarint() uint64 {
	if r.err != nil {
		return 0
	}
	x, n := binary.Uvarint(r.b[r.off:])
	if n <= 0 {
		r.Fail("bad varint")
		return 0
	}
	if n > 1 && r.b[r.off+n-1] == 0 {
		r.Fail("non-minimal varint")
		return 0
	}
	r.off += n
	return x
}

// Varint reads a zigzag varint.
func (r *Reader) Varint() int64 {
	u := r.Uvarint()
	x := int64(u >> 1)
	if u&1 != 0 {
		x = ^x
	}
	return x
}

// Int reads a count that must fit an int64.
func (r *Reader) Int() int {
	x := r.Uvarint()
	if x > math.MaxInt64 || uint64(int(x)) != x {
		r.Fail("count %d overflows", x)
		return 0
	}
	return int(x)
}

// Len reads a number of entries each taking at least min bytes, and fails
// if the bytes left cannot hold them: callers may allocate that many.
func (r *Reader) Len(min int) int {
	n := r.Int()
	if r.err == nil && n > r.Left()/max(min, 1) {
		r.Fail("%d entries cannot fit in %d bytes", n, r.Left())
		return 0
	}
	return n
}

// Bool reads a 0 or a 1.
func (r *Reader) Bool() bool {
	x := r.Uvarint()
	if x > 1 {
		r.Fail("bad bool %d", x)
	}
	return x == 1
}

// Byte reads one byte.
func (r *Reader) Byte() byte {
	if r.err != nil {
		return 0
	}
	if r.Left() < 1 {
		r.Fail("unexpected end")
		return 0
	}
	r.off++
	return r.b[r.off-1]
}

// String reads a length-prefixed string.
func (r *Reader) String() string {
	n := r.Len(1)
	if r.err != nil {
		return ""
	}
	s := string(r.b[r.off : r.off+n])
	r.off += n
	return s
}

// Float reads what Writer.Float writes, rejecting a whole number in the
// long form and NaN.
func (r *Reader) Float() float64 {
	x := r.Uvarint()
	if x&1 == 0 {
		if x>>1 > 1<<53 {
			r.Fail("number %d beyond 2^53", x>>1)
			return 0
		}
		return float64(x >> 1)
	}
	if x != 1 {
		r.Fail("bad number tag %d", x)
		return 0
	}
	if r.Left() < 8 {
		r.Fail("unexpected end")
		return 0
	}
	f := math.Float64frombits(binary.LittleEndian.Uint64(r.b[r.off:]))
	r.off += 8
	if math.IsNaN(f) || isWhole(f) {
		r.Fail("number %v in the wrong form", f)
		return 0
	}
	return f
}

// Strings reads a table of names, which must be sorted and distinct.
func (r *Reader) Strings() []string {
	n := r.Len(1)
	if r.err != nil {
		return nil
	}
	names := make([]string, n)
	for i := range names {
		names[i] = r.String()
		if i > 0 && r.err == nil && names[i] <= names[i-1] {
			r.Fail("names %q, %q not sorted", names[i-1], names[i])
		}
	}
	return names
}

// ID reads an index below n.
func (r *Reader) ID(n int) uint32 {
	x := r.Uvarint()
	if r.err == nil && x >= uint64(n) {
		r.Fail("index %d out of %d", x, n)
		return 0
	}
	return uint32(x)
}

// MaxPrefix is the longest prefix a front-coded entry shares with the
// previous one: it bounds what a decoder copies per entry, so that hostile
// input cannot make it allocate much more than its own size.
const MaxPrefix = 64

// Prefix returns the length of the prefix a front-coded route cur shares
// with prev, at most MaxPrefix.
func Prefix(prev, cur []uint32) int {
	n := min(len(prev), len(cur), MaxPrefix)
	prev, cur = prev[:n], cur[:n]
	for p := range prev {
		if prev[p] != cur[p] {
			return p
		}
	}
	return n
}

// Route writes cur, a route of ids that sorts strictly after prev (unless
// first), front-coded: the length of the prefix it shares with prev (at
// most MaxPrefix), the number of ids after it, then those ids.
func (w *Writer) Route(prev, cur []uint32, first bool) {
	p := 0
	if !first {
		p = Prefix(prev, cur)
	}
	w.Int(p)
	w.Int(len(cur) - p)
	for _, id := range cur[p:] {
		w.Uvarint(uint64(id))
	}
}

// Route reads a route written by Writer.Route after prev, appending it to
// arena; it returns the grown arena and the route, which aliases it. It
// fails unless every id is below n, the prefix is exactly the one
// Writer.Route writes and the route sorts strictly after prev.
func (r *Reader) Route(arena, prev []uint32, first bool, n int) (grown, route []uint32) {
	p := r.Int()
	if r.err == nil && (p > len(prev) || p > MaxPrefix || first && p != 0) {
		r.Fail("route prefix %d longer than allowed", p)
	}
	m := r.Len(1)
	if r.err != nil {
		return arena, nil
	}
	lo := len(arena)
	arena = append(arena, prev[:p]...)
	for range m {
		arena = append(arena, r.ID(n))
	}
	route = arena[lo:len(arena):len(arena)]
	if r.err == nil && !first {
		switch {
		case p < MaxPrefix && Prefix(prev, route) != p:
			r.Fail("route prefix not the longest shared")
		case slicesCompare(route, prev) <= 0:
			r.Fail("routes not sorted")
		}
	}
	return arena, route
}

func slicesCompare(a, b []uint32) int {
	for i := range min(len(a), len(b)) {
		if a[i] != b[i] {
			if a[i] < b[i] {
				return -1
			}
			return 1
		}
	}
	return len(a) - len(b)
}

// AllUsed fails unless every name of a table was referred to: an encoder
// writes only the names it uses.
func (r *Reader) AllUsed(used []bool) {
	for i, u := range used {
		if !u {
			r.Fail("name %d unused", i)
			return
		}
	}
}
