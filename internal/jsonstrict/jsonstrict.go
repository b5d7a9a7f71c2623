// Package jsonstrict decodes JSON into Go values the way parcours's model
// files need: every unknown field and every value of the wrong type is
// reported, each with its JSON path (steps[3].touchpoints[0]), instead of
// stopping at the first one or silently dropping it.
//
// Decode first checks the document against the target type, walking both
// together, then decodes it with encoding/json. Field names match the json
// tags exactly (encoding/json would also accept other cases; a model file
// with "Name" for "name" is a mistake worth reporting).
package jsonstrict

import (
	"bytes"
	"encoding"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"sync"
)

// Decode decodes the JSON document data into v, which must be a non-nil
// pointer. It returns every problem found, joined, each prefixed with its
// JSON path; a syntax error is reported alone, with its line and column.
// Trailing data after the document is an error.
func Decode(data []byte, v any) error {
	rv := reflect.ValueOf(v)
	if rv.Kind() != reflect.Pointer || rv.IsNil() {
		return errors.New("jsonstrict: Decode needs a non-nil pointer")
	}
	if u, ok := v.(json.Unmarshaler); ok {
		// The type decodes itself (strictly, if it calls Decode on a
		// method-less copy of itself, as parcours's models do).
		return u.UnmarshalJSON(data)
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var doc any
	if err := dec.Decode(&doc); err != nil {
		return syntaxError(data, err)
	}
	if _, err := dec.Token(); err != io.EOF {
		off := dec.InputOffset()
		line, col := position(data, off)
		return fmt.Errorf("line %d, column %d: unexpected data after the JSON document", line, col)
	}
	var errs []error
	check(doc, rv.Type().Elem(), "", &errs)
	if len(errs) > 0 {
		return errors.Join(errs...)
	}
	dec = json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		// check accepts only what encoding/json accepts, so this is a
		// gap in check; report it rather than hide it.
		return fmt.Errorf("decoding: %w", err)
	}
	return nil
}

// ReadAll reads r to the end and decodes it with Decode.
func ReadAll(r io.Reader, v any) error {
	data, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	return Decode(data, v)
}

func syntaxError(data []byte, err error) error {
	var se *json.SyntaxError
	if errors.As(err, &se) {
		line, col := position(data, se.Offset)
		return fmt.Errorf("line %d, column %d: %v", line, col, se)
	}
	if errors.Is(err, io.EOF) {
		return errors.New("empty document")
	}
	if errors.Is(err, io.ErrUnexpectedEOF) {
		return errors.New("unexpected end of the JSON document")
	}
	return err
}

// position converts a byte offset into a 1-based line and column.
func position(data []byte, off int64) (line, col int) {
	if off > int64(len(data)) {
		off = int64(len(data))
	}
	if off < 0 {
		off = 0
	}
	before := data[:off]
	line = 1 + bytes.Count(before, []byte{'\n'})
	col = int(off) - bytes.LastIndexByte(before, '\n')
	return line, col
}

var (
	jsonUnmarshaler = reflect.TypeFor[json.Unmarshaler]()
	textUnmarshaler = reflect.TypeFor[encoding.TextUnmarshaler]()
)

// check walks the generic document doc against type t and records every
// mismatch under path.
func check(doc any, t reflect.Type, path string, l *[]error) {
	if doc == nil {
		return // null leaves the target at its zero value, as encoding/json does
	}
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if reflect.PointerTo(t).Implements(jsonUnmarshaler) {
		raw, err := json.Marshal(doc)
		if err == nil {
			err = reflect.New(t).Interface().(json.Unmarshaler).UnmarshalJSON(raw)
		}
		addNested(l, path, err)
		return
	}
	if reflect.PointerTo(t).Implements(textUnmarshaler) {
		s, ok := doc.(string)
		if !ok {
			add(l, path, fmt.Errorf("got %s, want a string", kindOf(doc)))
			return
		}
		add(l, path, reflect.New(t).Interface().(encoding.TextUnmarshaler).UnmarshalText([]byte(s)))
		return
	}
	switch t.Kind() {
	case reflect.Struct:
		obj, ok := doc.(map[string]any)
		if !ok {
			add(l, path, fmt.Errorf("got %s, want an object", kindOf(doc)))
			return
		}
		fields := fieldsOf(t)
		for _, name := range sortedKeys(obj) {
			f, ok := fields[name]
			if !ok {
				add(l, path, fmt.Errorf("unknown field %q", name))
				continue
			}
			check(obj[name], f.typ, joinPath(path, name), l)
		}
	case reflect.Slice, reflect.Array:
		if _, ok := doc.(string); ok && t.Kind() == reflect.Slice && isBytes(t.Elem()) {
			return // base64, as encoding/json reads a []byte
		}
		arr, ok := doc.([]any)
		if !ok {
			add(l, path, fmt.Errorf("got %s, want an array", kindOf(doc)))
			return
		}
		if t.Kind() == reflect.Array && len(arr) > t.Len() {
			add(l, path, fmt.Errorf("got %d elements, want at most %d", len(arr), t.Len()))
		}
		for i, e := range arr {
			check(e, t.Elem(), path+"["+strconv.Itoa(i)+"]", l)
		}
	case reflect.Map:
		obj, ok := doc.(map[string]any)
		if !ok {
			add(l, path, fmt.Errorf("got %s, want an object", kindOf(doc)))
			return
		}
		kt := t.Key()
		for _, k := range sortedKeys(obj) {
			kpath := path + "[" + strconv.Quote(k) + "]"
			if reflect.PointerTo(kt).Implements(textUnmarshaler) {
				if err := reflect.New(kt).Interface().(encoding.TextUnmarshaler).UnmarshalText([]byte(k)); err != nil {
					add(l, kpath, err)
					continue
				}
			} else if kt.Kind() != reflect.String {
				if _, err := strconv.ParseInt(k, 10, 64); err != nil {
					add(l, kpath, fmt.Errorf("key %q is not an integer", k))
					continue
				}
			}
			check(obj[k], t.Elem(), kpath, l)
		}
	case reflect.String:
		if _, ok := doc.(string); !ok {
			add(l, path, fmt.Errorf("got %s, want a string", kindOf(doc)))
		}
	case reflect.Bool:
		if _, ok := doc.(bool); !ok {
			add(l, path, fmt.Errorf("got %s, want true or false", kindOf(doc)))
		}
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		n, ok := doc.(json.Number)
		if !ok {
			add(l, path, fmt.Errorf("got %s, want an integer", kindOf(doc)))
			return
		}
		i, err := strconv.ParseInt(string(n), 10, 64)
		if err != nil || reflect.Zero(t).OverflowInt(i) {
			add(l, path, fmt.Errorf("%s is not an integer in range", n))
		}
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		n, ok := doc.(json.Number)
		if !ok {
			add(l, path, fmt.Errorf("got %s, want a non-negative integer", kindOf(doc)))
			return
		}
		u, err := strconv.ParseUint(string(n), 10, 64)
		if err != nil || reflect.Zero(t).OverflowUint(u) {
			add(l, path, fmt.Errorf("%s is not a non-negative integer in range", n))
		}
	case reflect.Float32, reflect.Float64:
		n, ok := doc.(json.Number)
		if !ok {
			add(l, path, fmt.Errorf("got %s, want a number", kindOf(doc)))
			return
		}
		f, err := strconv.ParseFloat(string(n), t.Bits())
		if err != nil || math.IsInf(f, 0) {
			add(l, path, fmt.Errorf("%s is out of range", n))
		}
	case reflect.Interface:
		// any JSON value fits
	default:
		add(l, path, fmt.Errorf("a %s cannot be decoded from JSON", t))
	}
}

