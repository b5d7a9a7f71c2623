package eventfmt

import (
	"bytes"
	"fmt"
	"io"
	"slices"
	"unicode/utf16"
	"unicode/utf8"
)

// ReadJSONL reads JSON Lines into sink and returns what sink.Build
// returns.
func ReadJSONL(r io.Reader, opt ReadOptions, sink Sink) (any, error) {
	rd, err := newReader("jsonl", r, opt, sink)
	if err != nil {
		return nil, err
	}
	return rd.run(func() error {
		lr := newLineReader(rd.cr, rd.max)
		if rd.p != nil {
			return rd.inChunks(lr, false, func(rd *reader, lr *lineReader, _ bool) error {
				return rd.jsonLines(lr)
			})
		}
		return rd.jsonLines(lr)
	})
}

// jsonLines reads the lines of lr to its end.
func (rd *reader) jsonLines(lr *lineReader) error {
	p := &jsonLine{rd: rd}
	for {
		if rd.resume(lr) {
			return errResume
		}
		line, err := lr.next()
		rd.offset = lr.at
		if err == io.EOF {
			return nil
		}
		if err == errLineTooLong {
			if err := rd.rowError(lr.line, 0, "", nil, fmt.Errorf("%w: more than %d bytes", ErrRowTooLong, rd.max)); err != nil {
				return err
			}
			continue
		}
		if err != nil {
			return fmt.Errorf("%s: jsonl: line %d: %w", rd.prefix, lr.line+1, err)
		}
		body := trimEOL(line)
		if isBlank(body) {
			continue
		}
		if je := p.parse(body); je != nil {
			if err := rd.rowError(lr.line, je.col, je.field, je.value, je.err); err != nil {
				return err
			}
			continue
		}
		if err := rd.add(lr.line); err != nil {
			return err
		}
	}
}

// maxDepth bounds the nesting of JSON values, as encoding/json does.
const maxDepth = 10000

// jsonLine parses one line into the reader's rawRow.
type jsonLine struct {
	rd    *reader
	b     []byte
	i     int
	arena []byte // decoded strings and compacted values of the line
	stack []byte
	have  [numFields]bool
	col   [numFields]int
	text  [numFields][]byte
	pairs [][2][]byte // scratch for sortPairs
}

// sortPairs sorts key, value, key, value … by key, stably: by insertion
// when there are few pairs, else through scratch, so that a line with
// many keys costs O(k log k).
func sortPairs(kv [][]byte, scratch *[][2][]byte) [][]byte {
	if len(kv) <= 32 {
		for i := 2; i < len(kv); i += 2 {
			for j := i; j > 0 && string(kv[j]) < string(kv[j-2]); j -= 2 {
				kv[j], kv[j+1], kv[j-2], kv[j-1] = kv[j-2], kv[j-1], kv[j], kv[j+1]
			}
		}
		return kv
	}
	pairs := (*scratch)[:0]
	for i := 0; i+1 < len(kv); i += 2 {
		pairs = append(pairs, [2][]byte{kv[i], kv[i+1]})
	}
	slices.SortStableFunc(pairs, func(a, b [2][]byte) int { return bytes.Compare(a[0], b[0]) })
	kv = kv[:0]
	for _, pr := range pairs {
		kv = append(kv, pr[0], pr[1])
	}
	*scratch = pairs
	return kv
}

// jsonError is a problem at a byte of the line.
type jsonError struct {
	col   int
	field string
	err   error
	value []byte
}

func (p *jsonLine) fail(field []byte, format string, args ...any) *jsonError {
	return &jsonError{col: p.i + 1, field: string(field), err: fmt.Errorf("%w: "+format, append([]any{ErrMalformed}, args...)...)}
}

func (p *jsonLine) ws() {
	for p.i < len(p.b) {
		switch p.b[p.i] {
		case ' ', '\t', '\r', '\n':
			p.i++
		default:
			return
		}
	}
}

func (p *jsonLine) peek() byte {
	if p.i < len(p.b) {
		return p.b[p.i]
	}
	return 0
}

