package attribution

import (
	"fmt"
	"math"
	"time"

	"github.com/parcours-go/parcours/journey"
)

// DefaultHalfLife is the half-life of TimeDecay when none is given: seven
// days, the default of Google Analytics and Google Ads.
const DefaultHalfLife = 7 * 24 * time.Hour

// TimeDecayOptions say how TimeDecay cuts the log into journeys (as
// FromLog does, with the same FromLogOptions and their Context;
// ConvertingOnly and Workers are ignored) and how fast credit decays.
type TimeDecayOptions struct {
	FromLogOptions
	// HalfLife is how much older a touch must be to earn half the credit;
	// 0 means DefaultHalfLife.
	HalfLife time.Duration
}

// TimeDecay returns the credit of each touch in the time-decay model of
// Google Analytics and Google Ads: each converting journey's conversion
// and value are split among its touches in proportion to
// 2^(−age/HalfLife), where a touch's age is the time from it to the
// journey's goal event. A touch one half-life older than another earns
// half as much; touches at the same time earn the same; a touch repeated
// in a route earns at each occurrence. With a long half-life the model
// tends to Linear, with a short one to LastTouch.
//
// The model needs the touches' times, which a route table does not keep,
// so it is the one model that reads the log rather than the table:
// journeys are cut as FromLog cuts them, with the same options, and each
// converting journey counts one conversion and its goal event's value.
// Journeys with no touch go to opt.EmptyRoute, or are left out if it is
// empty. The Result is that of the other models: its conversions and value
// add up to those of FromLog's table with the same options.
//
// Errors are those of CountLog (opt.Context's Err included), and
// ErrBadOption for a negative HalfLife. TimeDecay takes O(n) time for n
// events (plus one Event built per event with opt.Goal), on one goroutine,
// and O(touches) memory.
func TimeDecay(l *journey.Log, opt TimeDecayOptions) (Result, error) {
	if opt.HalfLife < 0 {
		return nil, fmt.Errorf("attribution: time decay: %w: negative HalfLife %v", ErrBadOption, opt.HalfLife)
	}
	if opt.HalfLife == 0 {
		opt.HalfLife = DefaultHalfLife
	}
	fo := opt.FromLogOptions
	fo.ConvertingOnly = true
	s, err := newScanner(l, fo)
	if err != nil {
		return nil, err
	}
	ctx := s.ctx
	d := &decay{
		s:     s,
		h:     float64(opt.HalfLife),
		conv:  make([]float64, len(s.names)),
		value: make([]float64, len(s.names)),
		seen:  make([]bool, len(s.names)),
	}
	for c := range l.Customers() {
		if c%checkEvery == 0 && ctx.Err() != nil {
			return nil, ctx.Err()
		}
		lo, hi := l.Span(c)
		from := lo
		for i := lo; i < hi; i++ {
			if !s.isGoal(i) {
				continue
			}
			d.journey(from, i)
			from = i + 1
			if !fo.EveryGoal {
				break
			}
		}
	}
	r := make(Result)
	for id, ok := range d.seen {
		if ok {
			r[s.names[id]] = Credit{Conversions: d.conv[id], Value: d.value[id]}
		}
	}
	return r, nil
}

type decay struct {
	s           *scanner
	h           float64
	conv, value []float64
	seen        []bool
	touches     []int // event indexes of the current journey's touches
}

// journey credits the converting journey of events [from, goal).
func (d *decay) journey(from, goal int) {
	s, l := d.s, d.s.l
	end := l.UnixNano(goal)
	value := l.Value(goal)
	if s.lookback > 0 {
		for from < goal && uint64(end)-uint64(l.UnixNano(from)) > uint64(s.lookback) {
			from++
		}
	}
	d.touches = d.touches[:0]
	for i := from; i < goal; i++ {
		if l.Symbol(s.opt.By, i) != s.skip {
			d.touches = append(d.touches, i)
		}
	}
	if len(d.touches) == 0 {
		if s.emptyID >= 0 {
			d.credit(s.emptyID, 1, value)
		}
		return
	}
	// Weights relative to the latest touch, which gets 1: the same shares
	// as relative to the goal, and no underflow to a zero sum.
	latest := l.UnixNano(d.touches[len(d.touches)-1])
	sum := 0.0
	for _, i := range d.touches {
		sum += d.weight(latest, l.UnixNano(i))
	}
	for _, i := range d.touches {
		d.credit(l.Symbol(s.opt.By, i), d.weight(latest, l.UnixNano(i))/sum, value)
	}
}

// weight is 2^(−(latest−t)/h); latest ≥ t, so the unsigned difference is exact.
func (d *decay) weight(latest, t int64) float64 {
	return math.Exp2(-float64(uint64(latest)-uint64(t)) / d.h)
}

func (d *decay) credit(id int, w, value float64) {
	d.conv[id] += w
	d.value[id] += float64(w * value) // rounded: no fused multiply-add
	d.seen[id] = true
}
