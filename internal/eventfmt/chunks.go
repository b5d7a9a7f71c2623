package eventfmt

import (
	"bytes"
	"errors"
	"io"
	"runtime"
	"slices"
)

// A read in two stages parses in chunks, on every processor. A splitter
// goroutine reads the input and cuts it into chunks of about chunkBytes
// that end at a line break; a worker per processor parses each chunk
// into a batch of rows, as a read in one stage would parse those lines
// (a chunk knows its first line's number and offset); and the parsing
// stage of pipe.go, on its goroutine, takes the chunks' batches in input
// order and hands their rows on as if it had parsed them itself, so that
// Prepare, the bad rows and the errors come in input order, exactly as in
// one stage.
//
// JSON Lines may be cut at any line break. A CSV record may hold line
// breaks inside quotes, so the splitter cuts after the last line break
// outside quotes as it counts them from the chunk's start, which is where
// a record starts: right for every well-formed file. The workers check
// it: a chunk whose last record runs past its end (only a stray quote, or
// a record cut short by MaxRowBytes, can make one) has its rows up to
// that record handed on, and the input from that record is read in one
// stage, as is the input from a record that outgrows two chunks (128 KiB)
// and what follows a read error. Two chunks further on, at the end of a
// record, which one stage knows for sure, the read goes back to chunks.
// Memory stays bounded by the chunks in flight and, as in one stage, by
// MaxRowBytes. The result is the same in every case; only the speed
// differs.

// chunkBytes is the size of the chunks a read in two stages parses on
// its workers; tests make it small.
var chunkBytes = 64 << 10

// chunk is a run of whole lines of the input, and, once a worker has
// parsed them, their rows.
type chunk struct {
	data     []byte
	line     int       // the lines of the input before data
	off      int64     // where data starts in the input
	n, bytes int64     // the countReader's counts once data was read, for its batch
	first    bool      // data starts the input (a byte order mark may start it)
	last     bool      // data ends the input
	rest     io.Reader // if not nil, data and then rest are to be read in one stage
	out      *batch    // the rows and bad rows of data
	err      error     // what ended the parse of data before its end, if anything
	done     chan struct{}
}

// partialError ends the parse of a chunk whose last record runs past it:
// the record starts after line line, at offset off.
type partialError struct {
	line int
	off  int64
}

func (partialError) Error() string { return "eventfmt: a record runs past its chunk" }

// A parseFunc parses the lines of lr to its end into rd; last says lr's
// input is the end of the whole input, not a chunk with more after it.
type parseFunc func(rd *reader, lr *lineReader, last bool) error

// inChunks parses, with parse, the input left after what lr has returned
// (lr's buffer, then rd.cr), in chunks on the workers, and hands the rows
// on in order; csv says how to find where records end.
func (rd *reader) inChunks(lr *lineReader, csv bool, parse parseFunc) error {
	var src io.Reader = rd.cr
	for {
		rest, err := rd.chunksFrom(lr, src, csv, parse)
		if err != errResume {
			return err
		}
		src = rest
	}
}

// errResume ends a read in one stage that may go on in chunks (resumeAt).
var errResume = errors.New("eventfmt: resume in chunks")

// chunksFrom is inChunks from what lr has returned, src being the input
// after lr's buffer. Where a read in one stage takes over, it hands back
// to chunks once it is two chunks past where it took over, at the end of
// a record: it then returns errResume, lr having returned the input up to
// there and rest being the input after lr's buffer.
func (rd *reader) chunksFrom(lr *lineReader, src io.Reader, csv bool, parse parseFunc) (rest io.Reader, _ error) {
	workers := runtime.GOMAXPROCS(0)
	inflight := chunksInFlight()
	pending, _ := lr.r.Peek(lr.r.Buffered())
	pending = slices.Clone(pending) // lr's buffer is reused if the read goes on in one stage
	sp := &splitter{
		src:   src,
		cr:    rd.cr,
		p:     rd.p,
		csv:   csv,
		limit: 2 * chunkBytes,
		order: make(chan *chunk, inflight),
		work:  make(chan *chunk, workers),
		free:  make(chan *chunk, inflight),
		stop:  make(chan struct{}),
		most:  inflight,
		buf:   pending,
		line:  lr.line,
		off:   lr.off,
		first: !lr.start,
	}
	for range workers {
		go rd.worker().work(sp.work, parse)
	}
	go sp.run()
	rd.chunked = true
	// oneStage reads rs in one stage from line and offset off.
	oneStage := func(line int, off int64, start bool, rs ...io.Reader) (io.Reader, error) {
		rd.chunked = false
		rest := io.MultiReader(rs...)
		lr.r.Reset(rest)
		lr.line, lr.off, lr.at, lr.start = line, off, off, start
		rd.resumeAt = off + 2*int64(chunkBytes)
		err := parse(rd, lr, true)
		rd.resumeAt = 0
		if err == errResume {
			// The rows read in one stage go before those of the chunks.
			if err := rd.flush(); err != nil {
				return nil, err
			}
		}
		return rest, err
	}
	for c := range sp.order {
		if c.rest != nil {
			return oneStage(c.line, c.off, !c.first, bytes.NewReader(c.data), c.rest)
		}
		<-c.done
		rd.at.n, rd.at.bytes = c.n, c.bytes
		pe, partial := c.err.(partialError)
		var tail []byte
		if partial {
			// Kept before the batch, which holds the chunk's bytes, is
			// handed on.
			tail = slices.Clone(c.data[pe.off-c.off:])
		}
		b := c.out
		c.out, c.data = nil, nil
		if err := rd.handOn(b, c.n, c.bytes); err != nil {
			sp.quit()
			return nil, err
		}
		if partial {
			// Read on in one stage from the record that runs past the chunk.
			close(sp.stop)
			rs := []io.Reader{bytes.NewReader(tail)}
			for d := range sp.order {
				rs = append(rs, bytes.NewReader(d.data))
				if d.rest != nil {
					rs = append(rs, d.rest)
				}
			}
			return oneStage(pe.line, pe.off, true, rs...)
		}
		if c.err != nil {
			sp.quit()
			return nil, c.err
		}
		sp.free <- c
	}
	return nil, nil
}

