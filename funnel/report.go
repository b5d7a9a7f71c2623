package funnel

import (
	"cmp"
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"strings"
	"time"

	"github.com/parcours-go/parcours/internal/jsonstrict"
	"github.com/parcours-go/parcours/internal/verr"
	"github.com/parcours-go/parcours/internal/wire"
)

// Report is what Analyze finds: per stage, the units (customers or
// attempts) that reached it and dropped after it, with their times to
// convert; breakdowns, a trend, and drop-off drivers when asked for.
//
// Reports hold counts and exact distributions only, so they merge
// ([Report.Merge]): the reports of a log split by customer merge into
// exactly the report of the whole. Rates are computed from the counts
// ([Stages.FromPrevious], [Stages.FromFirst], [Stages.DropOff]).
//
// A Report reads and writes JSON with the field names below; decoding is
// strict and checks that the report is consistent.
type Report struct {
	Funnel    Spec `json:"funnel"`
	Customers int  `json:"customers"` // customers in the log
	// Excluded counts the units an exclusion removed from the funnel.
	// They are in no stage, breakdown or trend.
	Excluded   int               `json:"excluded"`
	Stages     Stages            `json:"stages"`
	Breakdowns []BreakdownReport `json:"breakdowns,omitempty"`
	Trend      []Bucket          `json:"trend,omitempty"`
	Drivers    *DriverCounts     `json:"drivers,omitempty"`
	// Sample is a sample of the customers of the log, which Analyze fills
	// and Merge reads to detect shards that share a customer. The binary
	// encoding carries it; the JSON form does not.
	Sample CustomerSample `json:"-"`
}

// CustomerSample is a fixed-size sample of the customers a report
// counted: the 64 smallest 64-bit hashes of their ids (FNV-1a, then a
// splitmix64 finaliser), 64×8 bytes. Two reports of disjoint customers
// have disjoint samples, and the sample of a merge is the sample of the
// pooled customers. The zero value is empty.
type CustomerSample struct{ s wire.Sample }

// Len returns the number of customers in the sample: all of them up to 64.
func (c CustomerSample) Len() int { return c.s.Len() }

// Estimate returns an estimate of the number of distinct customers
// counted: exact up to 64, else the KMV estimate (k−1)/h_k for the k-th
// smallest hash h_k scaled to [0, 1), with a relative standard error of
// about 13 %.
func (c CustomerSample) Estimate() float64 { return c.s.Estimate() }

// Equal reports whether c and o hold the same customers.
func (c CustomerSample) Equal(o CustomerSample) bool { return c.s.Equal(&o.s) }

// Spec records what a report is about: the funnel's rules and the options
// that shape the numbers. Reports merge only if their specs are equal.
type Spec struct {
	Stages         []string        `json:"stages"`
	Order          Order           `json:"order"`
	Window         time.Duration   `json:"window"` // nanoseconds
	Open           bool            `json:"open,omitempty"`
	StrictDedup    bool            `json:"strict_dedup,omitempty"`
	StrictIncrease bool            `json:"strict_increase,omitempty"`
	StrictOnce     bool            `json:"strict_once,omitempty"`
	AllowReentry   bool            `json:"allow_reentry,omitempty"`
	Optional       []int           `json:"optional,omitempty"` // indexes of the optional stages
	Within         []time.Duration `json:"within,omitempty"`   // per stage, when some stage has one
	Exclusions     []ExclusionSpec `json:"exclusions,omitempty"`
	Count          Count           `json:"count"`
	Trend          Period          `json:"trend,omitempty"`
	Location       string          `json:"location,omitempty"` // of the trend's buckets
	Resolution     time.Duration   `json:"resolution,omitempty"`
	Lists          bool            `json:"lists,omitempty"` // the stages list their customers
	Drivers        *Drivers        `json:"drivers,omitempty"`
}

// ExclusionSpec names an exclusion of a report's funnel.
type ExclusionSpec struct {
	Name string `json:"name"`
	From int    `json:"from"`
	To   int    `json:"to"`
}

