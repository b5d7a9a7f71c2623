package funnel

import (
	"bytes"
	"cmp"
	"encoding/json"
	"fmt"
	"math"
	"strings"

	"github.com/parcours-go/parcours/internal/jsonstrict"
	"github.com/parcours-go/parcours/internal/quantile"
	"github.com/parcours-go/parcours/internal/wire"
)

var (
	// ErrSharedCustomers is wrapped by the errors of Report.Merge when the
	// two reports' customer samples share a customer: the shards did not
	// partition the customers. It is the same value as
	// journey.ErrSharedCustomers.
	ErrSharedCustomers = wire.ErrSharedCustomers
	// ErrFormat is wrapped by the errors of UnmarshalBinary for bytes that
	// are not an encoding of the type, or of a version this package does
	// not read.
	ErrFormat = wire.ErrFormat
)

// writeDurations writes the runs: their number, the unit (the greatest
// common divisor of the durations, in nanoseconds: Options.Resolution or
// a multiple of it; 1 when every duration is 0), then for each run its
// duration in units (the first whole, the others as the increment over
// the previous one, at least 1) and its count, all unsigned varints.
func writeDurations(w *wire.Writer, d *Durations) {
	runs := d.q.Runs()
	w.Int(len(runs))
	if len(runs) == 0 {
		return
	}
	var unit uint64
	for _, r := range runs {
		unit = gcd(unit, uint64(r.Value))
	}
	unit = max(unit, 1)
	w.Uvarint(unit)
	var prev uint64
	for i, r := range runs {
		v := uint64(r.Value) / unit
		if i == 0 {
			w.Uvarint(v)
		} else {
			w.Uvarint(v - prev)
		}
		w.Uvarint(uint64(r.Count))
		prev = v
	}
}

func gcd(a, b uint64) uint64 {
	for b != 0 {
		a, b = b, a%b
	}
	return a
}

func readDurations(r *wire.Reader) Durations {
	n := r.Len(2)
	if r.Err() != nil || n == 0 {
		return Durations{}
	}
	unit := r.Uvarint()
	if r.Err() == nil && (unit == 0 || unit > math.MaxInt64) {
		r.Fail("duration unit %d", unit)
	}
	if r.Err() != nil {
		return Durations{}
	}
	runs := make([]quantile.Run, 0, n)
	var prev, g uint64
	limit := uint64(math.MaxInt64) / unit
	for i := range n {
		d, c := r.Uvarint(), r.Uvarint()
		if r.Err() != nil {
			return Durations{}
		}
		v := d
		if i > 0 {
			if d == 0 || d > limit-prev {
				r.Fail("durations not increasing, or too long")
				return Durations{}
			}
			v = prev + d
		}
		if v > limit || c == 0 || c > math.MaxInt64 {
			r.Fail("bad run (%d units, %d)", v, c)
			return Durations{}
		}
		g = gcd(g, v)
		runs = append(runs, quantile.Run{Value: int64(v * unit), Count: int64(c)})
		prev = v
	}
	if g > 1 || g == 0 && unit != 1 {
		r.Fail("duration unit %d not the durations' greatest common divisor", unit)
		return Durations{}
	}
	q, err := quantile.FromRuns(runs)
	if err != nil {
		r.Fail("%v", err)
		return Durations{}
	}
	return Durations{q}
}

// MarshalBinary implements encoding.BinaryMarshaler. Layout, after the
// header "pcQ" and version 1: the number of runs; if there are any, the
// unit (the greatest common divisor of the durations in nanoseconds, so
// Options.Resolution or a multiple of it); then for each run its duration
// in units (the first whole, the others as the increment over the
// previous one) and its count, all unsigned varints: 2 to 4 bytes a run
// at a resolution of a second. It never fails. A format that changes
// gets a new version; UnmarshalBinary rejects others.
func (d *Durations) MarshalBinary() ([]byte, error) {
	var w wire.Writer
	w.Header(wire.TagDurations)
	writeDurations(&w, d)
	return w.B, nil
}

// UnmarshalBinary implements encoding.BinaryUnmarshaler, reading what
// MarshalBinary writes, strictly: it fails with an error wrapping
// ErrFormat on any other bytes (durations not increasing or negative,
// zero counts, counts whose sum overflows, trailing bytes), leaving d
// unchanged. It allocates at most a small multiple of len(data).
func (d *Durations) UnmarshalBinary(data []byte) error {
	r := wire.NewReader(data)
	r.Header(wire.TagDurations)
	q := readDurations(r)
	if err := r.Done(); err != nil {
		return fmt.Errorf("funnel: durations: %w", err)
	}
	*d = q
	return nil
}

