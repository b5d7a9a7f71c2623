package attribution

import (
	"context"
	"fmt"
	"runtime"
	"slices"
	"sync"
	"time"

	nametab "github.com/parcours-go/parcours/internal/names"

	"github.com/parcours-go/parcours/internal/routes"
	"github.com/parcours-go/parcours/journey"
	"github.com/parcours-go/parcours/objectives"
)

// FromLogOptions say how FromLog, CountLog and TimeDecay cut a log into
// journeys, one per customer and goal. A goal is required (Goal or
// GoalSteps); the other fields' zero values are the documented defaults.
type FromLogOptions struct {
	// By says what a touch is: the event's step (the zero value), its
	// channel or its touchpoint. Read by channel or touchpoint, events
	// whose channel or touchpoint is empty are not touches.
	By journey.By

	// Goal reports whether an event reaches the goal: a purchase for
	// Conversion, a newsletter sign-up for Connection, any event for any of
	// the four objectives. A customer's touches before the first goal event
	// form a converting journey, whose value is that event's Value; a
	// customer who never reaches the goal gives a non-converting journey of
	// all its touches. The goal event is not a touch.
	//
	// Goal sees each event whole, which costs building one Event per event:
	// when the goal is a matter of steps, GoalSteps says it much faster.
	Goal func(journey.Event) bool
	// GoalSteps lists steps that reach the goal. An event is a goal if its
	// step is one of these or Goal says so. StepsAchieving lists the steps
	// of a designed journey that achieve an objective.
	GoalSteps []string

	// EveryGoal splits customers at every goal event instead of stopping at
	// the first: each goal event closes a converting journey of the touches
	// since the previous goal event, and the touches after the last one
	// form a non-converting journey.
	EveryGoal bool
	// Lookback, if positive, keeps only the touches at most Lookback before
	// the end of their journey: its goal event, or for a journey that does
	// not convert, the customer's last event. Zero keeps every touch.
	Lookback time.Duration
	// EmptyRoute names the single touch of journeys that have none: a goal
	// reached at the customer's first event, or with no touch inside the
	// Lookback, or a customer none of whose events has a channel (reading
	// by channel). The empty string, the default, leaves such journeys out
	// of the table; Table.Dropped counts them.
	EmptyRoute string
	// ConvertingOnly leaves out the journeys that do not convert. The
	// heuristic and Shapley models read only converting journeys, so they
	// give the same result with or without them, and counting only those
	// is much faster. Models of the transitions between touches (Markov
	// chains) need them.
	ConvertingOnly bool

	// Workers is the number of goroutines that count routes; 0 means
	// runtime.GOMAXPROCS(0). The result does not depend on it.
	Workers int

	// Context, if not nil, stops the counting when it is done: the
	// function returns its Err. Nil means context.Background().
	Context context.Context
}

// StepsAchieving returns the ids of the steps of m whose Goals include
// objective o, in the order of the map, for FromLogOptions.GoalSteps: with
// o = objectives.Connection the models say which touches drive
// Connection. It returns nil if no step achieves o, which FromLog refuses
// (ErrNoGoal), and takes O(steps) time.
func StepsAchieving(m *journey.Map, o objectives.Objective) []string {
	var out []string
	for i := range m.Steps {
		if m.Steps[i].HasGoal(o) {
			out = append(out, m.Steps[i].ID)
		}
	}
	return out
}

// FromLog is the way from a log to a route table: it cuts the customers'
// paths of l into journeys, as opt says, and returns one Row per distinct
// route, with its conversions, nulls and value, sorted by route, for any
// model of this package to read. It is CountLog followed by Table.Rows,
// and its errors and cost are theirs; the Table is let go of before the
// rows are built.
//
// Journeys with no touch are left out unless opt.EmptyRoute names them
// (CountLog's Table.Dropped counts them). The heuristics and Shapley read
// only converting rows: with opt.ConvertingOnly, FromLog is several times
// faster. For the Markov models of a large log, CountLog and
// Table.MarkovChain skip the rows altogether.
func FromLog(l *journey.Log, opt FromLogOptions) ([]Row, error) {
	t, err := CountLog(l, opt)
	if err != nil {
		return nil, err
	}
	return t.rows(true), nil
}