// resume reports whether a read in one stage that took over from chunks,
// at the end of a record, lr having returned it, may go on in chunks.
func (rd *reader) resume(lr *lineReader) bool {
	return rd.resumeAt > 0 && lr.off >= rd.resumeAt
}

// chunksInFlight is the most chunks a read holds at once: being read,
// parsed, or waiting for the parsing stage.
func chunksInFlight() int { return 2*runtime.GOMAXPROCS(0) + 2 }

// handOn hands the batch of a chunk's rows and bad rows to the sink
// stage, whose counts are n and bytes, after preparing its rows in place
// when the sink is a Preparer. It returns errStopped if the read ends with
// the batch.
func (rd *reader) handOn(b *batch, n, bytes int64) error {
	var err error
	if rd.prep != nil {
		err = rd.prepare(b)
	}
	b.n, b.bytes = n, bytes
	select {
	case rd.p.full <- b:
	case <-rd.p.stop:
		return errStopped
	}
	return err
}

// prepare calls Prepare on the rows of b, in order, and leaves in each
// item what queue leaves there: the customer in strs[0], the ids and the
// span of b.kv. A row Prepare refuses becomes a bad row. Where the read
// stops (at a bad row with no BadRow, or an error wrapped with Fatal),
// the items after it are dropped and prepare returns errStopped.
func (rd *reader) prepare(b *batch) error {
	r, pr := &rd.row, &rd.prepared
	for i := range b.items {
		it := &b.items[i]
		if it.err == nil {
			b.row(it, r)
			if err := rd.prep.Prepare(r, pr); err != nil {
				if f, ok := err.(fatal); ok {
					b.items, b.stop = b.items[:i], f.err // the sink stage returns it after the rows before it
					return errStopped
				}
				it.err = &RowError{Format: rd.format, Line: it.line, Offset: it.off, Err: err}
			} else {
				it.nanos, it.value, it.hash, it.hashed, it.ids = pr.Nanos, pr.Value, pr.Hash, pr.Hashed, pr.IDs
				if !sameBytes(pr.Customer, r.Customer) {
					it.strs[0] = b.put(pr.Customer)
				}
				it.props.lo = int32(len(b.kv))
				b.kv = append(b.kv, pr.KV...)
				it.props.hi = int32(len(b.kv))
			}
		}
		if it.err != nil && rd.badRow == nil {
			b.items = b.items[:i+1]
			return errStopped // the sink stage reports it, after the rows before it
		}
	}
	return nil
}

// sameBytes reports whether a and b are the same bytes in memory.
func sameBytes(a, b []byte) bool {
	return len(a) == len(b) && (len(a) == 0 || &a[0] == &b[0])
}

// worker returns a reader for a worker: rd's options, and caches of its
// own.
func (rd *reader) worker() *reader {
	w := &reader{format: rd.format, prefix: rd.prefix, names: rd.names, times: rd.times, comma: rd.comma, extra: rd.extra, max: rd.max, badRow: rd.badRow}
	if rd.channels != nil {
		w.channels = make(map[string][]byte)
	}
	return w
}

// work parses the chunks of work with parse, w being a worker's copy of
// the reader, until work is closed.
func (w *reader) work(work <-chan *chunk, parse parseFunc) {
	for c := range work {
		if c.out.items == nil {
			c.out.items = make([]item, 0, 1024)
		}
		w.out = c.out
		lr := &lineReader{mem: c.data, max: w.max, line: c.line, off: c.off, at: c.off, start: !c.first}
		c.err = parse(w, lr, c.last)
		close(c.done)
	}
}