// parse parses line b into p.rd.row.
func (p *jsonLine) parse(b []byte) *jsonError {
	if !utf8.Valid(b) {
		i := 0
		for i < len(b) {
			r, n := utf8.DecodeRune(b[i:])
			if r == utf8.RuneError && n == 1 {
				break
			}
			i += n
		}
		return &jsonError{col: i + 1, err: fmt.Errorf("%w at byte %d", ErrInvalidUTF8, i+1)}
	}
	p.b, p.i = b, 0
	p.arena = slices.Grow(p.arena[:0], len(b))
	p.have = [numFields]bool{}
	row := &p.rd.row
	row.Props = row.Props[:0]
	names := &p.rd.names
	p.ws()
	if p.peek() != '{' {
		return p.fail(nil, "want a JSON object")
	}
	p.i++
	p.ws()
	if p.peek() == '}' {
		p.i++
	} else {
		for {
			p.ws()
			if p.peek() != '"' {
				return p.fail(nil, "want a key")
			}
			keyCol := p.i + 1
			key, je := p.str(nil)
			if je != nil {
				return je
			}
			p.ws()
			if p.peek() != ':' {
				return p.fail(key, "want ':' after a key")
			}
			p.i++
			p.ws()
			field := -1
			for f := range names {
				if string(key) == names[f] {
					field = f
					break
				}
			}
			switch {
			case field >= 0:
				if p.have[field] {
					return &jsonError{keyCol, string(key), fmt.Errorf("%w: key %q repeats", ErrMalformed, key), nil}
				}
				if je := p.field(field, key); je != nil {
					return je
				}
			case p.rd.extra == ExtraError:
				return &jsonError{keyCol, string(key), fmt.Errorf("%w %q (the event keys are %s, and props)", ErrUnknownKey, key, fieldList(names)), nil}
			case p.rd.extra == ExtraIgnore:
				if _, _, je := p.scalarOrNested(key); je != nil {
					return je
				}
			default:
				v, ok, je := p.scalarOrNested(key)
				if je != nil {
					return je
				}
				if ok {
					row.Props = append(row.Props, key, v)
				}
			}
			p.ws()
			if c := p.peek(); c == ',' {
				p.i++
				continue
			} else if c == '}' {
				p.i++
				break
			}
			return p.fail(nil, "want ',' or '}' after a value")
		}
	}
	p.ws()
	if p.i < len(p.b) {
		return p.fail(nil, "data after the object")
	}
	return p.event()
}

func fieldList(names *[numFields]string) string {
	s := ""
	for _, n := range names[:fProps] {
		if s != "" {
			s += ", "
		}
		s += n
	}
	return s
}

// field parses the value of an event field.
func (p *jsonLine) field(f int, key []byte) *jsonError {
	p.have[f] = true
	p.col[f] = p.i + 1
	if f == fProps {
		return p.props(key)
	}
	switch c := p.peek(); {
	case c == '"':
		s, je := p.str(key)
		if je != nil {
			return je
		}
		p.text[f] = s
	case c == '-' || '0' <= c && c <= '9':
		n, je := p.number(key)
		if je != nil {
			return je
		}
		p.text[f] = n
	case c == 'n':
		if je := p.literal("null", key); je != nil {
			return je
		}
		p.have[f] = false
	default:
		if f == fValue {
			return p.fail(key, "want a number")
		}
		return p.fail(key, "want a string")
	}
	return nil
}

// props parses the object of properties.
func (p *jsonLine) props(key []byte) *jsonError {
	row := &p.rd.row
	switch p.peek() {
	case 'n':
		return p.literal("null", key)
	case '{':
	default:
		return p.fail(key, "want an object")
	}
	p.i++
	p.ws()
	if p.peek() == '}' {
		p.i++
		return nil
	}
	for {
		p.ws()
		if p.peek() != '"' {
			return p.fail(key, "want a key")
		}
		k, je := p.str(key)
		if je != nil {
			return je
		}
		p.ws()
		if p.peek() != ':' {
			return p.fail(key, "want ':' after a key")
		}
		p.i++
		p.ws()
		v, ok, je := p.scalarOrNested(key)
		if je != nil {
			return je
		}
		if ok {
			row.Props = append(row.Props, k, v)
		}
		p.ws()
		switch p.peek() {
		case ',':
			p.i++
			continue
		case '}':
			p.i++
			return nil
		}
		return p.fail(key, "want ',' or '}' after a value")
	}
}

// scalarOrNested parses a property value: a string, the text of a number,
// true or false, or an object or array as compact JSON; ok is false for
// null.
func (p *jsonLine) scalarOrNested(key []byte) (v []byte, ok bool, je *jsonError) {
	switch c := p.peek(); {
	case c == '"':
		v, je = p.str(key)
	case c == '-' || '0' <= c && c <= '9':
		v, je = p.number(key)
	case c == 't':
		v, je = p.b[p.i:p.i+min(4, len(p.b)-p.i)], p.literal("true", key)
	case c == 'f':
		v, je = p.b[p.i:p.i+min(5, len(p.b)-p.i)], p.literal("false", key)
	case c == 'n':
		return nil, false, p.literal("null", key)
	case c == '{' || c == '[':
		v, je = p.nested(key)
	default:
		return nil, false, p.fail(key, "want a value")
	}
	return v, je == nil, je
}

