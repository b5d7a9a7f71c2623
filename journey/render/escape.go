package render

import (
	"strconv"
	"strings"
	"unicode/utf8"
)

// Escaping for each output language. Every function here takes arbitrary
// text (any bytes, any characters) and returns text that the language reads
// back as the same characters, or, where the language cannot say a
// character at all, the documented closest it can.

// Mermaid turns "#name;" and "#123;" in a diagram's text into placeholders
// before any diagram's parser runs, and back into the HTML entities &name;
// and &#123; in the SVG it draws. That is its documented way to write a
// character that its grammars reserve, and it is how mermaidEntity escapes.
func mermaidEntity(b *strings.Builder, r rune) {
	b.WriteByte('#')
	b.WriteString(strconv.Itoa(int(r)))
	b.WriteByte(';')
}

// The characters of Mermaid's placeholders: text holding them would be
// decoded as if Mermaid had made them, so they are escaped too.
const (
	mermaidPlaceholder1 = 'ﬂ' // U+FB02, opens a placeholder
	mermaidPlaceholder2 = '¶' // U+00B6, closes one (with ß)
)

// journeyKeywords start a statement in Mermaid's journey grammar, whose
// lexer is case-insensitive and tries them before a task name: a task or
// section named "Journey home" or "Title deed" would be read as a keyword.
var journeyKeywords = []string{"journey", "title", "section", "acctitle", "accdescr"}

