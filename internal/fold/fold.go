// Package fold turns names into comparison keys that ignore case, accents,
// spaces and punctuation, so "Considération", "consideration" and
// "CONSIDERATION" all parse as one enum value, and "e-mail" matches "email".
package fold

import (
	"strings"
	"unicode"
)

// Key returns the folded form of s: lower case, accents removed from Latin
// letters, ligatures expanded (œ → oe, æ → ae, ß → ss), and every rune that
// is neither a letter nor a digit dropped.
func Key(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		r = unicode.ToLower(r)
		if exp, ok := expand[r]; ok {
			b.WriteString(exp)
			continue
		}
		if base, ok := bases[r]; ok {
			r = base
		}
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			b.WriteRune(r)
		}
	}
	return b.String()
}

var expand = map[rune]string{'œ': "oe", 'æ': "ae", 'ß': "ss"}

// bases maps lower-case accented Latin letters to their base letter.
var bases = func() map[rune]rune {
	m := make(map[rune]rune)
	for base, accented := range map[rune]string{
		'a': "àáâãäåāăą",
		'c': "çćĉċč",
		'd': "ďđ",
		'e': "èéêëēĕėęě",
		'g': "ĝğġģ",
		'h': "ĥħ",
		'i': "ìíîïĩīĭįı",
		'j': "ĵ",
		'k': "ķ",
		'l': "ĺļľŀł",
		'n': "ñńņňŉ",
		'o': "òóôõöøōŏő",
		'r': "ŕŗř",
		's': "śŝşš",
		't': "ţťŧ",
		'u': "ùúûüũūŭůűų",
		'w': "ŵ",
		'y': "ýÿŷ",
		'z': "źżž",
	} {
		for _, r := range accented {
			m[r] = base
		}
	}
	return m
}()
