package attribution

import "fmt"

// FirstTouch returns the credit of each touch when each row's conversions
// and value go to its first touch, as ChannelAttribution's heuristic_models
// gives them.
//
// It returns an error, and no result, if a row is bad (an empty route, a
// negative or NaN count: see Row), naming the first 20 bad rows. Rows
// without conversions are checked but give nothing. It takes O(n) time for
// n rows plus O(t) for the t touches of the converting rows.
func FirstTouch(rows []Row) (Result, error) {
	return perTouch(rows, func(route []uint32, add func(id uint32, w float64)) {
		add(route[0], 1)
	})
}

// LastTouch returns the credit of each touch when each row's conversions
// and value go to its last touch, as ChannelAttribution's heuristic_models
// gives them. Errors and cost are those of FirstTouch.
func LastTouch(rows []Row) (Result, error) {
	return perTouch(rows, func(route []uint32, add func(id uint32, w float64)) {
		add(route[len(route)-1], 1)
	})
}

// Linear returns the credit of each touch when each row's conversions and
// value are split equally among its touches, as ChannelAttribution's
// heuristic_models splits them: each touch gets 1/len of the route, so a
// touch repeated in a route earns once per occurrence (a > b > a gives a
// 2/3, b 1/3). Errors and cost are those of FirstTouch.
func Linear(rows []Row) (Result, error) {
	return perTouch(rows, func(route []uint32, add func(id uint32, w float64)) {
		w := 1 / float64(len(route))
		for _, id := range route {
			add(id, w)
		}
	})
}

// PositionBased returns the credit of each touch in the U-shaped model of
// Google Analytics and Google Ads: in each converting row of n touches the
// first touch earns the share first of its conversions and value, the last
// touch the share last, and the n−2 touches between them share the rest
// equally; with first = last = 0.4, the usual choice, that is 40/20/40.
// Shares are per touch, so a touch repeated in a route earns at each
// position it holds.
//
// Google documents only routes of three touches or more. Here a route of
// one touch gives it everything, and a route of two touches splits between
// them pro rata first : last (0.5/0.5 for 0.4/0.4), as the middle share has
// no touch to go to; if first and last are both 0, the two touches share
// equally, and routes of three or more touches give everything to their
// middle touches.
//
// first and last must be finite, at least 0, and sum to at most 1;
// otherwise PositionBased returns an error wrapping ErrBadOption. Other
// errors and cost are those of FirstTouch.
func PositionBased(rows []Row, first, last float64) (Result, error) {
	okShare := func(x float64) bool { return x >= 0 && x <= 1 }
	if !okShare(first) || !okShare(last) || first+last > 1 {
		return nil, fmt.Errorf("attribution: position based: %w: first %v and last %v must be in [0, 1] and sum to at most 1",
			ErrBadOption, first, last)
	}
	firstOf2, lastOf2 := 0.5, 0.5
	if s := first + last; s > 0 {
		firstOf2, lastOf2 = first/s, last/s
	}
	return perTouch(rows, func(route []uint32, add func(id uint32, w float64)) {
		switch n := len(route); n {
		case 1:
			add(route[0], 1)
		case 2:
			add(route[0], firstOf2)
			add(route[1], lastOf2)
		default:
			add(route[0], first)
			add(route[n-1], last)
			mid := (1 - first - last) / float64(n-2)
			for _, id := range route[1 : n-1] {
				add(id, mid)
			}
		}
	})
}

// perTouch runs a model whose rule spreads weights summing to 1 over a
// route's touches: each converting row adds weight × conversions and
// weight × value to the touches. Rows are visited in input order, so the
// sums are reproducible.
func perTouch(rows []Row, rule func(route []uint32, add func(id uint32, w float64))) (Result, error) {
	c, err := compile(rows, false)
	if err != nil {
		return nil, err
	}
	conv, value := c.newSums(), c.newSums()
	var ck, vk float64
	add := func(id uint32, w float64) {
		// float64(…) rounds the product: no fused multiply-add, the same
		// sums on every platform.
		conv[id] += float64(w * ck)
		value[id] += float64(w * vk)
	}
	for k := range c.rows() {
		ck, vk = c.conv[k], c.value[k]
		rule(c.route(k), add)
	}
	return result(c.names, conv, value), nil
}