func (p *jsonLine) literal(lit string, key []byte) *jsonError {
	if len(p.b)-p.i < len(lit) || string(p.b[p.i:p.i+len(lit)]) != lit {
		return p.fail(key, "want a value")
	}
	p.i += len(lit)
	return nil
}

// number scans a JSON number and returns its text.
func (p *jsonLine) number(key []byte) ([]byte, *jsonError) {
	start := p.i
	b := p.b
	i := p.i
	if i < len(b) && b[i] == '-' {
		i++
	}
	switch {
	case i < len(b) && b[i] == '0':
		i++
	case i < len(b) && '1' <= b[i] && b[i] <= '9':
		for i < len(b) && '0' <= b[i] && b[i] <= '9' {
			i++
		}
	default:
		p.i = i
		return nil, p.fail(key, "bad number")
	}
	if i < len(b) && b[i] == '.' {
		i++
		d := i
		for i < len(b) && '0' <= b[i] && b[i] <= '9' {
			i++
		}
		if i == d {
			p.i = i
			return nil, p.fail(key, "bad number")
		}
	}
	if i < len(b) && (b[i] == 'e' || b[i] == 'E') {
		i++
		if i < len(b) && (b[i] == '+' || b[i] == '-') {
			i++
		}
		d := i
		for i < len(b) && '0' <= b[i] && b[i] <= '9' {
			i++
		}
		if i == d {
			p.i = i
			return nil, p.fail(key, "bad number")
		}
	}
	p.i = i
	return b[start:i], nil
}

// str parses a JSON string and returns its decoded bytes: a part of the
// line when it has no escapes, else in the arena.
func (p *jsonLine) str(key []byte) ([]byte, *jsonError) {
	b := p.b
	start := p.i + 1
	i := start
	for i < len(b) && !strSpecial[b[i]] {
		i++
	}
	switch {
	case i == len(b):
		p.i = i
		return nil, p.fail(key, "string not closed")
	case b[i] == '"':
		p.i = i + 1
		return b[start:i], nil
	case b[i] == '\\':
		return p.strEscaped(key, start, i)
	}
	p.i = i
	return nil, p.fail(key, "control character in a string")
}

// strSpecial marks the bytes that end the plain run of a JSON string.
var strSpecial = func() (t [256]bool) {
	for c := range 0x20 {
		t[c] = true
	}
	t['"'], t['\\'] = true, true
	return t
}()

func (p *jsonLine) strEscaped(key []byte, start, i int) ([]byte, *jsonError) {
	b := p.b
	a0 := len(p.arena)
	p.arena = append(p.arena, b[start:i]...)
	for i < len(b) {
		c := b[i]
		switch {
		case c == '"':
			p.i = i + 1
			return p.arena[a0:], nil
		case c < 0x20:
			p.i = i
			return nil, p.fail(key, "control character in a string")
		case c != '\\':
			p.arena = append(p.arena, c)
			i++
			continue
		}
		if i+1 >= len(b) {
			break
		}
		switch e := b[i+1]; e {
		case '"', '\\', '/':
			p.arena = append(p.arena, e)
		case 'b':
			p.arena = append(p.arena, '\b')
		case 'f':
			p.arena = append(p.arena, '\f')
		case 'n':
			p.arena = append(p.arena, '\n')
		case 'r':
			p.arena = append(p.arena, '\r')
		case 't':
			p.arena = append(p.arena, '\t')
		case 'u':
			r, ok := hex4(b[i+2:])
			if !ok {
				p.i = i
				return nil, p.fail(key, "bad \\u escape")
			}
			i += 6
			if utf16.IsSurrogate(r) {
				r2, ok := rune(0), false
				if i+1 < len(b) && b[i] == '\\' && b[i+1] == 'u' {
					r2, ok = hex4(b[i+2:])
				}
				if d := utf16.DecodeRune(r, r2); ok && d != utf8.RuneError {
					r = d
					i += 6
				} else {
					r = utf8.RuneError
				}
			}
			p.arena = utf8.AppendRune(p.arena, r)
			continue
		default:
			p.i = i
			return nil, p.fail(key, "bad escape \\%c", e)
		}
		i += 2
	}
	p.i = len(b)
	return nil, p.fail(key, "string not closed")
}

func hex4(b []byte) (rune, bool) {
	if len(b) < 4 {
		return 0, false
	}
	var r rune
	for _, c := range b[:4] {
		switch {
		case '0' <= c && c <= '9':
			c -= '0'
		case 'a' <= c && c <= 'f':
			c -= 'a' - 10
		case 'A' <= c && c <= 'F':
			c -= 'A' - 10
		default:
			return 0, false
		}
		r = r<<4 | rune(c)
	}
	return r, true
}