// isBytes reports whether encoding/json reads a string into a slice of t as
// base64: t has kind uint8 and no text or JSON decoding of its own.
func isBytes(t reflect.Type) bool {
	pt := reflect.PointerTo(t)
	return t.Kind() == reflect.Uint8 && !pt.Implements(textUnmarshaler) && !pt.Implements(jsonUnmarshaler)
}

// Error is one problem found by Decode, at a JSON path such as
// steps[3].touchpoints[0]; the empty path is the document itself.
type Error struct {
	Path string
	Err  error
}

func (e *Error) Error() string { return at(e.Path) + ": " + e.Err.Error() }
func (e *Error) Unwrap() error { return e.Err }

func add(l *[]error, path string, err error) {
	if err != nil {
		*l = append(*l, &Error{Path: path, Err: err})
	}
}

// addNested records the error of a nested UnmarshalJSON under path. The
// problems it found itself (as *Error) keep their own paths below path.
func addNested(l *[]error, path string, err error) {
	if err == nil {
		return
	}
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		for _, e := range j.Unwrap() {
			addNested(l, path, e)
		}
		return
	}
	var e *Error
	if errors.As(err, &e) && e == err {
		add(l, joinPath(path, e.Path), e.Err)
		return
	}
	add(l, path, err)
}

// joinPath appends a nested path to path: catalog + touchpoints[0] is
// catalog.touchpoints[0]; steps[3] + [0] is steps[3][0].
func joinPath(path, nested string) string {
	switch {
	case nested == "":
		return path
	case path == "":
		return nested
	case nested[0] == '[':
		return path + nested
	}
	return path + "." + nested
}

type field struct{ typ reflect.Type }

var fieldCache sync.Map // reflect.Type -> map[string]field

// fieldsOf returns the JSON names of t's exported fields, following
// encoding/json's rules for tags, "-" and embedded structs.
func fieldsOf(t reflect.Type) map[string]field {
	if m, ok := fieldCache.Load(t); ok {
		return m.(map[string]field)
	}
	m := make(map[string]field)
	for i := range t.NumField() {
		sf := t.Field(i)
		tag := sf.Tag.Get("json")
		if tag == "-" {
			continue
		}
		name, _, _ := strings.Cut(tag, ",")
		if sf.Anonymous && name == "" {
			et := sf.Type
			if et.Kind() == reflect.Pointer {
				et = et.Elem()
			}
			if et.Kind() == reflect.Struct {
				for k, v := range fieldsOf(et) {
					if _, dup := m[k]; !dup {
						m[k] = v
					}
				}
				continue
			}
		}
		if !sf.IsExported() {
			continue
		}
		if name == "" {
			name = sf.Name
		}
		m[name] = field{typ: sf.Type}
	}
	fieldCache.Store(t, m)
	return m
}

func sortedKeys(m map[string]any) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// at names the document root when path is empty.
func at(path string) string {
	if path == "" {
		return "(root)"
	}
	return path
}

func kindOf(doc any) string {
	switch doc.(type) {
	case map[string]any:
		return "an object"
	case []any:
		return "an array"
	case string:
		return "a string"
	case json.Number:
		return "a number"
	case bool:
		return "a boolean"
	}
	return "null"
}