// writeNames writes a sorted list of names front-coded: the count, then
// for each the length of the prefix it shares with the previous one (at
// most wire.MaxPrefix bytes) and the rest as a string.
func writeNames(w *wire.Writer, names []string) {
	w.Int(len(names))
	prev := ""
	for _, s := range names {
		p := 0
		for p < wire.MaxPrefix && p < len(prev) && p < len(s) && prev[p] == s[p] {
			p++
		}
		w.Int(p)
		w.String(s[p:])
		prev = s
	}
}

func readNames(r *wire.Reader) []string {
	n := r.Len(2)
	if r.Err() != nil || n == 0 {
		return nil
	}
	out := make([]string, 0, n)
	prev := ""
	for range n {
		p := r.Int()
		rest := r.String()
		if r.Err() != nil {
			return nil
		}
		if p > len(prev) || p > wire.MaxPrefix || p < wire.MaxPrefix && rest != "" && p < len(prev) && rest[0] == prev[p] {
			r.Fail("name prefix %d not the one shared", p)
			return nil
		}
		s := prev[:p] + rest
		if s < prev {
			r.Fail("names not sorted")
			return nil
		}
		out = append(out, s)
		prev = s
	}
	return out
}

func writeStages(w *wire.Writer, s Stages) {
	for _, st := range s {
		w.String(st.Name)
		w.Bool(st.Optional)
		w.Int(st.Reached)
		w.Int(st.Dropped)
		writeDurations(w, &st.FromPrevious)
		writeDurations(w, &st.FromFirst)
		writeNames(w, st.Customers)
		writeNames(w, st.DroppedCustomers)
	}
}

func readStages(r *wire.Reader, n int) Stages {
	if r.Left() < 8*n {
		r.Fail("%d stages cannot fit in %d bytes", n, r.Left())
		return nil
	}
	s := make(Stages, n)
	for k := range s {
		st := &s[k]
		st.Name = r.String()
		st.Optional = r.Bool()
		st.Reached = r.Int()
		st.Dropped = r.Int()
		st.FromPrevious = readDurations(r)
		st.FromFirst = readDurations(r)
		st.Customers = readNames(r)
		st.DroppedCustomers = readNames(r)
		if r.Err() != nil {
			return nil
		}
	}
	return s
}

// writeJSON writes the JSON of v, length-prefixed.
func writeJSON(w *wire.Writer, v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return err
	}
	w.String(string(b))
	return nil
}

// readJSON reads what writeJSON writes into v, strictly, and checks that
// it is the JSON v marshals to.
func readJSON(r *wire.Reader, v any) {
	s := r.String()
	if r.Err() != nil {
		return
	}
	if err := jsonstrict.Decode([]byte(s), v); err != nil {
		r.Fail("%v", err)
		return
	}
	if b, err := json.Marshal(v); err != nil || !bytes.Equal(b, []byte(s)) {
		r.Fail("JSON not canonical")
	}
}

// MarshalBinary implements encoding.BinaryMarshaler: a compact, canonical
// encoding of the report (equal reports give equal bytes whatever the
// merges that made them), so that reports made on shards of customers
// can travel and be merged elsewhere. It fails only if the spec cannot be
// written as JSON.
//
// Layout, after the header "pcR" and version 1: the Spec as JSON (short,
// and compared as JSON by Merge), the customer sample (count, then
// ascending hashes as varint deltas), Customers, Excluded, the stages,
// the breakdowns (count; each its Breakdown as JSON, then its segments:
// count, each a value and stages), the trend (count; each bucket's start
// as time.Time.MarshalBinary, then stages), and the drivers (0 for none,
// or 1, Success, Failure, then the features sorted: kind, key, value,
// successes, failures). A stage is its name, optional flag, Reached,
// Dropped, the two Durations (runs as in Durations.MarshalBinary) and the
// two customer lists, sorted and front-coded. Counts are unsigned
// varints. A format that changes gets a new version; UnmarshalBinary
// rejects others.
func (r *Report) MarshalBinary() ([]byte, error) {
	var w wire.Writer
	w.Header(wire.TagReport)
	if err := writeJSON(&w, r.Funnel); err != nil {
		return nil, fmt.Errorf("funnel: report: %w", err)
	}
	w.Sample(&r.Sample.s)
	w.Int(r.Customers)
	w.Int(r.Excluded)
	w.Int(len(r.Stages))
	writeStages(&w, r.Stages)
	w.Int(len(r.Breakdowns))
	for _, b := range r.Breakdowns {
		if err := writeJSON(&w, b.Breakdown); err != nil {
			return nil, fmt.Errorf("funnel: report: %w", err)
		}
		w.Int(len(b.Segments))
		for _, s := range b.Segments {
			w.String(s.Value)
			writeStages(&w, s.Stages)
		}
	}
	w.Int(len(r.Trend))
	for _, b := range r.Trend {
		t, err := b.Start.MarshalBinary()
		if err != nil {
			return nil, fmt.Errorf("funnel: report: trend: %w", err)
		}
		w.String(string(t))
		writeStages(&w, b.Stages)
	}
	if d := r.Drivers; d == nil {
		w.Bool(false)
	} else {
		w.Bool(true)
		w.Int(d.Success)
		w.Int(d.Failure)
		w.Int(len(d.Features))
		for _, f := range d.Features {
			w.String(f.Feature.Kind)
			w.String(f.Feature.Key)
			w.String(f.Feature.Value)
			w.Int(f.Success)
			w.Int(f.Failure)
		}
	}
	return w.B, nil
}

