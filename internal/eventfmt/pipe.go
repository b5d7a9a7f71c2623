package eventfmt

import (
	"errors"
	"runtime"
	"unsafe"
)

// A read runs in two stages: parsing (reading bytes, splitting rows,
// parsing times and values) and the sink (interning strings, placing
// events). With more than one processor, unless ReadOptions.OneStage is
// set, they run at once, the parser in a goroutine of its own handing
// batches of parsed rows, in order, to the sink on the caller's
// goroutine; the parser itself parses the rows (after the header, in
// CSV) in chunks on every processor (chunks.go). Every callback (the
// sink, BadRow, Progress) is still called on the caller's goroutine, in
// input order, exactly as a read in one stage calls them, so the two ways
// give the same log and the same errors; only the time differs. A sink
// that is a Preparer does the part of its work that Prepare does on the
// parser's goroutine instead: for a journey log, interning the names,
// which leaves the customers and the events to the caller's. On a
// time-ordered export the caller's stage is still the longer (its
// customer look-ups wait on memory).
//
// Batches are of thousands of rows because each handoff wakes a
// goroutine: with batches of 1,024 rows, the handoffs cost about what the
// second stage saved.

// Batch bounds: a batch the parser fills itself is handed on when it
// holds batchRows rows or batchBytes bytes of strings, whichever comes
// first, and the parser makes at most maxBatches of them; a read in
// chunks holds besides one batch per chunk in flight (a chunk's rows), so
// that a read holds a few MB besides the log being built.
var (
	batchRows  = 4096
	batchBytes = 512 << 10
)

const maxBatches = 6

// span locates a string in a batch's arena, or, when lo is negative, in
// its chunk's bytes, from -1-lo to hi.
type span struct{ lo, hi int32 }

// item is a parsed row, or a bad row the parser found. When the sink is a
// Preparer it is the row Prepare made: the customer in strs[0], its hash,
// the ids in ids, and the list of ids in props, as a span of the batch's
// kv.
type item struct {
	line   int
	off    int64
	err    *RowError // a bad row; the fields below are unused
	strs   [4]span   // customer, step, channel, touchpoint
	props  span      // of the batch's props: key, value, …
	nanos  int64
	value  float64
	hash   uint64
	hashed bool
	ids    [4]uint32
}

// batch is a run of items, their strings in one arena or, for a batch of
// a chunk's rows, in the chunk's bytes, which it holds until it is reused.
type batch struct {
	items []item
	arena []byte
	data  []byte // the chunk's bytes, for a chunk's batch
	props []span
	kv    []uint32
	n     int64 // the bytes parsed once the batch's rows are read
	bytes int64 // Progress.Bytes then
	stop  error // if not nil, what ends the read after the batch's rows
}

func (b *batch) reset() {
	b.items, b.arena, b.props, b.kv = b.items[:0], b.arena[:0], b.props[:0], b.kv[:0]
	b.stop = nil
}

// put returns the span of s: where it lies in the chunk's bytes, or else
// where put copies it in the arena.
func (b *batch) put(s []byte) span {
	if len(s) > 0 && len(b.data) > 0 {
		// Where s starts from the chunk's start; far beyond its end when s
		// is elsewhere (the difference of the addresses wraps around).
		at := uintptr(unsafe.Pointer(unsafe.SliceData(s))) - uintptr(unsafe.Pointer(unsafe.SliceData(b.data)))
		if at < uintptr(len(b.data)) && uintptr(len(s)) <= uintptr(len(b.data))-at {
			return span{-1 - int32(at), int32(at) + int32(len(s))}
		}
	}
	lo := len(b.arena)
	b.arena = append(b.arena, s...)
	return span{int32(lo), int32(len(b.arena))}
}

func (b *batch) str(s span) []byte {
	if s.lo < 0 {
		lo := -1 - s.lo
		return b.data[lo:s.hi:s.hi]
	}
	if s.lo == s.hi {
		return nil
	}
	return b.arena[s.lo:s.hi:s.hi]
}

// prepared points p at what Prepare made of it.
func (b *batch) prepared(it *item, p *Prepared) {
	p.Customer, p.IDs, p.KV = b.str(it.strs[0]), it.ids, b.kv[it.props.lo:it.props.hi:it.props.hi]
	p.Hash, p.Hashed, p.Nanos, p.Value = it.hash, it.hashed, it.nanos, it.value
}

// add adds row r, at line and offset off: its strings where they lie in
// the chunk's bytes, else copies of them (put).
func (b *batch) add(r *Row, line int, off int64) {
	it := item{line: line, off: off, nanos: r.Nanos, value: r.Value}
	it.strs = [4]span{b.put(r.Customer), b.put(r.Step), b.put(r.Channel), b.put(r.Touchpoint)}
	it.props.lo = int32(len(b.props))
	for _, s := range r.Props {
		b.props = append(b.props, b.put(s))
	}
	it.props.hi = int32(len(b.props))
	b.items = append(b.items, it)
}

// row points r at the strings of it.
func (b *batch) row(it *item, r *Row) {
	r.Customer, r.Step = b.str(it.strs[0]), b.str(it.strs[1])
	r.Channel, r.Touchpoint = b.str(it.strs[2]), b.str(it.strs[3])
	r.Nanos, r.Value = it.nanos, it.value
	r.Props = r.Props[:0]
	for _, p := range b.props[it.props.lo:it.props.hi] {
		r.Props = append(r.Props, b.str(p))
	}
}

// pipe carries batches from the parser to the sink.
type pipe struct {
	full  chan *batch
	free  chan *batch
	stop  chan struct{} // closed when the sink stage ends early
	cur   *batch
	total int // batches made
}

