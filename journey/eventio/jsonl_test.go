package eventio

import (
	"bytes"
	"fmt"
	"github.com/parcours-go/parcours/journey"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/parcours-go/parcours/touchpoint"
)

var jsonlCases = []readCase{
	{
		name:   "minimal",
		reason: "the three required keys",
		in:     `{"customer":"c1","time":"2025-03-01T09:30:00Z","step":"visit"}` + "\n",
		want:   []journey.Event{{Customer: "c1", Time: tm("2025-03-01T09:30:00Z"), Step: "visit"}},
	},
	{
		name:   "all fields",
		reason: "every key, in any order, with spaces",
		in: ` { "props" : {"device":"app"}, "value" : 12.5 , "touchpoint":"web-cart","channel":"web",` +
			`"step":"cart","time":1740821400.5,"customer":"c1" } ` + "\r\n",
		want: []journey.Event{{Customer: "c1", Time: tm("2025-03-01T09:30:00.5Z"), Step: "cart", Channel: touchpoint.Web,
			Touchpoint: "web-cart", Value: 12.5, Props: map[string]string{"device": "app"}}},
	},
	{
		name:   "unknown keys are props",
		reason: "by default unknown keys join props; numbers, booleans, objects and arrays become their JSON text; null is absent",
		in: `{"customer":"c1","time":1740821400,"step":"a","n":1.50,"ok":true,"no":false,"gone":null,` +
			`"ctx":{ "a" : [1, "x y", {"b":null}] },"props":{"empty":"","list":[ ]}}`,
		want: []journey.Event{{Customer: "c1", Time: tm("2025-03-01T09:30:00Z"), Step: "a", Props: map[string]string{
			"n": "1.50", "ok": "true", "no": "false", "ctx": `{"a":[1,"x y",{"b":null}]}`, "empty": "", "list": "[]"}}},
	},
	{
		name:   "unknown keys ignored",
		reason: "ExtraIgnore drops unknown keys but still checks their syntax",
		in:     `{"customer":"c1","time":1740821400,"step":"a","ctx":{"a":[1,2]}}`,
		opt:    ReadOptions{Extra: ExtraIgnore},
		want:   []journey.Event{{Customer: "c1", Time: tm("2025-03-01T09:30:00Z"), Step: "a"}},
	},
	{
		name:   "unknown keys rejected",
		reason: "ExtraError rejects unknown keys, naming the column of the key",
		in:     `{"customer":"c1","time":1740821400,"step":"a","ctx":1}`,
		opt:    ReadOptions{Extra: ExtraError},
		err:    ErrUnknownKey, line: 1, col: 47,
	},
	{
		name:   "numbers as strings",
		reason: "a numeric customer id is read as its text; a quoted value is read as a number",
		in:     `{"customer":12345,"time":"1740821400","step":"a","value":"9.99"}`,
		want:   []journey.Event{{Customer: "12345", Time: tm("2025-03-01T09:30:00Z"), Step: "a", Value: 9.99}},
	},
	{
		name:   "escapes",
		reason: "JSON escapes decode, surrogate pairs included; a lone surrogate becomes U+FFFD as in encoding/json",
		in:     `{"customer":"c\"1\\\/","time":1740821400,"step":"caf\u00e9 \ud83d\ude00 \ud800x\n\t\b\f\r"}`,
		want:   []journey.Event{{Customer: `c"1\/`, Time: tm("2025-03-01T09:30:00Z"), Step: "café 😀 \ufffdx\n\t\b\f\r"}},
	},
	{
		name:   "renamed keys",
		reason: "Columns renames keys, props included",
		in:     `{"user_id":"u1","ts":1740821400123,"event":"a","attrs":{"k":"v"}}`,
		opt:    ReadOptions{Columns: Columns{Customer: "user_id", Time: "ts", Step: "event", Props: "attrs"}, Time: TimeUnixMilli},
		want:   []journey.Event{{Customer: "u1", Time: tm("2025-03-01T09:30:00.123Z"), Step: "a", Props: map[string]string{"k": "v"}}},
	},
	{
		name:   "nulls",
		reason: "null fields are absent",
		in:     `{"customer":"c1","time":1740821400,"step":"a","channel":null,"touchpoint":null,"value":null,"props":null}`,
		want:   []journey.Event{{Customer: "c1", Time: tm("2025-03-01T09:30:00Z"), Step: "a"}},
	},
	{
		name:   "bom and blank lines",
		reason: "a byte order mark and blank lines are skipped",
		in:     "\ufeff\n  \n" + `{"customer":"c1","time":1740821400,"step":"a"}` + "\n\n",
		want:   []journey.Event{{Customer: "c1", Time: tm("2025-03-01T09:30:00Z"), Step: "a"}},
	},
	{name: "empty", reason: "no input is an empty log", in: "", want: []journey.Event{}},
	{name: "many props", reason: "a line with many keys is sorted fast; the last repeated key is found", in: manyKeys(60000), err: ErrMalformed, line: 1},

	{name: "not an object", reason: "each line is an object", in: `[1]`, err: ErrMalformed, line: 1, col: 1},
	{name: "missing customer", reason: "a required key absent", in: `{"time":1,"step":"a"}`, err: journey.ErrMissingCustomer, line: 1},
	{name: "missing time", reason: "a required key null", in: `{"customer":"c","time":null,"step":"a"}`, err: journey.ErrMissingTime, line: 1},
	{name: "missing step", reason: "a required key empty", in: "\n" + `{"customer":"c","time":1,"step":""}`, err: journey.ErrMissingStep, line: 2},
	{name: "bad time", reason: "an unparsable time names the column of its value", in: `{"customer":"c","time":"noon","step":"a"}`, err: journey.ErrBadTime, line: 1, col: 24},
	{name: "exponent time", reason: "times do not take exponents", in: `{"customer":"c","time":1.7e9,"step":"a"}`, err: journey.ErrBadTime, line: 1, col: 24},
	{name: "number for rfc3339", reason: "TimeRFC3339 wants strings", in: `{"customer":"c","time":1,"step":"a"}`, opt: ReadOptions{Time: TimeRFC3339}, err: journey.ErrBadTime, line: 1, col: 24},
	{name: "bad value", reason: "a value that is no number", in: `{"customer":"c","time":1,"step":"a","value":"ten"}`, err: journey.ErrBadValue, line: 1, col: 45},
	{name: "bool value", reason: "a value must be a number", in: `{"customer":"c","time":1,"step":"a","value":true}`, err: ErrMalformed, line: 1, col: 45},
	{name: "object step", reason: "fields are strings or numbers", in: `{"customer":"c","time":1,"step":{}}`, err: ErrMalformed, line: 1, col: 33},
	{name: "props not object", reason: "props must be an object", in: `{"customer":"c","time":1,"step":"a","props":[]}`, err: ErrMalformed, line: 1, col: 45},
	{name: "repeated key", reason: "a key given twice", in: `{"customer":"c","customer":"d","time":1,"step":"a"}`, err: ErrMalformed, line: 1, col: 17},
	{name: "repeated prop", reason: "a property both in props and at the top level", in: `{"customer":"c","time":1,"step":"a","x":"1","props":{"x":"2"}}`, err: ErrMalformed, line: 1},
	{name: "trailing data", reason: "one object per line", in: `{"customer":"c","time":1,"step":"a"} {}`, err: ErrMalformed, line: 1, col: 38},
	{name: "trailing comma", reason: "strict JSON", in: `{"customer":"c","time":1,"step":"a",}`, err: ErrMalformed, line: 1, col: 37},
	{name: "bad number", reason: "strict JSON numbers", in: `{"customer":01,"time":1,"step":"a"}`, err: ErrMalformed, line: 1, col: 14},
	{name: "bad escape", reason: "strict JSON strings", in: `{"customer":"\x","time":1,"step":"a"}`, err: ErrMalformed, line: 1, col: 14},
	{name: "control char", reason: "strict JSON strings", in: "{\"customer\":\"a\tb\",\"time\":1,\"step\":\"a\"}", err: ErrMalformed, line: 1, col: 15},
	{name: "unclosed", reason: "an object cut short", in: `{"customer":"c","time":1,"step":"a"`, err: ErrMalformed, line: 1, col: 36},
	{name: "unclosed nested", reason: "a nested value cut short", in: `{"customer":"c","time":1,"step":"a","x":[1,{"y":2}`, err: ErrMalformed, line: 1, col: 51},
	{name: "deep nesting", reason: "nesting is bounded as in encoding/json", in: `{"customer":"c","time":1,"step":"a","x":` + strings.Repeat("[", 10001) + strings.Repeat("]", 10001) + "}", err: ErrMalformed, line: 1, col: 10041},
	{name: "bad utf8", reason: "invalid UTF-8 is rejected with its column", in: `{"customer":"c` + "\xff" + `","time":1,"step":"a"}`, err: ErrInvalidUTF8, line: 1, col: 15},
	{name: "too long", reason: "a line longer than MaxRowBytes", in: `{"customer":"c","time":1,"step":"` + strings.Repeat("a", 100) + `"}`, opt: ReadOptions{MaxRowBytes: 64}, err: ErrRowTooLong, line: 1},
	{name: "bad extra", reason: "options are checked", in: "", opt: ReadOptions{Extra: 9}, err: ErrBadOptions},
}

