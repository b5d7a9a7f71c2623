package attribution

import (
	"context"
	"errors"
	"fmt"
	"math"
	"slices"
	"strconv"

	nametab "github.com/parcours-go/parcours/internal/names"
	"github.com/parcours-go/parcours/internal/wire"
)

// Row is one row of a route table, in the layout of ChannelAttribution: a
// distinct route (the touches in the order touched), how many customers
// took it and converted, how many took it and did not, and the total value
// of the conversions.
//
// Touches are channels, touchpoints or steps, whatever the table was built
// by; any string is a touch, the empty one included (FromLog and ReadTable
// never produce it). Conversions and Nulls are usually whole numbers of
// customers but any finite number at least 0 is accepted (weighted data);
// Value is finite and at least 0, and 0 when Conversions is 0. Several
// rows may have the same route: every model adds them up.
type Row struct {
	Touches     []string // channels (or touchpoints, or steps) in the order touched
	Conversions float64  // customers who took this route and converted
	Nulls       float64  // customers who took this route and did not
	Value       float64  // total value of those conversions
}

// Journey is the former name of Row.
//
// Deprecated: use Row.
type Journey = Row

// Credit is what a model attributes to one touch.
type Credit struct {
	Conversions float64 // conversions attributed
	Value       float64 // value attributed
	// RemovalEffect is set by the Markov models only: 1 − P(conversion |
	// touch removed) / P(conversion).
	RemovalEffect float64
}

// Result maps each touch to its credit (with ShapleyOptions.Ordered, each
// touch and position: see PositionKey). A touch a model gives nothing may
// be absent; reading it gives the zero Credit. Every model returns the
// credit of every touch found on a converting route (with conversions
// above 0), zero or not, and attributes, up to floating-point rounding,
// exactly the conversions and the value of the rows it is given. No
// Credit holds a NaN, an infinity or a negative number.
type Result map[string]Credit

// Total returns the sum of the credits, added in the order of the sorted
// touches. Its RemovalEffect, a sum of removal effects, means nothing; the
// conversions and value of every model's result add up to those of the
// table it was given.
//
// Deprecated: use Table.Total, or the sums of the rows, which the credits
// of every model add up to.
func (r Result) Total() Credit {
	var t Credit
	for _, k := range r.Touches() {
		c := r[k]
		t.Conversions += c.Conversions
		t.Value += c.Value
		t.RemovalEffect += c.RemovalEffect
	}
	return t
}