// journeyText escapes s for a title, section, task name or actor of a
// Mermaid journey diagram. The grammar ends a name at '#' (a comment), ':'
// (the score follows), ';' and a newline (the statement ends); an actor
// also ends at ','; "%%" opens a comment and "%%{" a directive; "<br>"
// breaks a task's line when drawn. Those characters are written as entity
// codes (a '%' only when another follows), white space is collapsed, and
// a name that starts like a keyword has its first letter written as an
// entity code. actor says whether s is an actor's name.
func journeyText(s string, actor bool) string {
	s = cleanText(s)
	var b strings.Builder
	lower := strings.ToLower(s)
	for i, r := range s {
		escape := false
		switch r {
		case '#', ':', ';', '<', '>', mermaidPlaceholder1, mermaidPlaceholder2:
			escape = true
		case '%':
			escape = strings.HasPrefix(s[i+1:], "%")
		case ',':
			escape = actor
		}
		if i == 0 {
			for _, k := range journeyKeywords {
				if strings.HasPrefix(lower, k) {
					escape = true
				}
			}
		}
		if escape {
			mermaidEntity(&b, r)
		} else {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// flowText escapes s for a double-quoted node, subgraph or edge label of a
// Mermaid flowchart. A quote would end the string, '#' could start an
// entity code, "%%" a comment or directive, a backquote makes a Markdown
// string, and labels are drawn as HTML, so '<', '>' and '&' are escaped
// too; each becomes an entity code (a '%' only when another follows), and
// white space is collapsed. Mermaid's placeholder characters are kept
// apart by a zero-width space.
func flowText(s string) string {
	s = cleanText(s)
	var b strings.Builder
	for i, r := range s {
		switch r {
		case '"':
			b.WriteString("#quot;")
		case '<':
			b.WriteString("#lt;")
		case '>':
			b.WriteString("#gt;")
		case '&':
			b.WriteString("#amp;")
		case '#', '`':
			mermaidEntity(&b, r)
		case mermaidPlaceholder1, mermaidPlaceholder2:
			// Flowcharts decode the placeholders twice, so an entity code
			// would come back as the characters and be decoded again: a
			// zero-width space keeps them apart instead.
			b.WriteRune(r)
			if next, _ := utf8.DecodeRuneInString(s[i+len(string(r)):]); next == '°' && r == mermaidPlaceholder1 || next == 'ß' && r == mermaidPlaceholder2 {
				b.WriteRune('\u200b')
			}
		case '%':
			if strings.HasPrefix(s[i+1:], "%") {
				mermaidEntity(&b, r)
			} else {
				b.WriteRune(r)
			}
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// sankeyText returns s as a field of a Mermaid sankey diagram, which is CSV
// as RFC 4180 defines it. A field holding a comma or a double quote is
// quoted, with its quotes doubled; so is one that starts with '%', which
// could otherwise open a comment line.
//
// The grammar accepts printable ASCII only, and entity codes do not help
// there (their placeholders are not ASCII), so sankeyText writes other
// characters the closest it can: Latin letters without their accents (é
// is e, œ is oe, ß is ss), typographic quotes and dashes as ASCII ones,
// anything else as '?'. It also keeps Mermaid from reading "%%" as a
// comment (it writes "% %") and "#word;" as an entity code (it writes
// "#word ;"). White space is collapsed.
func sankeyText(s string) string {
	s = cleanText(s)
	var b strings.Builder
	for _, r := range s {
		switch {
		case r >= 0x20 && r < 0x7f:
			b.WriteRune(r)
		default:
			b.WriteString(asciiFor(r))
		}
	}
	s = b.String()
	for strings.Contains(s, "%%") {
		s = strings.ReplaceAll(s, "%%", "% %")
	}
	s = breakEntityCodes(s)
	if strings.ContainsAny(s, `,"`) || strings.HasPrefix(s, "%") {
		s = `"` + strings.ReplaceAll(s, `"`, `""`) + `"`
	}
	return s
}

// breakEntityCodes writes a space before the ';' of every "#word;" in s,
// where word is made of letters, digits and '_', as Mermaid matches them.
func breakEntityCodes(s string) string {
	var b strings.Builder
	for {
		i := strings.IndexByte(s, '#')
		if i < 0 {
			b.WriteString(s)
			return b.String()
		}
		j := i + 1
		for j < len(s) && isWordByte(s[j]) {
			j++
		}
		b.WriteString(s[:j])
		if j > i+1 && j < len(s) && s[j] == ';' {
			b.WriteByte(' ')
		}
		s = s[j:]
	}
}

func isWordByte(c byte) bool {
	return c == '_' || c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
}

// latinASCII spells the characters U+00A0 … U+017F in ASCII, one entry
// each, separated by spaces; "_" stands for a space and "" (written "∅")
// for nothing.
var latinASCII = strings.Fields(
	// U+00A0 … U+00BF: symbols of Latin-1.
	"_ ! c GBP ? JPY | S \" (c) a << - ∅ (R) - deg +/- 2 3 ' u P . , 1 o >> 1/4 1/2 3/4 ? " +
		// U+00C0 … U+00FF: the letters of Latin-1.
		"A A A A A A AE C E E E E I I I I D N O O O O O x O U U U U Y Th ss " +
		"a a a a a a ae c e e e e i i i i d n o o o o o / o u u u u y th y " +
		// U+0100 … U+017F: Latin Extended-A.
		"A a A a A a C c C c C c C c D d D d E e E e E e E e E e G g G g G g G g H h H h " +
		"I i I i I i I i I i IJ ij J j K k k L l L l L l L l L l N n N n N n n N n " +
		"O o O o O o OE oe R r R r R r S s S s S s S s T t T t T t U u U u U u U u U u U u " +
		"W w Y y Y Z z Z z Z z s")

// asciiFor returns the ASCII text closest to r.
func asciiFor(r rune) string {
	if r >= 0xa0 && r <= 0x17f {
		switch s := latinASCII[r-0xa0]; s {
		case "_":
			return " "
		case "∅":
			return ""
		default:
			return s
		}
	}
	switch r {
	case '‘', '’', '′':
		return "'"
	case '“', '”', '″':
		return `"`
	case '–', '—', '−':
		return "-"
	case '…':
		return "..."
	case '€':
		return "EUR"
	case '•':
		return "*"
	case '→':
		return "->"
	case '←':
		return "<-"
	case '≤':
		return "<="
	case '≥':
		return ">="
	}
	return "?"
}

// dotString returns lines as one double-quoted Graphviz string, joined by
// \n: backslashes and quotes are escaped (a backslash would otherwise start
// an escape such as \N or \l), and so is '&' (as &amp;), since Graphviz
// reads HTML entities such as &amp; in every label.
func dotString(lines ...string) string {
	var b strings.Builder
	b.WriteByte('"')
	for i, l := range lines {
		if i > 0 {
			b.WriteString(`\n`)
		}
		for _, r := range cleanText(l) {
			switch r {
			case '\\', '"':
				b.WriteByte('\\')
			case '&':
				b.WriteString("&amp;")
				continue
			}
			b.WriteRune(r)
		}
	}
	b.WriteByte('"')
	return b.String()
}

// escapeXML returns s escaped for XML character data and attribute values
// (which the HTML report shares): &, <, >, " and ' become references, and
// characters XML does not allow (controls other than tab, newline and
// carriage return, U+FFFE, U+FFFF, invalid UTF-8) become U+FFFD.
func escapeXML(s string) string {
	var b strings.Builder
	for len(s) > 0 {
		r, n := utf8.DecodeRuneInString(s)
		s = s[n:]
		switch {
		case r == '&':
			b.WriteString("&amp;")
		case r == '<':
			b.WriteString("&lt;")
		case r == '>':
			b.WriteString("&gt;")
		case r == '"':
			b.WriteString("&quot;")
		case r == '\'':
			b.WriteString("&#39;")
		case !xmlChar(r):
			b.WriteRune(utf8.RuneError)
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// xmlChar reports whether r may appear in an XML document (the Char
// production of XML 1.0).
func xmlChar(r rune) bool {
	switch {
	case r == '\t' || r == '\n' || r == '\r':
		return true
	case r < 0x20:
		return false
	case r >= 0xd800 && r <= 0xdfff, r == 0xfffe, r == 0xffff:
		return false
	case r == utf8.RuneError:
		return true // invalid UTF-8 is decoded as RuneError, which XML allows
	}
	return r <= 0x10ffff
}