// manyKeys is a line with n distinct extra keys, in reverse order, then
// one repeated.
func manyKeys(n int) string {
	var b strings.Builder
	b.WriteString(`{"customer":"c","time":1,"step":"a"`)
	for i := n; i > 0; i-- {
		fmt.Fprintf(&b, `,"k%d":1`, i)
	}
	b.WriteString(`,"k7":2}`)
	return b.String()
}

func TestReadJSONL(t *testing.T) {
	for _, tc := range jsonlCases {
		t.Run(tc.name, func(t *testing.T) {
			l, err := ReadJSONL(strings.NewReader(tc.in), tc.opt)
			checkRead(t, tc, l, err)
		})
	}
}

func TestWriteJSONL(t *testing.T) {
	l, err := journey.NewLog([]journey.Event{
		{Customer: "c1", Time: tm("2025-03-01T09:30:00.5Z"), Step: "say \"hi\"\n\x01", Channel: touchpoint.Web, Value: 1e21,
			Props: map[string]string{"note": "", "device": "app"}},
		{Customer: "c1", Time: tm("1969-12-31T23:59:59Z"), Step: "visit", Touchpoint: "home"},
	})
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := WriteJSONL(&buf, l); err != nil {
		t.Fatal(err)
	}
	want := `{"customer":"c1","time":"1969-12-31T23:59:59Z","step":"visit","touchpoint":"home"}` + "\n" +
		`{"customer":"c1","time":"2025-03-01T09:30:00.5Z","step":"say \"hi\"\n\u0001","channel":"web","value":1e+21,"props":{"device":"app","note":""}}` + "\n"
	if diff := cmp.Diff(want, buf.String()); diff != "" {
		t.Errorf("WriteJSONL (-want +got):\n%s", diff)
	}
}
