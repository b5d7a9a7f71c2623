package eventfmt

import (
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/parcours-go/parcours/internal/logcols"
)

// Source is a log in column form, as the writers read it: package journey
// registers SourceOf, which returns a view of a *journey.Log's columns
// (not a copy; the writers do not change it).
type Source = logcols.Log

// SourceOf returns the columns of a *journey.Log; package journey sets it.
var SourceOf func(any) *Source

var byNames = [3]string{"step", "channel", "touchpoint"}

func prefixOr(p string) string {
	if p == "" {
		return "eventio"
	}
	return p
}

// WriteOptions are the options of the CSV writer, as package eventio
// documents them; Prefix starts the error messages.
type WriteOptions struct {
	Columns Columns
	Comma   rune
	Props   []string
	Prefix  string
}

// CSVWriter encodes rows of CSV.
type CSVWriter struct {
	prefix string
	wb     writeBuf
	comma  byte
	fields [fProps]string
	keys   []string
	keyIdx map[string]int
}

func NewCSVWriter(w io.Writer, opt WriteOptions, keys []string) (*CSVWriter, error) {
	cw := &CSVWriter{prefix: prefixOr(opt.Prefix), wb: writeBuf{w: w, b: make([]byte, 0, readBufSize+4096)}, comma: ','}
	bad := func(format string, args ...any) (*CSVWriter, error) {
		return nil, fmt.Errorf("%s: csv: %w: "+format, append([]any{cw.prefix, ErrBadOptions}, args...)...)
	}
	if opt.Comma != 0 {
		if opt.Comma >= 0x80 || opt.Comma == '"' || opt.Comma == '\r' || opt.Comma == '\n' {
			return bad("comma %q is not an ASCII character other than a quote or a line break", opt.Comma)
		}
		cw.comma = byte(opt.Comma)
	}
	names := opt.Columns.names()
	copy(cw.fields[:], names[:fProps])
	if opt.Props != nil {
		keys = opt.Props
	}
	cw.keys = keys
	cw.keyIdx = make(map[string]int, len(keys))
	for i, n := range cw.fields {
		if n == "" || !utf8.ValidString(n) {
			return bad("column name %q", n)
		}
		for _, m := range cw.fields[:i] {
			if strings.EqualFold(n, m) {
				return bad("two fields named %q and %q", m, n)
			}
		}
	}
	for i, k := range keys {
		if k == "" || !utf8.ValidString(k) {
			return nil, fmt.Errorf("%s: csv: %w: property key %q", cw.prefix, ErrNotWritable, k)
		}
		for _, n := range cw.fields {
			if strings.EqualFold(k, n) {
				return nil, fmt.Errorf("%s: csv: %w: property key %q is the name of a field column", cw.prefix, ErrNotWritable, k)
			}
		}
		if _, dup := cw.keyIdx[k]; dup {
			return bad("property key %q listed twice", k)
		}
		cw.keyIdx[k] = i
	}
	all := append(cw.fields[:len(cw.fields):len(cw.fields)], keys...)
	for i, n := range all {
		if i > 0 {
			cw.wb.b = append(cw.wb.b, cw.comma)
		}
		cw.wb.b = cw.appendField(cw.wb.b, n)
	}
	cw.wb.b = append(cw.wb.b, '\n')
	return cw, nil
}

// appendField appends s, quoted if it must be.
func (cw *CSVWriter) appendField(dst []byte, s string) []byte {
	if !cw.needsQuotes(s) {
		return append(dst, s...)
	}
	dst = append(dst, '"')
	for {
		i := strings.IndexByte(s, '"')
		if i < 0 {
			break
		}
		dst = append(dst, s[:i+1]...)
		dst = append(dst, '"')
		s = s[i+1:]
	}
	dst = append(dst, s...)
	return append(dst, '"')
}

func (cw *CSVWriter) needsQuotes(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c == cw.comma || c == '"' || c == '\n' || c == '\r' {
			return true
		}
	}
	return strings.HasPrefix(s, "\ufeff")
}

// Row writes one event; props are the values of Keys, "" for absent.
func (cw *CSVWriter) Row(customer string, nanos int64, step, channel, touchpoint string, value float64, props []string) {
	b := cw.appendField(cw.wb.b, customer)
	b = append(b, cw.comma)
	b = appendTime(b, nanos)
	b = append(b, cw.comma)
	b = cw.appendField(b, step)
	b = append(b, cw.comma)
	b = cw.appendField(b, channel)
	b = append(b, cw.comma)
	b = cw.appendField(b, touchpoint)
	b = append(b, cw.comma)
	if value != 0 {
		b = strconv.AppendFloat(b, value, 'g', -1, 64)
	}
	for _, p := range props {
		b = append(b, cw.comma)
		b = cw.appendField(b, p)
	}
	cw.wb.b = append(b, '\n')
	cw.wb.flushIfFull()
}

// Keys returns the property keys the writer has columns for.
func (cw *CSVWriter) Keys() []string { return cw.keys }