// CountLog counts the journeys of l's customers, cut as opt says, into a
// Table: the mergeable form of the route table that FromLog returns.
// Tables counted with the same options from logs of disjoint customers
// merge (Table.Merge) into the table of the whole.
//
// It returns an error wrapping ErrNoGoal if opt has no goal, one wrapping
// ErrBadOption for a bad By or a negative Lookback or Workers, and
// opt.Context's Err if it is done before the counting is (checked every few
// thousand customers).
//
// CountLog reads the log once per worker and takes O(n) time for n events,
// plus, with opt.Goal, one Event built per event, read once by one
// goroutine. Each worker interns the routes of its share of the hash space
// into a table sized up front from the numbers of customers and events: it
// allocates about 55 bytes per customer and 4 per event (95 MB for 10^6
// customers and 10^7 events), or, with ConvertingOnly, about 100 bytes per
// converting customer. It hashes every customer id once for the table's
// customer sample, which Table.Merge reads to detect shards that share a
// customer.
func CountLog(l *journey.Log, opt FromLogOptions) (*Table, error) {
	s, err := newScanner(l, opt)
	if err != nil {
		return nil, err
	}
	workers := opt.Workers
	if workers == 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	workers = max(1, min(workers, l.Customers()))

	t := &Table{tab: nametab.Borrow(s.names), key: routes.RandomSeed(), parts: make([]tablePart, workers), cut: cutOf(opt)}
	hint, dataHint := l.Customers()/workers+16, l.Len()/workers+16
	if opt.ConvertingOnly {
		hint, dataHint = 1024, 0
	}
	drops := make([]dropCount, workers)
	errs := make([]error, workers)
	var wg sync.WaitGroup
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			b := &batch{part: newPart(t.key, hint, dataHint), key: t.key, w: w, workers: workers}
			if errs[w] = s.scan(b); errs[w] != nil {
				return
			}
			b.flush()
			t.parts[w] = b.part
			drops[w] = b.drop
		}()
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return nil, err
		}
	}
	for c := range l.Customers() {
		t.sample.Add(l.Customer(c))
	}
	// Every worker saw every customer: take the dropped journeys of one.
	t.dropped.conv, t.dropped.nulls, t.dropped.value = drops[0].conv, drops[0].nulls, drops[0].value
	return t, nil
}

// checkFromLogOptions reports the first problem of opt.
func checkFromLogOptions(opt FromLogOptions) error {
	switch {
	case opt.By > journey.ByTouchpoint:
		return fmt.Errorf("attribution: %w: By %v", ErrBadOption, opt.By)
	case opt.Goal == nil && len(opt.GoalSteps) == 0:
		return fmt.Errorf("attribution: %w: set FromLogOptions.Goal or GoalSteps", ErrNoGoal)
	case opt.Lookback < 0:
		return fmt.Errorf("attribution: %w: negative Lookback %v", ErrBadOption, opt.Lookback)
	case opt.Workers < 0:
		return fmt.Errorf("attribution: %w: negative Workers %d", ErrBadOption, opt.Workers)
	}
	return nil
}

// scanner cuts customers' paths into journeys and hands their routes to a batch.
type scanner struct {
	l         *journey.Log
	opt       FromLogOptions
	ctx       context.Context // opt.Context, or the background
	names     []string
	skip      int    // symbol id that is not a touch (the empty channel), or -1
	stepGoal  []bool // by step id
	goalBits  []uint64
	emptyID   int // id of EmptyRoute, or -1
	lookback  int64
	customers int
}

// checkEvery is how many customers (or events, for a Goal predicate) the
// scans of a log go through between two looks at their context.
const checkEvery = 1 << 12

// newScanner checks opt and prepares the scan of l. With opt.Goal it reads
// every event once. It returns the Err of opt's Context if that is done.
func newScanner(l *journey.Log, opt FromLogOptions) (*scanner, error) {
	if err := checkFromLogOptions(opt); err != nil {
		return nil, err
	}
	ctx := orBackground(opt.Context)
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	s := &scanner{l: l, opt: opt, ctx: ctx, names: l.Names(opt.By), skip: -1, emptyID: -1,
		lookback: int64(opt.Lookback), customers: l.Customers()}
	if opt.By != journey.ByStep {
		if id, ok := l.Lookup(opt.By, ""); ok {
			s.skip = id
		}
	}
	s.stepGoal = make([]bool, l.NumNames(journey.ByStep))
	for _, st := range opt.GoalSteps {
		if id, ok := l.Lookup(journey.ByStep, st); ok {
			s.stepGoal[id] = true
		}
	}
	if opt.Goal != nil {
		s.goalBits = make([]uint64, (l.Len()+63)/64)
		i := 0
		for e := range l.All() {
			if i%(checkEvery*16) == 0 && ctx.Err() != nil {
				return nil, ctx.Err()
			}
			if opt.Goal(e) {
				s.goalBits[i>>6] |= 1 << (i & 63)
			}
			i++
		}
	}
	if opt.EmptyRoute != "" {
		if id := slices.Index(s.names, opt.EmptyRoute); id >= 0 {
			s.emptyID = id
		} else {
			s.emptyID = len(s.names)
			s.names = append(s.names, opt.EmptyRoute)
		}
	}
	return s, nil
}

func (s *scanner) isGoal(i int) bool {
	return s.stepGoal[s.l.Symbol(journey.ByStep, i)] ||
		s.goalBits != nil && s.goalBits[i>>6]>>(i&63)&1 != 0
}