// StageReport is one stage of a report (or of one of its segments).
type StageReport struct {
	Name     string `json:"name"`
	Optional bool   `json:"optional,omitempty"`
	// Reached counts the units whose chain reached the stage: for an
	// optional stage, whose chain took it; in an unordered funnel, that
	// did at least this many stages (index + 1); in an open funnel, that
	// reached it from any entry stage.
	Reached int `json:"reached"`
	// Dropped counts the units that reached the stage and went no further
	// (0 for the last stage).
	Dropped int `json:"dropped"`
	// FromPrevious and FromFirst are the times from the chain's previous
	// stage, and from its first, to this stage (empty for the first stage;
	// FromFirst is empty in an open funnel).
	FromPrevious Durations `json:"from_previous"`
	FromFirst    Durations `json:"from_first"`
	// With Options.ListCustomers, the customers who reached the stage and
	// those who dropped after it, sorted.
	Customers        []string `json:"customers,omitempty"`
	DroppedCustomers []string `json:"dropped_customers,omitempty"`
}

// Stages are the stages of a report or segment, in funnel order.
type Stages []StageReport

// prev returns the stage before k that rates refer to: the nearest
// non-optional one.
func (s Stages) prev(k int) int {
	j := k - 1
	for j > 0 && s[j].Optional {
		j--
	}
	return j
}

func ratio(a, b int) float64 {
	if b == 0 {
		return 0
	}
	return float64(a) / float64(b)
}

// FromPrevious returns the conversion rate into stage k from the previous
// stage that is not optional: Reached[k] / Reached[previous]. It is 1 for
// the first stage (0 if nobody entered), and 0 when the previous stage
// has no unit. In an open funnel it may exceed 1 (units enter anywhere).
// It panics if k is out of range.
func (s Stages) FromPrevious(k int) float64 {
	if k == 0 {
		return ratio(s[0].Reached, s[0].Reached)
	}
	return ratio(s[k].Reached, s[s.prev(k)].Reached)
}

// FromFirst returns Reached[k] / Reached[0] (0 if nobody entered).
func (s Stages) FromFirst(k int) float64 { return ratio(s[k].Reached, s[0].Reached) }

// DropOff returns the share of the units at stage k that went no further:
// Dropped[k] / Reached[k].
func (s Stages) DropOff(k int) float64 { return ratio(s[k].Dropped, s[k].Reached) }

// BreakdownReport is one breakdown: the funnel's stages for each value.
type BreakdownReport struct {
	Breakdown Breakdown `json:"breakdown"`
	// Segments, most units entered first, then by value.
	Segments []Segment `json:"segments"`
}

// Segment is the funnel of the units with one breakdown value; the empty
// value gathers the units that have none.
type Segment struct {
	Value  string `json:"value"`
	Stages Stages `json:"stages"`
}

// Segment returns the segment with the given value.
func (b *BreakdownReport) Segment(value string) (*Segment, bool) {
	for i := range b.Segments {
		if b.Segments[i].Value == value {
			return &b.Segments[i], true
		}
	}
	return nil, false
}

// Bucket is the funnel of the units whose chain started in one calendar
// period (a day, week or month, in the report's time zone).
type Bucket struct {
	Start  time.Time `json:"start"`
	Stages Stages    `json:"stages"`
}

// DriverCounts are the raw counts of a drop-off driver analysis (PostHog's
// correlation analysis): among the units that entered the funnel, those
// that reached the target stage (success) and the others (failure), and
// for each feature, how many of each had it.
type DriverCounts struct {
	Success  int            `json:"success"`
	Failure  int            `json:"failure"`
	Features []FeatureCount `json:"features"` // sorted by feature
}

// Feature is something a unit did during its attempt: a step, channel or
// touchpoint it went through, or a property value it had. Kind is "step",
// "channel", "touchpoint" or "prop"; Key is the property's key.
type Feature struct {
	Kind  string `json:"kind"`
	Key   string `json:"key,omitempty"`
	Value string `json:"value"`
}

// String returns kind=value, or key=value for a property.
func (f Feature) String() string {
	if f.Kind == "prop" {
		return f.Key + "=" + f.Value
	}
	return f.Kind + "=" + f.Value
}

func compareFeatures(a, b Feature) int {
	return cmp.Or(cmp.Compare(a.Kind, b.Kind), cmp.Compare(a.Key, b.Key), cmp.Compare(a.Value, b.Value))
}

// FeatureCount is how many successful and failed units had a feature.
type FeatureCount struct {
	Feature Feature `json:"feature"`
	Success int     `json:"success"`
	Failure int     `json:"failure"`
}

// Driver is a feature with its odds ratio.
type Driver struct {
	Feature          Feature
	Success, Failure int     // units with the feature
	OddsRatio        float64 // > 1: successful units are more likely to have it
}

