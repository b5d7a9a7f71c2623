package attribution_test

import (
	"bytes"
	"errors"
	"math"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/parcours-go/parcours/journey/attribution"
)

func TestReadTable(t *testing.T) {
	j := func(conv, nulls, value float64, touches ...string) attribution.Row {
		return attribution.Row{Touches: touches, Conversions: conv, Nulls: nulls, Value: value}
	}
	tests := []struct {
		name   string
		reason string
		in     string
		opt    attribution.TableOptions
		want   []attribution.Row
	}{
		{
			name:   "ChannelAttribution header",
			reason: "the column names of ChannelAttribution's examples",
			in: "path,total_conversions,total_null,total_conversion_value\n" +
				"A > B,3,1,30\nA > A > C,1,1,20\nB,1,3,5\nC > B,1,1,15\n",
			want: worked(),
		},
		{
			name:   "no header",
			reason: "positional columns: route, conversions, nulls, value",
			in:     "A > B,3,1,30\nA > A > C,1,1,20\nB,1,3,5\nC > B,1,1,15\n",
			want:   worked(),
		},
		{
			name:   "two columns",
			reason: "nulls and value may be left out",
			in:     "a>b,2\nc,1\n",
			want:   []attribution.Row{j(2, 0, 0, "a", "b"), j(1, 0, 0, "c")},
		},
		{
			name:   "header in another order",
			reason: "named columns may come in any order, in any case",
			in:     "Conversions,Value,PATH\n2,9.5,a > b\n",
			want:   []attribution.Row{j(2, 0, 9.5, "a", "b")},
		},
		{
			name:   "header only",
			reason: "an empty table",
			in:     "path,total_conversions\n",
			want:   []attribution.Row{},
		},
		{
			name:   "empty input",
			reason: "an empty table",
			in:     "",
			want:   []attribution.Row{},
		},
		{
			name:   "spaces and empty touches",
			reason: "touches are trimmed and empty ones skipped, as ChannelAttribution does",
			in:     " a >>  b > ,1, 0 , 2 \n",
			want:   []attribution.Row{j(1, 0, 2, "a", "b")},
		},
		{
			name:   "quoted fields",
			reason: "a touch may hold the field delimiter when quoted",
			in:     "\"web, mobile > store\",1,0,3\n",
			want:   []attribution.Row{j(1, 0, 3, "web, mobile", "store")},
		},
		{
			name:   "other separators",
			reason: "Sep and Comma are configurable",
			in:     "a|b;1;2;3\n",
			opt:    attribution.TableOptions{Sep: "|", Comma: ';'},
			want:   []attribution.Row{j(1, 2, 3, "a", "b")},
		},
		{
			name:   "repeated route",
			reason: "rows are kept as given; models add them up",
			in:     "a,1,0\na,2,1\n",
			want:   []attribution.Row{j(1, 0, 0, "a"), j(2, 1, 0, "a")},
		},
		{
			name:   "fractional counts",
			reason: "weighted data is accepted",
			in:     "a,0.5,1.25,3\n",
			want:   []attribution.Row{j(0.5, 1.25, 3, "a")},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := attribution.ReadTable(strings.NewReader(tt.in), tt.opt)
			if err != nil {
				t.Fatalf("%s: %v", tt.reason, err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("%s (-want +got):\n%s", tt.reason, diff)
			}
		})
	}
}

func TestReadTableErrors(t *testing.T) {
	tests := []struct {
		name   string
		reason string
		in     string
		want   []string // in the error message, in order
		is     error
	}{
		{"negative count", "counts are at least 0", "a,1,0\nb,-1,0\n", []string{"line 2, column 2", "conversions -1"}, attribution.ErrBadCount},
		{"NaN", "NaN is not a count", "a,1,NaN\n", []string{"line 1, column 3", "nulls NaN"}, attribution.ErrBadCount},
		{"infinite", "counts are finite", "a,+Inf,1\n", []string{"line 1, column 2"}, attribution.ErrBadCount},
		{"not a number", "counts are numbers", "a,1,0\nb,x,0\n", []string{"line 2, column 2", `total_conversions "x" is not a number`}, attribution.ErrBadCount},
		{"value without conversion", "only conversions carry value", "a,0,3,9\n", []string{"line 1", "value 9 without conversions"}, attribution.ErrBadCount},
		{"empty route", "a row needs a touch", "a,1\n > ,2\n", []string{"line 2, column 1", "empty route"}, attribution.ErrEmptyRoute},
		{"field count", "rows have as many fields as the first", "a,1,0\nb,1\n", []string{"line 2", "2 fields, want 3"}, nil},
		{"too many fields", "a table has at most 4 columns", "a,1,0,3,4\n", []string{"line 1", "5 fields"}, nil},
		{"unknown column", "a header names known columns", "path,conversions,colour\n", []string{"line 1", `unknown column "colour"`}, nil},
		{"no conversions column", "conversions are required", "path,nulls\n", []string{"no total_conversions column"}, nil},
		{"duplicate column", "a column is named once", "path,value,revenue\n", []string{`column "revenue" given twice`}, nil},
		{"several bad rows", "every bad row is reported", "a,-1\nb,1\nc,x\n", []string{"line 1, column 2", "line 3, column 2"}, attribution.ErrBadCount},
		{"bare quote", "malformed CSV stops the reading", "a\"b,1\n", []string{"bare \""}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := attribution.ReadTable(strings.NewReader(tt.in), attribution.TableOptions{})
			if err == nil {
				t.Fatalf("%s: no error, journeys %v", tt.reason, got)
			}
			if got != nil {
				t.Errorf("journeys %v with an error", got)
			}
			msg := err.Error()
			at := 0
			for _, w := range tt.want {
				k := strings.Index(msg[at:], w)
				if k < 0 {
					t.Fatalf("%s: error %q lacks %q", tt.reason, msg, w)
				}
				at += k
			}
			if tt.is != nil && !errors.Is(err, tt.is) {
				t.Errorf("%s: error %v does not wrap %v", tt.reason, err, tt.is)
			}
			if !strings.HasPrefix(msg, "attribution: ") {
				t.Errorf("error %q lacks the package prefix", msg)
			}
		})
	}
	var pe *attribution.ParseError
	_, err := attribution.ReadTable(strings.NewReader("a,1\nb,1\nc,-2\n"), attribution.TableOptions{})
	if !errors.As(err, &pe) || pe.Line != 3 || pe.Column != 2 {
		t.Errorf("ParseError %+v, want line 3, column 2", pe)
	}
}