// UnmarshalBinary implements encoding.BinaryUnmarshaler, reading what
// MarshalBinary writes, strictly: it fails with an error wrapping
// ErrFormat on any other bytes, a version it does not know, trailing
// bytes or an inconsistent report (as UnmarshalJSON checks it, segments
// and buckets in their order), leaving r unchanged. It allocates at most
// a small multiple of len(data).
func (r *Report) UnmarshalBinary(data []byte) error {
	rd := wire.NewReader(data)
	rd.Header(wire.TagReport)
	var rep Report
	readJSON(rd, &rep.Funnel)
	rep.Sample.s = rd.Sample()
	rep.Customers = rd.Int()
	rep.Excluded = rd.Int()
	n := rd.Len(8)
	rep.Stages = readStages(rd, n)
	nb := rd.Len(2)
	for range nb {
		if rd.Err() != nil {
			break
		}
		var b BreakdownReport
		readJSON(rd, &b.Breakdown)
		ns := rd.Len(1 + 8*n)
		for range ns {
			if rd.Err() != nil {
				break
			}
			v := rd.String()
			b.Segments = append(b.Segments, Segment{Value: v, Stages: readStages(rd, n)})
		}
		for i := 1; i < len(b.Segments) && rd.Err() == nil; i++ {
			if compareSegments(b.Segments[i-1], b.Segments[i]) >= 0 {
				rd.Fail("segments not in order")
			}
		}
		rep.Breakdowns = append(rep.Breakdowns, b)
	}
	nt := rd.Len(1 + 8*n)
	for range nt {
		if rd.Err() != nil {
			break
		}
		var b Bucket
		t := rd.String()
		if rd.Err() == nil {
			if err := b.Start.UnmarshalBinary([]byte(t)); err != nil {
				rd.Fail("bucket start: %v", err)
			} else if again, _ := b.Start.MarshalBinary(); !bytes.Equal(again, []byte(t)) {
				rd.Fail("bucket start not canonical")
			}
		}
		b.Stages = readStages(rd, n)
		rep.Trend = append(rep.Trend, b)
	}
	if rd.Bool() {
		d := &DriverCounts{Success: rd.Int(), Failure: rd.Int()}
		nf := rd.Len(5)
		for range nf {
			if rd.Err() != nil {
				break
			}
			var fc FeatureCount
			fc.Feature.Kind = rd.String()
			fc.Feature.Key = rd.String()
			fc.Feature.Value = rd.String()
			fc.Success = rd.Int()
			fc.Failure = rd.Int()
			d.Features = append(d.Features, fc)
		}
		if d.Features == nil && rd.Err() == nil {
			d.Features = []FeatureCount{}
		}
		rep.Drivers = d
	}
	if err := rd.Done(); err != nil {
		return fmt.Errorf("funnel: report: %w", err)
	}
	if err := rep.check(); err != nil {
		return fmt.Errorf("funnel: report: %w: %w", ErrFormat, err)
	}
	*r = rep
	return nil
}

// compareSegments is the order of a breakdown's segments (sortSegments):
// most units entered first, then by value.
func compareSegments(a, b Segment) int {
	return cmp.Or(-cmp.Compare(entered(a.Stages), entered(b.Stages)), strings.Compare(a.Value, b.Value))
}
