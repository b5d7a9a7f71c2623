package eventio

import (
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/parcours-go/parcours/journey"
	"github.com/parcours-go/parcours/touchpoint"
)

func TestCSVRowParser(t *testing.T) {
	p, err := NewCSVRowParser([]byte("Customer,time,step,channel,value,device,\n"), ReadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name, reason, row string
		want              journey.Event
		ok                bool
		err               error
		msg               string // the start of the error message
	}{
		{name: "full", reason: "every field, a property and an ignored unnamed column",
			row:  "c1,2025-03-01T09:30:00Z,cart,web,12.5,app,7\n",
			want: journey.Event{Customer: "c1", Time: tm("2025-03-01T09:30:00Z"), Step: "cart", Channel: touchpoint.Web, Value: 12.5, Props: map[string]string{"device": "app"}},
			ok:   true},
		{name: "empty cells", reason: "an empty value is 0, an empty property absent; CRLF ends the row",
			row:  "c2,2025-03-01T10:00:00.5+01:00,visit,,,,\r\n",
			want: journey.Event{Customer: "c2", Time: tm("2025-03-01T09:00:00.5Z"), Step: "visit"},
			ok:   true},
		{name: "quoted", reason: "a quoted field may hold the separator and doubled quotes",
			row:  `"c,3",2025-03-01T09:30:00Z,"say ""hi""",email,,,`,
			want: journey.Event{Customer: "c,3", Time: tm("2025-03-01T09:30:00Z"), Step: `say "hi"`, Channel: touchpoint.Email},
			ok:   true},
		{name: "blank", reason: "blank rows are skipped, as ReadCSV skips blank lines", row: "\n"},
		{name: "missing step", reason: "the step is required",
			row: "c1,2025-03-01T09:30:00Z,,web,,,", err: journey.ErrMissingStep, msg: `eventio: csv: column "step": `},
		{name: "fields", reason: "a row has as many fields as the header",
			row: "c1,2025-03-01T09:30:00Z,cart", err: ErrMalformed, msg: "eventio: csv: malformed row: 3 fields, want 7"},
		{name: "line break in quotes", reason: "one line cannot hold a quoted field that spans lines",
			row: "c1,2025-03-01T09:30:00Z,\"two\n", err: ErrMalformed},
		{name: "two rows", reason: "Parse reads one row, never more",
			row: "c1,2025-03-01T09:30:00Z,cart,,,,\nc2,2025-03-01T09:30:00Z,cart,,,,\n", err: ErrMalformed},
		{name: "bad value", reason: "a value is a finite number",
			row: "c1,2025-03-01T09:30:00Z,cart,,NaN,,", err: journey.ErrBadValue},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			e, ok, err := p.Parse([]byte(tc.row))
			if tc.err != nil {
				var re *RowError
				if !errors.Is(err, tc.err) || !errors.As(err, &re) || re.Line != 0 || ok {
					t.Fatalf("%s: got %v (ok %v), want a *RowError on line 0 wrapping %v", tc.reason, err, ok, tc.err)
				}
				if !strings.HasPrefix(err.Error(), tc.msg) {
					t.Fatalf("message %q does not start with %q", err, tc.msg)
				}
				return
			}
			if err != nil || ok != tc.ok {
				t.Fatalf("%s: got ok %v, error %v", tc.reason, ok, err)
			}
			if diff := cmp.Diff(tc.want, e); diff != "" {
				t.Fatalf("%s (-want +got):\n%s", tc.reason, diff)
			}
		})
	}
}

func TestNewCSVRowParserBadHeader(t *testing.T) {
	for _, h := range []string{"", "\n", "customer,step", "customer,time,step\nc1,2025-03-01T09:30:00Z,cart"} {
		if _, err := NewCSVRowParser([]byte(h), ReadOptions{}); !errors.Is(err, ErrBadHeader) {
			t.Errorf("header %q: got %v, want an error wrapping ErrBadHeader", h, err)
		}
	}
	if _, err := NewCSVRowParser([]byte("customer,time,step"), ReadOptions{Comma: '"'}); !errors.Is(err, ErrBadOptions) {
		t.Errorf("a quote as separator: got %v, want ErrBadOptions", err)
	}
}

// FuzzCSVRowParser checks the row parser against ReadCSV on a file of the
// header and the row alone: the same event, or an error for both, wrapping
// the same sentinel.
func FuzzCSVRowParser(f *testing.F) {
	f.Add("customer,time,step,channel,value,device", "c1,2025-03-01T09:30:00Z,cart,web,12.5,app")
	f.Add("customer,time,step", `"a""b",1740821400,"x,y"`)
	f.Add("step;time;customer", "cart;2025-03-01 09:30:00;c1\r\n")
	f.Add("customer,time,step", "c1,2025-03-01T09:30:00Z,\"open")
	for _, tc := range csvCases {
		if h, rest, ok := strings.Cut(tc.in, "\n"); ok {
			row, _, _ := strings.Cut(rest, "\n")
			f.Add(h, row)
		}
	}
	f.Fuzz(func(t *testing.T, header, row string) {
		comma := ','
		if strings.Count(header, ";") > strings.Count(header, ",") {
			comma = ';'
		}
		opt := ReadOptions{Comma: comma, MaxRowBytes: 1 << 12}
		p, err := NewCSVRowParser([]byte(header+"\n"), opt)
		// A line ends at "\n" (or "\r\n"); a "\r" alone is a character of
		// its field, to ReadCSV as to the parser.
		if strings.Contains(strings.TrimRight(header, "\r\n"), "\n") {
			if err == nil {
				t.Fatalf("header %q of several lines accepted", header)
			}
			return
		}
		if strings.ContainsAny(strings.TrimRight(row, "\n"), "\n") {
			return // ReadCSV would read several rows
		}
		l, rerr := ReadCSV(strings.NewReader(header+"\n"+row), opt)
		if err != nil {
			// ReadCSV reads a file whose header is blank (after a byte
			// order mark) as empty; the parser refuses such a header.
			if rerr == nil && strings.TrimSpace(strings.TrimPrefix(header, "\ufeff")) != "" {
				t.Fatalf("header %q: NewCSVRowParser: %v, ReadCSV reads it", header, err)
			}
			return
		}
		e, ok, perr := p.Parse([]byte(row))
		if rerr != nil {
			if perr == nil {
				t.Fatalf("row %q: ReadCSV: %v, Parse accepts it (ok %v)", row, rerr, ok)
			}
			if reason(perr) != reason(rerr) {
				t.Fatalf("row %q: Parse: %v, ReadCSV: %v", row, perr, rerr)
			}
			return
		}
		if perr != nil {
			t.Fatalf("row %q: Parse: %v, ReadCSV reads it", row, perr)
		}
		if ok != (l.Len() == 1) || l.Len() > 1 {
			t.Fatalf("row %q: ok %v, ReadCSV read %d events", row, ok, l.Len())
		}
		if ok {
			if diff := cmp.Diff(l.Event(0), e, equateEmptyProps); diff != "" {
				t.Fatalf("row %q (-ReadCSV +Parse):\n%s", row, diff)
			}
		}
	})
}