// errStopped ends the parser when the sink stage has stopped, or after a
// bad row that the sink stage will report.
var errStopped = errors.New("eventfmt: stopped")

// pipelined reports whether a read may run in two stages.
func pipelined(opt ReadOptions) bool {
	return !opt.OneStage && runtime.GOMAXPROCS(0) > 1
}

// run parses with parse, in two stages when rd.p is set, and builds the log.
func (rd *reader) run(parse func() error) (any, error) {
	if rd.p == nil {
		if err := parse(); err != nil {
			return nil, err
		}
		return rd.build()
	}
	p := rd.p
	p.cur = p.get()
	rd.cr.deferred = true
	var perr error
	go func() {
		defer close(p.full)
		perr = parse()
		if perr == nil || perr == errStopped {
			rd.flush()
		}
	}()
	for b := range p.full {
		if err := rd.apply(b); err != nil {
			close(p.stop)
			for range p.full { // let the parser end
			}
			return nil, err
		}
		p.free <- b
	}
	if perr != nil && perr != errStopped {
		return nil, perr
	}
	return rd.build()
}

// reuse returns a free batch, emptied, or nil if none is free.
func (p *pipe) reuse() *batch {
	select {
	case b := <-p.free:
		b.reset()
		return b
	default:
		return nil
	}
}

// get returns an empty batch, reused when one is free.
func (p *pipe) get() *batch {
	if b := p.reuse(); b != nil {
		b.data = nil // no chunk's
		return b
	}
	p.total++
	return &batch{items: make([]item, 0, batchRows)}
}

// getChunk is get for a chunk, which the splitter takes when it cuts one
// (chunks.go). It keeps the batch's old bytes, for the splitter to read
// into, and makes a batch only when none is free, so that the batches
// there are stay bounded by those in use: one per chunk in flight, those
// handed on and not yet applied, and the parsing stage's own.
func (p *pipe) getChunk() *batch {
	if b := p.reuse(); b != nil {
		return b
	}
	return new(batch)
}

// queue adds the current row to the batch being filled: as Prepare makes
// it when the sink is a Preparer, else its strings.
func (rd *reader) queue(line int) error {
	b, r := rd.p.cur, &rd.row
	if rd.prep != nil {
		pr := &rd.prepared
		if err := rd.prep.Prepare(r, pr); err != nil {
			if f, ok := err.(fatal); ok {
				b.stop = f.err // the sink stage returns it after the rows before it
				return errStopped
			}
			return rd.queueError(&RowError{Format: rd.format, Line: line, Offset: rd.offset, Err: err})
		}
		it := item{line: line, off: rd.offset, nanos: pr.Nanos, value: pr.Value, hash: pr.Hash, hashed: pr.Hashed, ids: pr.IDs}
		it.strs[0] = b.put(pr.Customer)
		it.props.lo = int32(len(b.kv))
		b.kv = append(b.kv, pr.KV...)
		it.props.hi = int32(len(b.kv))
		b.items = append(b.items, it)
	} else {
		b.add(r, line, rd.offset)
	}
	if len(b.items) >= batchRows || len(b.arena) >= batchBytes {
		return rd.flush()
	}
	return nil
}

// queueError adds a bad row; the parser goes on only if BadRow may skip it.
func (rd *reader) queueError(re *RowError) error {
	b := rd.p.cur
	b.items = append(b.items, item{line: re.Line, off: re.Offset, err: re})
	if rd.badRow == nil {
		return errStopped // the sink stage reports it, after the rows before it
	}
	if len(b.items) >= batchRows {
		return rd.flush()
	}
	return nil
}

// flush hands the current batch to the sink stage and takes an empty one,
// waiting for one to come back once maxBatches are made.
func (rd *reader) flush() error {
	p := rd.p
	b := p.cur
	if rd.chunked {
		b.n, b.bytes = rd.at.n, rd.at.bytes
	} else {
		b.n, b.bytes = rd.cr.n, rd.cr.bytes()
	}
	select {
	case p.full <- b:
	case <-p.stop:
		return errStopped
	}
	if p.total < maxBatches {
		p.cur = p.get()
		return nil
	}
	select {
	case nb := <-p.free:
		nb.reset()
		p.cur = nb
		return nil
	case <-p.stop:
		return errStopped
	}
}

// apply hands a batch's rows to the sink, in order, and reports progress.
func (rd *reader) apply(b *batch) error {
	rd.applied.n, rd.applied.bytes = b.n, b.bytes
	for i := range b.items {
		it := &b.items[i]
		if it.err != nil {
			if rd.badRow == nil {
				return it.err
			}
			if err := rd.badRow(it.err); err != nil {
				return err
			}
			continue
		}
		var err error
		if rd.prep != nil {
			b.prepared(it, &rd.sinkPrep)
			err = rd.added(rd.prep.AddPrepared(&rd.sinkPrep), it.line, it.off)
		} else {
			b.row(it, &rd.sinkRow)
			err = rd.sinkAdd(&rd.sinkRow, it.line, it.off)
		}
		if err != nil {
			return err
		}
	}
	if b.stop != nil {
		return b.stop
	}
	rd.cr.progressAt(b.n, b.bytes)
	return nil
}

// newPipe returns the pipe of a read in two stages.
func newPipe() *pipe {
	return &pipe{
		full: make(chan *batch, maxBatches-2),
		// Room for every batch there can be, so that handing one back
		// never waits: those of the parser, or those of the chunks in
		// flight (see inChunks) and of the sink stage.
		free: make(chan *batch, maxBatches+chunksInFlight()+2),
		stop: make(chan struct{}),
	}
}