// Key returns the column of property key k among Keys.
func (cw *CSVWriter) Key(k string) (int, bool) {
	j, ok := cw.keyIdx[k]
	return j, ok
}

// Err returns err wrapped with the writer's prefix.
func (cw *CSVWriter) Err(err error) error { return fmt.Errorf("%s: csv: %w", cw.prefix, err) }

// Flush writes what is buffered and returns the first write error.
func (cw *CSVWriter) Flush() error {
	cw.wb.flush()
	return cw.WriteErr()
}

// WriteErr returns the first write error, if any.
func (cw *CSVWriter) WriteErr() error {
	if cw.wb.err != nil {
		return cw.Err(cw.wb.err)
	}
	return nil
}

// CheckString reports a string the CSV and JSON Lines formats cannot hold.
func CheckString(what, s string) error {
	if !utf8.ValidString(s) {
		return fmt.Errorf("%w: %s %s is not valid UTF-8", ErrNotWritable, what, quoteCell([]byte(s)))
	}
	return nil
}

// WriteCSV writes the log l as CSV.
func WriteCSV(w io.Writer, l *Source, opt WriteOptions) error {
	keys := opt.Props
	if keys == nil {
		keys = propKeys(l)
	}
	cw, err := NewCSVWriter(w, opt, keys)
	if err != nil {
		return err
	}
	enc := newLogEncoder(l, CheckString)
	props := make([]string, len(cw.keys))
	for c, cust := range l.Customers {
		if err := CheckString("customer", cust); err != nil {
			return cw.Err(err)
		}
		lo, hi := int(l.Offsets[c]), int(l.Offsets[c+1])
		for i := lo; i < hi; i++ {
			step, ch, tp := enc.name(0, i), enc.name(1, i), enc.name(2, i)
			clear(props)
			kv := enc.props(i)
			for p := 0; p+1 < len(kv); p += 2 {
				k, v := enc.propName(kv[p], "property key"), enc.propName(kv[p+1], "property value")
				j, ok := cw.keyIdx[k]
				switch {
				case !ok:
					return cw.Err(fmt.Errorf("customer %q: %w: property %q has no column (list it in WriteOptions.Props)", cust, ErrNotWritable, k))
				case v == "":
					return cw.Err(fmt.Errorf("customer %q: %w: property %q is empty, which CSV cannot tell from absent", cust, ErrNotWritable, k))
				}
				props[j] = v
			}
			if enc.err != nil { // before Row, which may flush
				return cw.Err(enc.err)
			}
			cw.Row(cust, l.Times[i], step, ch, tp, enc.value(i), props)
		}
		if err := cw.WriteErr(); err != nil {
			return err
		}
	}
	return cw.Flush()
}

// WriteJSONL writes the log l as JSON Lines; prefix starts the error
// messages.
func WriteJSONL(w io.Writer, l *Source, prefix string) error {
	jw := NewJSONLWriter(w, prefix)
	enc := newLogEncoder(l, CheckString)
	for c, cust := range l.Customers {
		if err := CheckString("customer", cust); err != nil {
			return jw.Err(err)
		}
		lo, hi := int(l.Offsets[c]), int(l.Offsets[c+1])
		for i := lo; i < hi; i++ {
			jw.Begin(cust, l.Times[i], enc.name(0, i), enc.name(1, i), enc.name(2, i), enc.value(i))
			kv := enc.props(i)
			for p := 0; p+1 < len(kv); p += 2 {
				jw.Prop(p == 0, enc.propName(kv[p], "property key"), enc.propName(kv[p+1], "property value"))
			}
			if enc.err != nil { // before End, which may flush the line
				return jw.Err(enc.err)
			}
			jw.End(len(kv) > 0)
		}
		if err := jw.WriteErr(); err != nil {
			return err
		}
	}
	return jw.Flush()
}

// logEncoder walks a log's events in increasing index for the writers:
// values and properties with moving cursors, and every string checked
// once (names by id) with check, the first failure kept in err.
type logEncoder struct {
	l       *Source
	check   func(what, s string) error
	checked [3][]bool
	propOK  []bool
	vk, pk  int
	err     error
}

func newLogEncoder(l *Source, check func(what, s string) error) *logEncoder {
	e := &logEncoder{l: l, check: check}
	for by := range e.checked {
		e.checked[by] = make([]bool, len(l.Names[by]))
	}
	e.propOK = make([]bool, len(l.PropNames))
	return e
}

// name returns the step, channel or touchpoint of event i.
func (e *logEncoder) name(by, i int) string {
	id := e.l.Syms[by][i]
	s := e.l.Names[by][id]
	if !e.checked[by][id] {
		e.checked[by][id] = true
		if err := e.check(byNames[by], s); err != nil && e.err == nil {
			e.err = err
		}
	}
	return s
}

