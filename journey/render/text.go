package render

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Text measurement for the SVG pictures. The pictures name a font stack
// whose first members (Liberation Sans, Arial, Helvetica) share one set of
// metrics and whose fallback is DejaVu Sans; widths.go holds, for each
// character, the wider of the two advances, so a box sized with textWidth
// holds its text in any of them. Kerning only ever brings glyphs closer
// in these fonts' Latin text, so a sum of advances is an upper bound.

// fontStack is the font-family of every SVG picture. It names no web font:
// the pictures stay self-contained.
const fontStack = "'Liberation Sans', Arial, Helvetica, 'DejaVu Sans', sans-serif"

// wideRuneWidth is the advance assumed for East Asian wide characters and
// other symbols of a full em; otherRuneWidth for any other character the
// tables do not hold (other alphabets), in thousandths of an em. Both err
// on the wide side.
const (
	wideRuneWidth  = 1000
	otherRuneWidth = 700
)

// runeWidth returns the advance of r in thousandths of an em.
func runeWidth(r rune, bold bool) int {
	if r >= firstWidthRune && r <= lastWidthRune {
		if bold {
			return int(boldWidths[r-firstWidthRune])
		}
		return int(regularWidths[r-firstWidthRune])
	}
	if w, ok := extraWidths[r]; ok {
		if bold {
			return int(w[1])
		}
		return int(w[0])
	}
	switch {
	case r < firstWidthRune, unicode.Is(unicode.Mn, r), unicode.Is(unicode.Me, r), unicode.Is(unicode.Cf, r):
		return 0 // controls, combining marks, format characters
	case isWide(r):
		return wideRuneWidth
	}
	return otherRuneWidth
}

// isWide reports whether r is drawn a full em wide: CJK ideographs, kana,
// hangul, full-width forms and emoji.
func isWide(r rune) bool {
	return unicode.In(r, unicode.Han, unicode.Hiragana, unicode.Katakana, unicode.Hangul) ||
		(r >= 0x3000 && r <= 0x303f) || // CJK symbols and punctuation
		(r >= 0xff00 && r <= 0xff60) || (r >= 0xffe0 && r <= 0xffe6) || // full-width forms
		(r >= 0x1f000 && r <= 0x1faff) || // emoji and pictographs
		(r >= 0x2600 && r <= 0x27bf) // miscellaneous symbols, dingbats
}

// textWidth returns the width of s in pixels at font size size.
func textWidth(s string, size float64, bold bool) float64 {
	total := 0
	for _, r := range s {
		total += runeWidth(r, bold)
	}
	return float64(total) * size / 1000
}

// cleanText makes s fit for a one-line label: invalid UTF-8 becomes U+FFFD,
// every run of white space and control characters becomes one space, and
// the ends are trimmed.
func cleanText(s string) string {
	var b strings.Builder
	space := false
	for len(s) > 0 {
		r, n := utf8.DecodeRuneInString(s)
		s = s[n:]
		if unicode.IsSpace(r) || unicode.IsControl(r) {
			space = b.Len() > 0
			continue
		}
		if space {
			b.WriteByte(' ')
			space = false
		}
		b.WriteRune(r) // RuneError for invalid UTF-8
	}
	return b.String()
}

// wrap breaks s into lines no wider than width pixels at font size size.
// Lines break at spaces; a word wider than the line is cut between
// characters. It returns no line for empty text. Every line it returns
// measures at most width, unless a single character is wider than width.
func wrap(s string, width, size float64, bold bool) []string {
	var lines []string
	line := ""
	for _, word := range strings.Fields(cleanText(s)) {
		if line != "" {
			if textWidth(line+" "+word, size, bold) <= width {
				line += " " + word
				continue
			}
			lines = append(lines, line)
			line = ""
		}
		for textWidth(word, size, bold) > width {
			head, tail := cutToWidth(word, width, size, bold)
			lines = append(lines, head)
			word = tail
		}
		line = word
	}
	if line != "" {
		lines = append(lines, line)
	}
	return lines
}

// cutToWidth splits word into the longest head that fits width (at least
// one character) and the rest.
func cutToWidth(word string, width, size float64, bold bool) (head, tail string) {
	w := 0.0
	for i, r := range word {
		rw := float64(runeWidth(r, bold)) * size / 1000
		if w+rw > width && i > 0 {
			return word[:i], word[i:]
		}
		w += rw
	}
	return word, ""
}