// OddsRatio returns PostHog's odds ratio of a feature that s successful
// and f failed units had, out of S successful and F failed units, with a
// prior of one unit added to each cell:
//
//	((s+1)·(F−f+1)) / ((S−s+1)·(f+1))
//
// For s=5, f=1, S=7, F=11 it is (6·11)/(3·2) = 11.
func OddsRatio(s, f, S, F int) float64 {
	return float64(s+1) * float64(F-f+1) / (float64(S-s+1) * float64(f+1))
}

// MinUnits returns PostHog's significance threshold: a feature needs at
// least min(25, 2% of the units) units to be shown.
func (d *DriverCounts) MinUnits() int {
	return min(25, int(math.Ceil(0.02*float64(d.Success+d.Failure))))
}

// Skewed reports whether the success and failure groups are too unequal
// for the odds ratios to mean much (one is empty, or ten times the other).
func (d *DriverCounts) Skewed() bool {
	s, f := d.Success, d.Failure
	return s == 0 || f == 0 || s > 10*f || f > 10*s
}

// Drivers returns the features that at least minUnits units had, with
// their odds ratios, most positive first (ties by feature). It returns
// nil when there is no success or no failure.
func (d *DriverCounts) Drivers(minUnits int) []Driver {
	if d.Success == 0 || d.Failure == 0 {
		return nil
	}
	var out []Driver
	for _, fc := range d.Features {
		if fc.Success+fc.Failure < minUnits {
			continue
		}
		out = append(out, Driver{fc.Feature, fc.Success, fc.Failure, OddsRatio(fc.Success, fc.Failure, d.Success, d.Failure)})
	}
	slices.SortFunc(out, func(a, b Driver) int {
		return cmp.Or(-cmp.Compare(a.OddsRatio, b.OddsRatio), compareFeatures(a.Feature, b.Feature))
	})
	return out
}

// Merge adds the report o, of a disjoint set of customers of the same
// funnel with the same options, to r: r becomes exactly the report of the
// pooled customers, stage counts, durations, breakdowns, trend and
// drivers; o is unchanged. Merges are associative and commutative. It
// returns an error wrapping ErrIncompatible, and leaves r unchanged, if
// the reports' specs or shapes differ. The zero Report takes the spec of
// the first report merged into it, so that it can start a fold, and
// merges into any report as nothing.
//
// Shards must partition the customers, each customer's events all in one
// shard. Reports made by Analyze keep a sample of their customers (the 64
// smallest 64-bit hashes of their ids, 64×8 bytes; see Report.Sample):
// Merge returns an error wrapping ErrSharedCustomers, and leaves r
// unchanged, when the two samples share a hash, a customer counted in
// both. The detection is probabilistic: a customer shared by shards of n
// and m customers is seen with probability about 64/max(n, m) (certainly
// below 64 customers), so shards sharing a share f of their customers are
// caught with probability about 1 − e^(−64f), 99.8 % for f = 10 %.
func (r *Report) Merge(o *Report) error {
	if o.isZero() {
		return nil
	}
	if r.isZero() {
		r.Funnel = cloneSpec(o.Funnel)
		r.Stages = make(Stages, len(o.Stages))
		for k, st := range o.Stages {
			r.Stages[k] = StageReport{Name: st.Name, Optional: st.Optional}
		}
		for _, b := range o.Breakdowns {
			r.Breakdowns = append(r.Breakdowns, BreakdownReport{Breakdown: b.Breakdown})
		}
		r.Trend = nil
	}
	if err := r.compatible(o); err != nil {
		return err
	}
	if err := r.Sample.s.Check("funnel", &o.Sample.s); err != nil {
		return err
	}
	r.Sample.s.Merge(&o.Sample.s)
	r.Customers += o.Customers
	r.Excluded += o.Excluded
	mergeStages(r.Stages, o.Stages)
	for i := range r.Breakdowns {
		r.Breakdowns[i].Segments = mergeSegments(r.Breakdowns[i].Segments, o.Breakdowns[i].Segments)
	}
	r.Trend = mergeBuckets(r.Trend, o.Trend)
	if o.Drivers != nil {
		if r.Drivers == nil {
			r.Drivers = &DriverCounts{}
		}
		r.Drivers.merge(o.Drivers)
	}
	return nil
}

// cloneSpec returns a deep copy of s, through its JSON (which Merge
// compares), so that a report that took another's spec shares nothing
// with it.
func cloneSpec(s Spec) Spec {
	b, err := json.Marshal(s)
	if err != nil {
		return s
	}
	var c Spec
	if json.Unmarshal(b, &c) != nil {
		return s
	}
	return c
}