func TestWriteTableRoundTrip(t *testing.T) {
	js := append(worked(),
		attribution.Row{Touches: []string{"web, mobile", `say "hi"`, "é"}, Conversions: 0.1, Nulls: 1e-300, Value: math.MaxFloat64},
		attribution.Row{Touches: []string{"line\nbreak"}, Nulls: 3},
	)
	for _, opt := range []attribution.TableOptions{{}, {Sep: "|", Comma: '\t'}} {
		var buf bytes.Buffer
		if err := attribution.WriteTable(&buf, js, opt); err != nil {
			t.Fatal(err)
		}
		got, err := attribution.ReadTable(&buf, opt)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(js, got); diff != "" {
			t.Errorf("round trip with %+v (-written +read):\n%s", opt, diff)
		}
	}
	var buf bytes.Buffer
	if err := attribution.WriteTable(&buf, worked(), attribution.TableOptions{}); err != nil {
		t.Fatal(err)
	}
	want := "path,total_conversions,total_null,total_conversion_value\n" +
		"A > B,3,1,30\nA > A > C,1,1,20\nB,1,3,5\nC > B,1,1,15\n"
	if buf.String() != want {
		t.Errorf("WriteTable wrote\n%s\nwant\n%s", buf.String(), want)
	}
}

func TestWriteTableErrors(t *testing.T) {
	tests := []struct {
		name   string
		reason string
		touch  string
	}{
		{"separator", "ReadTable would split it", "a > b"},
		{"empty", "ReadTable would skip it", ""},
		{"leading space", "ReadTable would trim it", " a"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			js := []attribution.Row{{Touches: []string{"x", tt.touch}, Conversions: 1}}
			var buf bytes.Buffer
			err := attribution.WriteTable(&buf, js, attribution.TableOptions{})
			if !errors.Is(err, attribution.ErrBadTouch) {
				t.Errorf("%s: error %v, want ErrBadTouch", tt.reason, err)
			}
			if buf.Len() != 0 {
				t.Errorf("wrote %q despite the error", buf.String())
			}
		})
	}
	if err := attribution.WriteTable(&bytes.Buffer{}, []attribution.Row{{Conversions: 1}}, attribution.TableOptions{}); !errors.Is(err, attribution.ErrEmptyRoute) {
		t.Errorf("empty route: %v, want ErrEmptyRoute", err)
	}
}

func FuzzReadTable(f *testing.F) {
	var buf bytes.Buffer
	if err := attribution.WriteTable(&buf, worked(), attribution.TableOptions{}); err != nil {
		f.Fatal(err)
	}
	f.Add(buf.String())
	f.Add("A > B,3,1,30\nB,1,3,5\n")
	f.Add("path,value,conversions\na,1,2\n")
	f.Add("\"a\r\nb > c\",1,0\n")
	f.Add("a,1\n > ,2\nb,x\n")
	f.Fuzz(func(t *testing.T, in string) {
		js, err := attribution.ReadTable(strings.NewReader(in), attribution.TableOptions{})
		if err != nil {
			return
		}
		for _, j := range js {
			if len(j.Touches) == 0 || !(j.Conversions >= 0) || !(j.Nulls >= 0) || !(j.Value >= 0) {
				t.Fatalf("ReadTable accepted a bad journey %+v", j)
			}
		}
		var out bytes.Buffer
		if err := attribution.WriteTable(&out, js, attribution.TableOptions{}); err != nil {
			t.Fatalf("cannot write what was read: %v", err)
		}
		back, err := attribution.ReadTable(&out, attribution.TableOptions{})
		if err != nil {
			t.Fatalf("cannot read what was written: %v\n%s", err, out.String())
		}
		if diff := cmp.Diff(js, back); diff != "" {
			t.Fatalf("round trip (-read +reread):\n%s", diff)
		}
	})
}
