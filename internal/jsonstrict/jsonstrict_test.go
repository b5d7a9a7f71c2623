package jsonstrict

import (
	"errors"
	"fmt"
	"strings"
	"testing"
)

type color uint8

func (c *color) UnmarshalText(b []byte) error {
	switch string(b) {
	case "red":
		*c = 1
	case "blue":
		*c = 2
	default:
		return fmt.Errorf("unknown color %q", b)
	}
	return nil
}

type inner struct {
	ID     string   `json:"id"`
	Colors []color  `json:"colors,omitempty"` // uint8-sized enum list: an array, not base64
	Raw    []byte   `json:"raw,omitempty"`
	Tags   []string `json:"tags,omitempty"`
	Color  color    `json:"color,omitempty"`
}

type outer struct {
	Name    string             `json:"name"`
	Count   int8               `json:"count"`
	Weight  float64            `json:"weight"`
	On      bool               `json:"on"`
	Items   []inner            `json:"items"`
	ByColor map[string]float64 `json:"by_color"`
	Skip    string             `json:"-"`
	hidden  int
}

func TestDecodeReportsEveryProblemWithItsPath(t *testing.T) {
	doc := `{
	  "name": 3,
	  "count": 300,
	  "nme": "x",
	  "Skip": "y",
	  "items": [{"id": "a"}, {"id": "b", "colour": "red", "color": "green"}, "c"],
	  "by_color": {"red": "1"},
	  "on": "yes"
	}`
	var o outer
	err := Decode([]byte(doc), &o)
	if err == nil {
		t.Fatal("no error")
	}
	want := []string{
		`by_color["red"]: got a string, want a number`,
		`count: 300 is not an integer in range`,
		`items[1]: unknown field "colour"`,
		`items[1].color: unknown color "green"`,
		`items[2]: got a string, want an object`,
		`name: got a number, want a string`,
		`(root): unknown field "nme"`,
		`(root): unknown field "Skip"`,
		`on: got a string, want true or false`,
	}
	got := err.Error()
	for _, w := range want {
		if !strings.Contains(got, w) {
			t.Errorf("missing %q in\n%s", w, got)
		}
	}
	if n := len(err.(interface{ Unwrap() []error }).Unwrap()); n != len(want) {
		t.Errorf("got %d problems, want %d:\n%s", n, len(want), got)
	}
}

func TestDecodeGood(t *testing.T) {
	var o outer
	err := Decode([]byte(`{"name":"n","count":-3,"weight":1.5,"on":true,"items":[{"id":"a","color":"blue","tags":null,"colors":["red","blue"],"raw":"aGk="}],"by_color":{"x":2}}`), &o)
	if err != nil {
		t.Fatal(err)
	}
	if o.Name != "n" || o.Count != -3 || o.Weight != 1.5 || !o.On || len(o.Items) != 1 || o.Items[0].Color != 2 || len(o.Items[0].Colors) != 2 || string(o.Items[0].Raw) != "hi" || o.ByColor["x"] != 2 {
		t.Fatalf("decoded %+v", o)
	}
}

func TestDecodeSyntax(t *testing.T) {
	tests := []struct{ doc, want string }{
		{"{\n  \"name\": \"a\",\n  oops\n}", "line 3, column"},
		{"", "empty document"},
		{`{"name": "a"`, "unexpected end"},
		{`{"name": "a"} {}`, "unexpected data after the JSON document"},
	}
	for _, tt := range tests {
		var o outer
		err := Decode([]byte(tt.doc), &o)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("Decode(%q) = %v, want an error containing %q", tt.doc, err, tt.want)
		}
	}
}

func TestDecodeNeedsPointer(t *testing.T) {
	var o outer
	if err := Decode([]byte(`{}`), o); err == nil {
		t.Fatal("a non-pointer target must be an error")
	}
	if err := Decode([]byte(`{}`), (*outer)(nil)); err == nil {
		t.Fatal("a nil pointer target must be an error")
	}
}

func TestReadAll(t *testing.T) {
	var o outer
	if err := ReadAll(strings.NewReader(`{"name":"r"}`), &o); err != nil || o.Name != "r" {
		t.Fatalf("ReadAll: %v, %+v", err, o)
	}
	if err := ReadAll(errReader{}, &o); !errors.Is(err, errRead) {
		t.Fatalf("ReadAll must pass the read error through, got %v", err)
	}
}

var errRead = errors.New("read failed")

type errReader struct{}

func (errReader) Read([]byte) (int, error) { return 0, errRead }

func FuzzDecode(f *testing.F) {
	f.Add([]byte(`{"name":"n","items":[{"id":"a","color":"red"}],"by_color":{"a":1}}`))
	f.Add([]byte(`{"count": 1e400}`))
	f.Add([]byte(`[1,2]`))
	f.Fuzz(func(t *testing.T, data []byte) {
		var o outer
		_ = Decode(data, &o) // must not panic
	})
}

type nested struct {
	Inner strictInner   `json:"inner"`
	List  []strictInner `json:"list"`
}

// strictInner decodes itself strictly, as parcours's models do.
type strictInner struct {
	ID string `json:"id"`
}

func (s *strictInner) UnmarshalJSON(b []byte) error {
	type plain strictInner
	var p plain
	if err := Decode(b, &p); err != nil {
		return err
	}
	*s = strictInner(p)
	return nil
}

func TestNestedStrictPaths(t *testing.T) {
	var n nested
	err := Decode([]byte(`{"inner":{"id":"a","x":1},"list":[{"id":2}]}`), &n)
	want := "inner: unknown field \"x\"\nlist[0].id: got a number, want a string"
	if err == nil || err.Error() != want {
		t.Fatalf("got\n%v\nwant\n%s", err, want)
	}
	var e *Error
	if !errors.As(err, &e) || e.Path != "inner" {
		t.Errorf("the problems are *Error with their paths: %#v", e)
	}
	var s strictInner
	if err := Decode([]byte("{\n\"id\": }"), &s); err == nil || !strings.Contains(err.Error(), "line 2") {
		t.Errorf("a self-decoding root keeps the line of a syntax error: %v", err)
	}
}