// isZero reports whether r is the zero Report.
func (r *Report) isZero() bool {
	return len(r.Funnel.Stages) == 0 && len(r.Stages) == 0 && r.Customers == 0 && r.Excluded == 0 &&
		r.Breakdowns == nil && r.Trend == nil && r.Drivers == nil && r.Sample.Len() == 0
}

func (r *Report) compatible(o *Report) error {
	a, _ := json.Marshal(r.Funnel)
	b, _ := json.Marshal(o.Funnel)
	if string(a) != string(b) {
		return fmt.Errorf("funnel: %w: different funnels or options:\n%s\n%s", ErrIncompatible, a, b)
	}
	if len(r.Stages) != len(o.Stages) || len(r.Breakdowns) != len(o.Breakdowns) {
		return fmt.Errorf("funnel: %w: different numbers of stages or breakdowns", ErrIncompatible)
	}
	for i := range r.Breakdowns {
		a, _ := json.Marshal(r.Breakdowns[i].Breakdown)
		b, _ := json.Marshal(o.Breakdowns[i].Breakdown)
		if string(a) != string(b) {
			return fmt.Errorf("funnel: %w: breakdowns[%d] differ", ErrIncompatible, i)
		}
	}
	return nil
}

func mergeStages(dst, src Stages) {
	for k := range dst {
		d, s := &dst[k], &src[k]
		d.Reached += s.Reached
		d.Dropped += s.Dropped
		_ = d.FromPrevious.Merge(&s.FromPrevious) // never fails
		_ = d.FromFirst.Merge(&s.FromFirst)
		d.Customers = mergeSorted(d.Customers, s.Customers)
		d.DroppedCustomers = mergeSorted(d.DroppedCustomers, s.DroppedCustomers)
	}
}

func cloneStages(s Stages) Stages {
	out := make(Stages, len(s))
	for k := range s {
		out[k] = StageReport{Name: s[k].Name, Optional: s[k].Optional}
	}
	mergeStages(out, s)
	return out
}

// mergeSorted merges two sorted lists.
func mergeSorted(a, b []string) []string {
	if len(b) == 0 {
		return a
	}
	out := make([]string, 0, len(a)+len(b))
	i, j := 0, 0
	for i < len(a) || j < len(b) {
		if j == len(b) || i < len(a) && a[i] <= b[j] {
			out = append(out, a[i])
			i++
		} else {
			out = append(out, b[j])
			j++
		}
	}
	return out
}

func mergeSegments(dst, src []Segment) []Segment {
	for _, s := range src {
		i := slices.IndexFunc(dst, func(d Segment) bool { return d.Value == s.Value })
		if i < 0 {
			dst = append(dst, Segment{Value: s.Value, Stages: cloneStages(s.Stages)})
			continue
		}
		mergeStages(dst[i].Stages, s.Stages)
	}
	sortSegments(dst)
	return dst
}

func sortSegments(s []Segment) {
	slices.SortFunc(s, func(a, b Segment) int {
		return cmp.Or(-cmp.Compare(entered(a.Stages), entered(b.Stages)), cmp.Compare(a.Value, b.Value))
	})
}

func entered(s Stages) int {
	if len(s) == 0 {
		return 0
	}
	return s[0].Reached
}

func mergeBuckets(dst, src []Bucket) []Bucket {
	for _, b := range src {
		i := slices.IndexFunc(dst, func(d Bucket) bool { return d.Start.Equal(b.Start) })
		if i < 0 {
			dst = append(dst, Bucket{Start: b.Start, Stages: cloneStages(b.Stages)})
			continue
		}
		mergeStages(dst[i].Stages, b.Stages)
	}
	slices.SortFunc(dst, func(a, b Bucket) int { return a.Start.Compare(b.Start) })
	return dst
}

func (d *DriverCounts) merge(o *DriverCounts) {
	d.Success += o.Success
	d.Failure += o.Failure
	out := make([]FeatureCount, 0, len(d.Features)+len(o.Features))
	i, j := 0, 0
	for i < len(d.Features) || j < len(o.Features) {
		var c int
		switch {
		case j == len(o.Features):
			c = -1
		case i == len(d.Features):
			c = 1
		default:
			c = compareFeatures(d.Features[i].Feature, o.Features[j].Feature)
		}
		switch {
		case c < 0:
			out = append(out, d.Features[i])
			i++
		case c > 0:
			out = append(out, o.Features[j])
			j++
		default:
			fc := d.Features[i]
			fc.Success += o.Features[j].Success
			fc.Failure += o.Features[j].Failure
			out = append(out, fc)
			i++
			j++
		}
	}
	d.Features = out
}

