package attribution

import (
	"context"
	"fmt"
)

// ShapleyOptions say which Shapley model to compute. The zero value is the
// plain Shapley value of Zhao, Mahboobi and Bagheri.
type ShapleyOptions struct {
	// Ordered is Zhao et al.'s ordered Shapley: each touch's credit is
	// split by the position at which it was touched, and filed in the
	// Result under PositionKey(touch, position).
	Ordered bool
	// Repeats says where, with Ordered, a touch found several times in one
	// route earns. The zero value is FirstOccurrence.
	Repeats Repeats
	// Context, if not nil, stops the computation when it is done: Shapley
	// returns its Err. Nil means context.Background().
	Context context.Context
}

// Repeats says where the ordered Shapley model credits a touch repeated in
// a route. Either way the credits of a touch over all positions add up to
// its plain Shapley value; they differ in which positions get them.
type Repeats uint8

const (
	// FirstOccurrence: positions are counted in the route with repeats
	// removed, keeping each touch's first occurrence, and a touch earns at
	// the position of its first occurrence: in a > b > a, a is at 1 and b
	// at 2. Positions run from 1 to the number of distinct touches.
	FirstOccurrence Repeats = iota
	// SplitOccurrences: positions are those of the route as touched, and a
	// touch's share is split equally over its occurrences: in a > b > a
	// (one conversion), a earns 1/4 at 1 and 1/4 at 3, b 1/2 at 2.
	SplitOccurrences
)

// Shapley returns the Shapley value of each touch in the coalition game of
// Zhao, Mahboobi and Bagheri (2018, "Shapley Value Methods for Attribution
// Modeling in Online Advertising", arXiv:1804.05327), for conversions and,
// with the same rule, for value.
//
// The players are the touches. The worth of a coalition S is the number of
// conversions (for value: the value) of the rows whose set of distinct
// touches is a subset of S; order and repeats within a route do not
// matter, and the empty coalition is worth 0. The grand coalition is worth
// every conversion, so the Shapley values add up to the observed total.
// The game is a sum of unanimity games, one per converting row, so the
// Shapley value has the closed form Zhao et al. call simplified: each
// converting row's conversions and value are split equally among its
// distinct touches (a > a > c gives a and c half each, where Linear gives a
// two thirds). Shapley computes that form, exactly, whatever the number of
// touches, in O(n + t) time for n rows and the t touches of the converting
// ones, where a sum over the 2^p coalitions of p touches would not
// finish.
//
// With opt.Ordered, the credit of each touch is split by position (see
// Repeats) and the Result is keyed by PositionKey(touch, position); a
// touch's credits over its positions add up to its plain Shapley value.
//
// The worth of a coalition is a number of conversions, not a conversion
// rate: a rate-based worth (Dalessandro et al. 2012) needs non-converting
// rows, is not additive over rows, and has no closed form.
//
// Errors are those of FirstTouch, ErrBadOption for an unknown Repeats, and
// opt.Context's Err if it is done before the result (checked every few
// thousand rows).
func Shapley(rows []Row, opt ShapleyOptions) (Result, error) {
	if opt.Repeats > SplitOccurrences {
		return nil, fmt.Errorf("attribution: shapley: %w: repeats %d", ErrBadOption, opt.Repeats)
	}
	ctx := orBackground(opt.Context)
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	c, err := compile(rows, false)
	if err != nil {
		return nil, err
	}
	// seen[id] is 1 + the last row in which touch id was seen, and count[id]
	// its occurrences in that row, so that distinct touches are counted in
	// O(len) per row.
	seen := make([]int, c.numNames())
	count := make([]int, c.numNames())
	if !opt.Ordered {
		conv, value := c.newSums(), c.newSums()
		for k := range c.rows() {
			if k%checkEvery == 0 && ctx.Err() != nil {
				return nil, ctx.Err()
			}
			route := c.route(k)
			distinct := 0
			for _, id := range route {
				if seen[id] != k+1 {
					seen[id] = k + 1
					distinct++
				}
			}
			wc, wv := c.conv[k]/float64(distinct), c.value[k]/float64(distinct)
			for _, id := range route {
				if seen[id] == k+1 {
					seen[id] = -(k + 1) // credited
					conv[id] += wc
					value[id] += wv
				}
			}
		}
		return result(c.names, conv, value), nil
	}

	// Ordered: credit per (touch, position), kept in a map keyed by both.
	type key struct {
		id  uint32
		pos int
	}
	sums := make(map[key]*Credit)
	add := func(id uint32, pos int, conv, value float64) {
		s := sums[key{id, pos}]
		if s == nil {
			s = new(Credit)
			sums[key{id, pos}] = s
		}
		s.Conversions += conv
		s.Value += value
	}
	for k := range c.rows() {
		if k%checkEvery == 0 && ctx.Err() != nil {
			return nil, ctx.Err()
		}
		route := c.route(k)
		distinct := 0
		for _, id := range route {
			if seen[id] != k+1 {
				seen[id] = k + 1
				count[id] = 0
				distinct++
			}
			count[id]++
		}
		wc, wv := c.conv[k]/float64(distinct), c.value[k]/float64(distinct)
		switch opt.Repeats {
		case FirstOccurrence:
			pos := 0
			for _, id := range route {
				if seen[id] == k+1 {
					seen[id] = -(k + 1)
					pos++
					add(id, pos, wc, wv)
				}
			}
		case SplitOccurrences:
			for i, id := range route {
				n := float64(count[id])
				add(id, i+1, wc/n, wv/n)
			}
		}
	}
	r := make(Result, len(sums))
	for k, s := range sums {
		r[PositionKey(c.names[k.id], k.pos)] = *s
	}
	return r, nil
}