// value returns the value of event i; events must come in increasing order.
func (e *logEncoder) value(i int) float64 {
	l := e.l
	for e.vk < len(l.ValIdx) && int(l.ValIdx[e.vk]) < i {
		e.vk++
	}
	if e.vk < len(l.ValIdx) && int(l.ValIdx[e.vk]) == i {
		return l.Vals[e.vk]
	}
	return 0
}

// props returns the properties of event i as key id, value id, key id …
// sorted by key; events must come in increasing order. Read the names
// with propName.
func (e *logEncoder) props(i int) []uint32 {
	l := e.l
	for e.pk < len(l.PropIdx) && int(l.PropIdx[e.pk]) < i {
		e.pk++
	}
	if e.pk >= len(l.PropIdx) || int(l.PropIdx[e.pk]) != i {
		return nil
	}
	return l.Pairs(e.pk)
}

func (e *logEncoder) propName(id uint32, what string) string {
	s := e.l.PropNames[id]
	if !e.propOK[id] {
		e.propOK[id] = true
		if err := e.check(what, s); err != nil && e.err == nil {
			e.err = err
		}
	}
	return s
}

// propKeys returns the distinct property keys of the log's events, sorted.
func propKeys(l *Source) []string {
	keys := []string{}
	if len(l.PropIdx) == 0 {
		return keys
	}
	used := make([]bool, len(l.SetEnd)) // by set
	seen := make([]bool, len(l.PropNames))
	for k, s := range l.PropSet {
		if used[s] {
			continue
		}
		used[s] = true
		kv := l.Pairs(k)
		for j := 0; j < len(kv); j += 2 {
			if id := kv[j]; !seen[id] {
				seen[id] = true
				keys = append(keys, l.PropNames[id])
			}
		}
	}
	slices.Sort(keys)
	return keys
}

// appendJSONString appends s as a JSON string. s must be valid UTF-8.
func appendJSONString(dst []byte, s string) []byte {
	dst = append(dst, '"')
	start := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 0x20 && c != '"' && c != '\\' {
			continue
		}
		dst = append(dst, s[start:i]...)
		switch c {
		case '"', '\\':
			dst = append(dst, '\\', c)
		case '\n':
			dst = append(dst, '\\', 'n')
		case '\r':
			dst = append(dst, '\\', 'r')
		case '\t':
			dst = append(dst, '\\', 't')
		default:
			dst = append(dst, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&15])
		}
		start = i + 1
	}
	dst = append(dst, s[start:]...)
	return append(dst, '"')
}

const hexDigits = "0123456789abcdef"

// JSONLWriter encodes events as JSON lines.
type JSONLWriter struct {
	prefix string
	wb     writeBuf
}

// NewJSONLWriter returns a writer to w; prefix starts its error messages.
func NewJSONLWriter(w io.Writer, prefix string) *JSONLWriter {
	return &JSONLWriter{prefix: prefixOr(prefix), wb: writeBuf{w: w, b: make([]byte, 0, readBufSize+4096)}}
}

// Begin starts a line with the fields every event has.
func (jw *JSONLWriter) Begin(customer string, nanos int64, step, channel, touchpoint string, value float64) {
	b := append(jw.wb.b, `{"customer":`...)
	b = appendJSONString(b, customer)
	b = append(b, `,"time":"`...)
	b = appendTime(b, nanos)
	b = append(b, `","step":`...)
	b = appendJSONString(b, step)
	if channel != "" {
		b = append(b, `,"channel":`...)
		b = appendJSONString(b, channel)
	}
	if touchpoint != "" {
		b = append(b, `,"touchpoint":`...)
		b = appendJSONString(b, touchpoint)
	}
	if value != 0 {
		b = append(b, `,"value":`...)
		b = strconv.AppendFloat(b, value, 'g', -1, 64)
	}
	jw.wb.b = b
}

// Prop adds one property; first says whether it is the first.
func (jw *JSONLWriter) Prop(first bool, k, v string) {
	if first {
		jw.wb.b = append(jw.wb.b, `,"props":{`...)
	} else {
		jw.wb.b = append(jw.wb.b, ',')
	}
	jw.wb.b = appendJSONString(jw.wb.b, k)
	jw.wb.b = append(jw.wb.b, ':')
	jw.wb.b = appendJSONString(jw.wb.b, v)
}

// End ends the line; props says whether it had properties.
func (jw *JSONLWriter) End(props bool) {
	if props {
		jw.wb.b = append(jw.wb.b, '}')
	}
	jw.wb.b = append(jw.wb.b, '}', '\n')
	jw.wb.flushIfFull()
}

// Err returns err wrapped with the writer's prefix.
func (jw *JSONLWriter) Err(err error) error { return fmt.Errorf("%s: jsonl: %w", jw.prefix, err) }

// Flush writes what is buffered and returns the first write error.
func (jw *JSONLWriter) Flush() error {
	jw.wb.flush()
	return jw.WriteErr()
}

// WriteErr returns the first write error, if any.
func (jw *JSONLWriter) WriteErr() error {
	if jw.wb.err != nil {
		return jw.Err(jw.wb.err)
	}
	return nil
}