// UnmarshalJSON decodes a report strictly (every unknown field and value
// of the wrong type is an error with its path) and checks it: counts are
// not negative, every segment and bucket has the report's stages,
// features are sorted and distinct, segment values and bucket starts are
// distinct.
func (r *Report) UnmarshalJSON(data []byte) error {
	type plain Report
	var p plain
	if err := jsonstrict.Decode(data, &p); err != nil {
		return verr.Prefix("funnel: report", err)
	}
	rep := Report(p)
	if err := rep.check(); err != nil {
		return err
	}
	*r = rep
	return nil
}

// check reports what makes r inconsistent.
func (r *Report) check() error {
	var l verr.List
	n := len(r.Stages)
	if len(r.Funnel.Stages) != n {
		l.Addf("stages", "%d stages, the funnel has %d", n, len(r.Funnel.Stages))
	}
	if r.Customers < 0 || r.Excluded < 0 {
		l.Addf("", "negative customers or excluded")
	}
	checkStages := func(path string, s Stages) {
		if len(s) != n {
			l.Addf(path, "%d stages, want %d", len(s), n)
		}
		for k, st := range s {
			if st.Reached < 0 || st.Dropped < 0 || st.Dropped > st.Reached {
				l.Addf(fmt.Sprintf("%s[%d]", path, k), "bad counts: reached %d, dropped %d", st.Reached, st.Dropped)
			}
			if !slices.IsSorted(st.Customers) || !slices.IsSorted(st.DroppedCustomers) {
				l.Addf(fmt.Sprintf("%s[%d]", path, k), "customer lists are not sorted")
			}
		}
	}
	checkStages("stages", r.Stages)
	for i, b := range r.Breakdowns {
		seen := map[string]bool{}
		for j, s := range b.Segments {
			path := fmt.Sprintf("breakdowns[%d].segments[%d]", i, j)
			if seen[s.Value] {
				l.Addf(path, "repeated value %q", s.Value)
			}
			seen[s.Value] = true
			checkStages(path+".stages", s.Stages)
		}
		if err := b.Breakdown.validate(n, false); err != nil {
			l.Add(fmt.Sprintf("breakdowns[%d].breakdown", i), err)
		}
	}
	for i, b := range r.Trend {
		path := fmt.Sprintf("trend[%d]", i)
		if i > 0 && !r.Trend[i-1].Start.Before(b.Start) {
			l.Addf(path, "buckets are not in increasing order of start")
		}
		checkStages(path+".stages", b.Stages)
	}
	if d := r.Drivers; d != nil {
		if d.Success < 0 || d.Failure < 0 {
			l.Addf("drivers", "negative counts")
		}
		for i, fc := range d.Features {
			if i > 0 && compareFeatures(d.Features[i-1].Feature, fc.Feature) >= 0 {
				l.Addf(fmt.Sprintf("drivers.features[%d]", i), "features are not sorted and distinct")
			}
			if fc.Success < 0 || fc.Failure < 0 || fc.Success > d.Success || fc.Failure > d.Failure {
				l.Addf(fmt.Sprintf("drivers.features[%d]", i), "bad counts")
			}
		}
	}
	if err := l.Err(); err != nil {
		return verr.Prefix("funnel: report", err)
	}
	return nil
}

// String summarises the report, one line per stage, for logs and examples.
func (r *Report) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%d %s", r.Customers, "customers")
	if r.Excluded > 0 {
		fmt.Fprintf(&b, ", %d %v excluded", r.Excluded, r.Funnel.Count)
	}
	b.WriteString("\n")
	for k, s := range r.Stages {
		fmt.Fprintf(&b, "%-16s %6d  %5.1f%% of previous  %5.1f%% of first  dropped %d",
			s.Name, s.Reached, 100*r.Stages.FromPrevious(k), 100*r.Stages.FromFirst(k), s.Dropped)
		if s.FromPrevious.Count() > 0 {
			fmt.Fprintf(&b, "  median %v", s.FromPrevious.Median())
		}
		b.WriteString("\n")
	}
	return b.String()
}