// splitter cuts the input into chunks, handing each to the workers and,
// in order, to the parsing stage.
type splitter struct {
	src   io.Reader
	cr    *countReader
	p     *pipe // whose free batches the chunks take
	csv   bool
	limit int // the most bytes a chunk may grow to, to hold whole lines

	order chan *chunk   // every chunk, in input order
	work  chan *chunk   // the chunks to parse
	free  chan *chunk   // chunks handed back, to reuse
	stop  chan struct{} // closed when the parsing stage stops the splitter
	made  int           // chunks made
	most  int           // chunks made at most

	buf   []byte // read and not yet in a chunk
	line  int    // the lines before buf
	off   int64  // buf's offset
	first bool   // buf starts the input
}

func (sp *splitter) run() {
	defer close(sp.work)
	defer close(sp.order)
	want := chunkBytes
	for {
		var err error
		for err == nil && len(sp.buf) < want {
			if sp.stopped() {
				sp.handOver(nil)
				return
			}
			sp.buf = slices.Grow(sp.buf, want-len(sp.buf))
			var n int
			n, err = sp.src.Read(sp.buf[len(sp.buf):cap(sp.buf)])
			sp.buf = sp.buf[:len(sp.buf)+n]
		}
		switch {
		case err == io.EOF:
			if c := sp.get(); c != nil {
				c.out = sp.p.getChunk()
				c.data, sp.buf = sp.buf, nil
				sp.emit(c, true)
			} else {
				sp.handOver(nil)
			}
			return
		case err != nil:
			sp.handOver(err)
			return
		}
		cut := lastRecordEnd(sp.buf, sp.csv)
		if cut == 0 {
			if len(sp.buf) >= sp.limit {
				sp.handOver(nil)
				return
			}
			want = len(sp.buf) + chunkBytes
			continue
		}
		want = chunkBytes
		c := sp.get()
		if c == nil {
			sp.handOver(nil)
			return
		}
		// The chunk's batch holds its bytes until the sink stage is done
		// with it; the bytes of the batch it reuses hold the next ones.
		c.out = sp.p.getChunk()
		next := append(c.out.data[:0], sp.buf[cut:]...)
		c.data = sp.buf[:cut]
		sp.buf = next
		sp.emit(c, false)
	}
}

// stopped reports whether the parsing stage has stopped the splitter.
func (sp *splitter) stopped() bool {
	select {
	case <-sp.stop:
		return true
	default:
		return false
	}
}

// get returns a chunk to fill, new or handed back, or nil once stopped.
func (sp *splitter) get() *chunk {
	if sp.made < sp.most {
		sp.made++
		return &chunk{}
	}
	select {
	case c := <-sp.free:
		return c
	case <-sp.stop:
		return nil
	}
}

// emit hands on c, whose data comes next in the input.
func (sp *splitter) emit(c *chunk, last bool) {
	c.line, c.off, c.first, c.last, c.rest, c.err = sp.line, sp.off, sp.first, last, nil, nil
	c.n, c.bytes = sp.cr.n, sp.cr.bytes()
	c.out.data = c.data
	c.done = make(chan struct{})
	sp.line += bytes.Count(c.data, []byte{'\n'})
	sp.off += int64(len(c.data))
	sp.first = false
	sp.order <- c
	sp.work <- c
}

// handOver ends the splitter, leaving the rest of the input (what it has
// read and not handed on, then what it has not read, or err) to be read
// in one stage.
func (sp *splitter) handOver(err error) {
	rest := sp.src
	if err != nil {
		rest = errReader{err}
	}
	sp.order <- &chunk{data: sp.buf, line: sp.line, off: sp.off, first: sp.first, rest: rest}
}

// quit stops the splitter and waits for it to end.
func (sp *splitter) quit() {
	close(sp.stop)
	for range sp.order {
	}
}

// errReader returns its error.
type errReader struct{ err error }

func (r errReader) Read([]byte) (int, error) { return 0, r.err }

// lastRecordEnd returns the end of the last line of b that ends a record,
// b starting where one starts, or 0 if none does: its last line break in
// JSON Lines; in CSV, its last line break outside quotes.
func lastRecordEnd(b []byte, csv bool) int {
	if !csv {
		return bytes.LastIndexByte(b, '\n') + 1
	}
	end, quoted := 0, false
	for i := 0; ; {
		j := bytes.IndexByte(b[i:], '"')
		if j < 0 {
			j = len(b) - i
		}
		if !quoted {
			if k := bytes.LastIndexByte(b[i:i+j], '\n'); k >= 0 {
				end = i + k + 1
			}
		}
		if i+j == len(b) {
			return end
		}
		quoted = !quoted
		i += j + 1
	}
}
