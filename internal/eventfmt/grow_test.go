package eventfmt

import (
	"bytes"
	"fmt"
	"io"
	"runtime"
	"testing"
)

// growSink counts rows and records the calls to Grow.
type growSink struct {
	rows  int
	grows []int
}

func (s *growSink) AddRow(*Row) error   { s.rows++; return nil }
func (s *growSink) Build() (any, error) { return s.rows, nil }
func (s *growSink) Grow(n int)          { s.grows = append(s.grows, n) }
func (c *byteCounter) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}

type byteCounter struct {
	r io.Reader
	n int64
}

// TestGrow checks that a reader that knows the size of its input tells
// the sink, once, about how many rows to expect, plain or (as if)
// compressed, in one stage or two, and does not when it does not know the
// size.
func TestGrow(t *testing.T) {
	if runtime.GOMAXPROCS(0) < 2 {
		defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(2))
	}
	const rows = 3 * growAfter
	var in bytes.Buffer
	in.WriteString("customer,time,step\n")
	for i := range rows {
		fmt.Fprintf(&in, "c%d,%d,step-%d\n", i%997, 1700000000+i, i%7)
	}
	data := in.Bytes()
	tests := []struct {
		name  string
		total int64
		ratio int64 // bytes read per byte of input counted
		want  bool
	}{
		{"size known", int64(len(data)), 1, true},
		{"compressed to a third", int64(len(data)) / 3, 3, true},
		{"size unknown", -1, 1, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for _, two := range []bool{false, true} {
				src := &byteCounter{r: bytes.NewReader(data)}
				opt := ReadOptions{Total: tt.total, OneStage: !two}
				if tt.ratio != 1 {
					opt.Count = func() int64 { return src.n / tt.ratio }
				}
				s := &growSink{}
				if _, err := ReadCSV(src, opt, s); err != nil {
					t.Fatal(err)
				}
				if s.rows != rows {
					t.Fatalf("%d rows, want %d", s.rows, rows)
				}
				if !tt.want {
					if len(s.grows) != 0 {
						t.Errorf("two stages %v: Grow%v, want no call", two, s.grows)
					}
					continue
				}
				// The estimate is 5 % over the rows per byte so far, and
				// the rows are regular here.
				if len(s.grows) != 1 || s.grows[0] < rows || s.grows[0] > rows*6/5 {
					t.Errorf("two stages %v: Grow%v, want one call with %d to %d", two, s.grows, rows, rows*6/5)
				}
			}
		})
	}
}