// Touches returns the touches of r (with ShapleyOptions.Ordered, its
// position keys), sorted: the order to read or sum a Result in, so that
// equal results print and add up alike. It takes O(n log n) time for n
// touches.
func (r Result) Touches() []string {
	keys := make([]string, 0, len(r))
	for k := range r {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// Model is an attribution model over a route table: FirstTouch, LastTouch
// and Linear are Models, and so is any closure over options, such as
// func(rows []Row) (Result, error) { return Shapley(rows, ShapleyOptions{}) }.
// A Model must not keep or change rows.
type Model func(rows []Row) (Result, error)

// Sentinel errors, wrapped by the errors of this package for callers that
// branch with errors.Is.
var (
	// ErrEmptyRoute: a row has no touch.
	ErrEmptyRoute = errors.New("empty route")
	// ErrBadCount: a count or a value is negative, NaN or infinite, or a
	// row has value but no conversion.
	ErrBadCount = errors.New("bad count")
	// ErrBadOption: an option is out of its range.
	ErrBadOption = errors.New("bad option")
	// ErrNoGoal: FromLog, CountLog or TimeDecay was given no goal.
	ErrNoGoal = errors.New("no goal")
	// ErrBadTouch: WriteTable cannot write a touch that holds the route
	// separator or begins or ends with a space, as ReadTable would not read
	// it back.
	ErrBadTouch = errors.New("touch cannot be written")
	// ErrNotWhole: Bootstrap and ChooseOrder resample or split customers,
	// so counts must be whole numbers.
	ErrNotWhole = errors.New("count is not a whole number")
	// ErrTooLarge: computing the removal effect of every touch exactly
	// would take too long (see Markov).
	ErrTooLarge = errors.New("too large to compute exactly")
	// ErrIncompatible: Table.Merge was given a table counted from a log
	// with other options (another By, goal, Lookback…).
	ErrIncompatible = errors.New("incompatible tables")
	// ErrSharedCustomers: Table.Merge was given a table whose customer
	// sample shares a customer with the receiver's: the shards did not
	// partition the customers. It is the same value as
	// journey.ErrSharedCustomers.
	ErrSharedCustomers = wire.ErrSharedCustomers
	// ErrFormat: Table.UnmarshalBinary was given bytes that are not an
	// encoding of a table, or of a version this package does not read.
	ErrFormat = wire.ErrFormat
)

// orBackground returns ctx, or context.Background() if ctx is nil: the
// Context of every options struct of this package.
func orBackground(ctx context.Context) context.Context {
	if ctx == nil {
		return context.Background()
	}
	return ctx
}

// maxReported caps how many bad rows one error lists.
const maxReported = 20

// checkRow reports the first problem of j.
func checkRow(j *Row) error {
	if len(j.Touches) == 0 {
		return ErrEmptyRoute
	}
	return checkCounts(j.Conversions, j.Nulls, j.Value)
}

func checkCounts(conv, nulls, value float64) error {
	bad := func(x float64) bool { return !(x >= 0) || math.IsInf(x, 1) }
	switch {
	case bad(conv):
		return fmt.Errorf("%w: conversions %v (want a finite number ≥ 0)", ErrBadCount, conv)
	case bad(nulls):
		return fmt.Errorf("%w: nulls %v (want a finite number ≥ 0)", ErrBadCount, nulls)
	case bad(value):
		return fmt.Errorf("%w: value %v (want a finite number ≥ 0)", ErrBadCount, value)
	case value > 0 && conv == 0:
		return fmt.Errorf("%w: value %v without conversions", ErrBadCount, value)
	}
	return nil
}

// validate checks every row and returns their problems joined, the first
// 20 of them, each naming its row by index.
func validate(js []Row) error {
	_, _, err := tally(js, false)
	return err
}

// tally validates js as validate does and counts the rows a model reads
// (those with conversions, and with nulls too if withNulls) and their touches.
func tally(js []Row, withNulls bool) (rows, touches int, err error) {
	// The fast pass: a few comparisons per row, no call.
	ok := true
	for i := range js {
		j := &js[i]
		if len(j.Touches) == 0 || !(j.Conversions >= 0 && j.Conversions <= math.MaxFloat64) ||
			!(j.Nulls >= 0 && j.Nulls <= math.MaxFloat64) || !(j.Value >= 0 && j.Value <= math.MaxFloat64) ||
			j.Value > 0 && j.Conversions == 0 {
			ok = false
			break
		}
		if j.Conversions > 0 || withNulls && j.Nulls > 0 {
			rows++
			touches += len(j.Touches)
		}
	}
	if ok {
		return rows, touches, nil
	}
	var errs []error
	bad := 0
	for i := range js {
		if err := checkRow(&js[i]); err != nil {
			if bad < maxReported {
				errs = append(errs, fmt.Errorf("attribution: rows[%d]: %w", i, err))
			}
			bad++
		}
	}
	if bad > maxReported {
		errs = append(errs, fmt.Errorf("attribution: … and %d more bad rows", bad-maxReported))
	}
	return 0, 0, errors.Join(errs...)
}

// compiled is a set of rows with their touches interned to dense ids:
// the form every model computes on. Row k's touches are ids[start[k]:start[k+1]].
type compiled struct {
	names []string
	ids   []uint32
	start []int
	conv  []float64
	nulls []float64
	value []float64
}

func (c *compiled) rows() int            { return len(c.conv) }
func (c *compiled) route(k int) []uint32 { return c.ids[c.start[k]:c.start[k+1]] }
func (c *compiled) newSums() []float64   { return make([]float64, len(c.names)) }
func (c *compiled) numNames() int        { return len(c.names) }

// compile validates js and interns the rows a model reads: those with
// conversions, and, if withNulls, those with nulls too. It takes O(t) time
// for the t touches of the rows kept (each interned through a small cache
// in front of a map, see names.Cache) plus O(n) for the n rows.
func compile(js []Row, withNulls bool) (*compiled, error) {
	rows, touches, err := tally(js, withNulls)
	if err != nil {
		return nil, err
	}
	c := &compiled{
		ids:   make([]uint32, 0, touches),
		start: make([]int, 1, rows+1),
		conv:  make([]float64, 0, rows),
		nulls: make([]float64, 0, rows),
		value: make([]float64, 0, rows),
	}
	var (
		tab   nametab.Table
		cache nametab.Cache // route tables repeat a handful of touches
	)
	for i := range js {
		j := &js[i]
		if !(j.Conversions > 0 || withNulls && j.Nulls > 0) {
			continue
		}
		for _, s := range j.Touches {
			c.ids = append(c.ids, cache.ID(&tab, s))
		}
		c.start = append(c.start, len(c.ids))
		c.conv = append(c.conv, j.Conversions)
		c.nulls = append(c.nulls, j.Nulls)
		c.value = append(c.value, j.Value)
	}
	c.names = tab.Names
	return c, nil
}

// result builds a Result from per-id sums of conversions and value.
func result(names []string, conv, value []float64) Result {
	r := make(Result, len(names))
	for id, s := range names {
		r[s] = Credit{Conversions: conv[id], Value: value[id]}
	}
	return r
}

// PositionKey returns the key under which the ordered Shapley model
// (ShapleyOptions.Ordered) files the credit of touch at position (1 for the
// first): touch, "@" and the position, as in "email@2".
func PositionKey(touch string, position int) string {
	return touch + "@" + strconv.Itoa(position)
}

// SplitPositionKey splits a key made by PositionKey at its last "@". It
// reports false if key has no "@" followed by a position of at least 1.
func SplitPositionKey(key string) (touch string, position int, ok bool) {
	at := -1
	for i := len(key) - 1; i >= 0; i-- {
		if key[i] == '@' {
			at = i
			break
		}
	}
	if at < 0 {
		return "", 0, false
	}
	p, err := strconv.Atoi(key[at+1:])
	if err != nil || p < 1 || key[at+1] == '+' {
		return "", 0, false
	}
	return key[:at], p, true
}
