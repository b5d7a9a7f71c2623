package journey

import (
	"fmt"
	"slices"
	"strconv"
)

// logEncoder walks a log's events in increasing index for the writers:
// values and properties with moving cursors, and every string checked
// once (names by id) with check, the first failure kept in err.
type logEncoder struct {
	l       *Log
	check   func(what, s string) error
	checked [numBy][]bool
	propOK  []bool
	vk, pk  int
	err     error
}

func newLogEncoder(l *Log, check func(what, s string) error) *logEncoder {
	e := &logEncoder{l: l, check: check}
	for by := range e.checked {
		e.checked[by] = make([]bool, len(l.dicts[by].names))
	}
	if l.props != nil {
		e.propOK = make([]bool, len(l.props.names))
	}
	return e
}

// name returns the step, channel or touchpoint of event i.
func (e *logEncoder) name(by By, i int) string {
	id := e.l.syms[by][i]
	s := e.l.dicts[by].names[id]
	if !e.checked[by][id] {
		e.checked[by][id] = true
		if err := e.check(by.String(), s); err != nil && e.err == nil {
			e.err = err
		}
	}
	return s
}

// value returns the value of event i; events must come in increasing order.
func (e *logEncoder) value(i int) float64 {
	l := e.l
	for e.vk < len(l.valIdx) && int(l.valIdx[e.vk]) < i {
		e.vk++
	}
	if e.vk < len(l.valIdx) && int(l.valIdx[e.vk]) == i {
		return l.vals[e.vk]
	}
	return 0
}

// props returns the properties of event i as key id, value id, key id …
// sorted by key; events must come in increasing order. Read the names
// with propName.
func (e *logEncoder) props(i int) []uint32 {
	l := e.l
	for e.pk < len(l.propIdx) && int(l.propIdx[e.pk]) < i {
		e.pk++
	}
	if e.pk >= len(l.propIdx) || int(l.propIdx[e.pk]) != i {
		return nil
	}
	return l.propKV[l.propOff[e.pk]:l.propOff[e.pk+1]]
}

func (e *logEncoder) propName(id uint32, what string) string {
	s := e.l.props.names[id]
	if !e.propOK[id] {
		e.propOK[id] = true
		if err := e.check(what, s); err != nil && e.err == nil {
			e.err = err
		}
	}
	return s
}

// propKeys returns the distinct property keys of the log, sorted.
func (l *Log) propKeys() []string {
	if len(l.propKV) == 0 {
		return []string{}
	}
	seen := make([]bool, len(l.props.names))
	var keys []string
	for j := 0; j < len(l.propKV); j += 2 {
		if id := l.propKV[j]; !seen[id] {
			seen[id] = true
			keys = append(keys, l.props.names[id])
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

// jsonlWriter encodes events as JSON lines.
type jsonlWriter struct {
	wb writeBuf
}

// begin starts a line with the fields every event has.
func (jw *jsonlWriter) begin(customer string, nanos int64, step, channel, touchpoint string, value float64) {
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

// prop adds one property; first says whether it is the first.
func (jw *jsonlWriter) prop(first bool, k, v string) {
	if first {
		jw.wb.b = append(jw.wb.b, `,"props":{`...)
	} else {
		jw.wb.b = append(jw.wb.b, ',')
	}
	jw.wb.b = appendJSONString(jw.wb.b, k)
	jw.wb.b = append(jw.wb.b, ':')
	jw.wb.b = appendJSONString(jw.wb.b, v)
}

// end ends the line; props says whether it had properties.
func (jw *jsonlWriter) end(props bool) {
	if props {
		jw.wb.b = append(jw.wb.b, '}')
	}
	jw.wb.b = append(jw.wb.b, '}', '\n')
	jw.wb.flushIfFull()
}

func jsonlErr(err error) error { return fmt.Errorf("journey: jsonl: %w", err) }