// rawStr checks the string at p.i and appends it to the arena as written.
func (p *jsonLine) rawStr(key []byte) *jsonError {
	s, n := p.i, len(p.arena)
	if _, je := p.str(key); je != nil {
		return je
	}
	p.arena = append(p.arena[:n], p.b[s:p.i]...)
	return nil
}

// nested checks the object or array at p.i and returns it as compact JSON
// (insignificant spaces removed, strings as written).
func (p *jsonLine) nested(key []byte) ([]byte, *jsonError) {
	const (
		value = iota
		valueOrEnd
		keyOrEnd
		keyState
		after
	)
	a0 := len(p.arena)
	p.stack = p.stack[:0]
	state := value
	for {
		p.ws()
		c := p.peek()
		switch state {
		case valueOrEnd, keyOrEnd:
			if c == p.stack[len(p.stack)-1] {
				p.arena = append(p.arena, c)
				p.stack = p.stack[:len(p.stack)-1]
				p.i++
				state = after
				break
			}
			if state == valueOrEnd {
				state = value
			} else {
				state = keyState
			}
			continue
		case keyState:
			if c != '"' {
				return nil, p.fail(key, "want a key")
			}
			if je := p.rawStr(key); je != nil {
				return nil, je
			}
			p.ws()
			if p.peek() != ':' {
				return nil, p.fail(key, "want ':' after a key")
			}
			p.arena = append(p.arena, ':')
			p.i++
			state = value
		case value:
			switch {
			case c == '{' || c == '[':
				if len(p.stack) >= maxDepth {
					return nil, p.fail(key, "nested too deeply")
				}
				p.arena = append(p.arena, c)
				p.i++
				if c == '{' {
					p.stack = append(p.stack, '}')
					state = keyOrEnd
				} else {
					p.stack = append(p.stack, ']')
					state = valueOrEnd
				}
				continue
			case c == '"':
				if je := p.rawStr(key); je != nil {
					return nil, je
				}
			case c == '-' || '0' <= c && c <= '9':
				n, je := p.number(key)
				if je != nil {
					return nil, je
				}
				p.arena = append(p.arena, n...)
			case c == 't' || c == 'f' || c == 'n':
				lit := "null"
				if c == 't' {
					lit = "true"
				} else if c == 'f' {
					lit = "false"
				}
				if je := p.literal(lit, key); je != nil {
					return nil, je
				}
				p.arena = append(p.arena, lit...)
			default:
				return nil, p.fail(key, "want a value")
			}
			state = after
		case after:
			if len(p.stack) == 0 {
				return p.arena[a0:], nil
			}
			top := p.stack[len(p.stack)-1]
			switch {
			case c == ',':
				p.arena = append(p.arena, c)
				p.i++
				if top == '}' {
					state = keyState
				} else {
					state = value
				}
			case c == top:
				p.arena = append(p.arena, c)
				p.stack = p.stack[:len(p.stack)-1]
				p.i++
			default:
				return nil, p.fail(key, "want ',' or %q", rune(top))
			}
		}
	}
}

// event checks the fields parsed and fills the row.
func (p *jsonLine) event() *jsonError {
	rd := p.rd
	row := &rd.row
	names := &rd.names
	missing := func(f int, err error) *jsonError { return &jsonError{0, names[f], err, nil} }
	bad := func(f int, err error) *jsonError { return &jsonError{p.col[f], names[f], err, p.text[f]} }
	get := func(f int) []byte {
		if p.have[f] {
			return p.text[f]
		}
		return nil
	}
	if row.Customer = get(fCustomer); len(row.Customer) == 0 {
		return missing(fCustomer, ErrMissingCustomer)
	}
	tc := get(fTime)
	if len(tc) == 0 {
		return missing(fTime, ErrMissingTime)
	}
	ns, err := rd.times.parse(tc)
	if err != nil {
		return bad(fTime, err)
	}
	row.Nanos = ns
	if row.Step = get(fStep); len(row.Step) == 0 {
		return missing(fStep, ErrMissingStep)
	}
	if row.Channel, err = rd.channel(get(fChannel)); err != nil {
		return bad(fChannel, err)
	}
	row.Touchpoint = get(fTouchpoint)
	if row.Value, err = parseValue(get(fValue)); err != nil {
		return bad(fValue, err)
	}
	// Sort the properties by key and reject a key given twice.
	kv := sortPairs(row.Props, &p.pairs)
	row.Props = kv
	for i := 2; i < len(kv); i += 2 {
		if string(kv[i]) == string(kv[i-2]) {
			return &jsonError{0, string(kv[i]), fmt.Errorf("%w: property %q given twice", ErrMalformed, kv[i]), nil}
		}
	}
	return nil
}