// scan cuts every customer's path and hands the journeys to b. It returns
// the Err of the options' Context if that is done before it has finished.
func (s *scanner) scan(b *batch) error {
	ctx := s.ctx
	l, by, skip := s.l, s.opt.By, s.skip
	simple := !s.opt.EveryGoal && s.lookback == 0 && s.goalBits == nil
	for c := range s.customers {
		if c%checkEvery == 0 && ctx.Err() != nil {
			return ctx.Err()
		}
		lo, hi := l.Span(c)
		if !simple {
			s.cut(b, lo, hi)
			continue
		}
		// The common case in one pass: touches up to the first goal.
		start := len(b.buf)
		g := -1
		for i := lo; i < hi; i++ {
			if s.stepGoal[l.Symbol(journey.ByStep, i)] {
				g = i
				break
			}
			if id := l.Symbol(by, i); id != skip {
				b.buf = append(b.buf, uint32(id))
			}
		}
		if g < 0 {
			if s.opt.ConvertingOnly {
				b.buf = b.buf[:start]
				continue
			}
			s.emit(b, start, false, 0)
		} else {
			s.emit(b, start, true, l.Value(g))
		}
	}
	return nil
}

// cut handles a customer's events [lo, hi) with every option.
func (s *scanner) cut(b *batch, lo, hi int) {
	l := s.l
	from := lo
	for i := lo; i < hi; i++ {
		if !s.isGoal(i) {
			continue
		}
		s.journey(b, from, i, l.UnixNano(i), true, l.Value(i))
		from = i + 1
		if !s.opt.EveryGoal {
			return
		}
	}
	if from < hi && !s.opt.ConvertingOnly {
		s.journey(b, from, hi, l.UnixNano(hi-1), false, 0)
	}
}

// journey hands b the journey of the touches among events [from, to)
// within the lookback of end.
func (s *scanner) journey(b *batch, from, to int, end int64, converted bool, value float64) {
	l := s.l
	if s.lookback > 0 {
		// Times are sorted, so end ≥ UnixNano(from): the unsigned difference
		// cannot overflow, even for times centuries apart.
		for from < to && uint64(end)-uint64(l.UnixNano(from)) > uint64(s.lookback) {
			from++
		}
	}
	start := len(b.buf)
	for i := from; i < to; i++ {
		if id := l.Symbol(s.opt.By, i); id != s.skip {
			b.buf = append(b.buf, uint32(id))
		}
	}
	s.emit(b, start, converted, value)
}

// emit hands b the route b.buf[start:], or the empty route.
func (s *scanner) emit(b *batch, start int, converted bool, value float64) {
	if len(b.buf) == start {
		if s.emptyID < 0 {
			if b.w == 0 {
				if converted {
					b.drop.conv++
					b.drop.value.add(value)
				} else {
					b.drop.nulls++
				}
			}
			return
		}
		b.buf = append(b.buf, uint32(s.emptyID))
	}
	b.commit(start, converted, value)
}

type dropCount struct {
	conv, nulls float64
	value       dd
}

// batchSize is how many journeys a batch holds before they are interned:
// their hash slots are loaded together first, so that the memory accesses
// of a batch overlap instead of following one another.
const batchSize = 32

// batch collects journeys for one worker's part of the table.
type batch struct {
	part       tablePart
	key        uint64
	w, workers int
	drop       dropCount
	sink       uint64 // keeps the loads of flush's first loop

	buf   []uint32 // routes of the pending journeys, concatenated
	n     int
	start [batchSize + 1]int
	hash  [batchSize]uint64
	conv  [batchSize]bool
	value [batchSize]float64
}

// commit adds the journey whose route is buf[start:] to the batch, if it
// falls in this worker's part.
func (b *batch) commit(start int, converted bool, value float64) {
	h := routes.Hash(b.key, b.buf[start:])
	if b.workers > 1 && partOf(h, b.workers) != b.w {
		b.buf = b.buf[:start]
		return
	}
	b.start[b.n] = start
	b.hash[b.n] = h
	b.conv[b.n] = converted
	b.value[b.n] = value
	b.n++
	b.start[b.n] = len(b.buf)
	if b.n == batchSize {
		b.flush()
	}
}

func (b *batch) flush() {
	set := b.part.set
	var x uint64
	for j := range b.n {
		x += set.Peek(b.hash[j])
	}
	b.sink += x
	for j := range b.n {
		k, added := set.InternHash(b.buf[b.start[j]:b.start[j+1]], b.hash[j])
		if added {
			b.part.sums = append(b.part.sums, rowSum{})
		}
		r := &b.part.sums[k]
		if b.conv[j] {
			r.conv++
			r.value.add(b.value[j])
		} else {
			r.nulls++
		}
	}
	b.n = 0
	b.buf = b.buf[:0]
}
