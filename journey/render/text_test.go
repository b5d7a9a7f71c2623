package render

import (
	"math"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"
)

func TestTextWidth(t *testing.T) {
	tests := []struct {
		name, reason string
		text         string
		bold         bool
		want         float64 // at 10 px
	}{
		{"empty", "nothing takes no room", "", false, 0},
		{"digits", "digits share one advance (DejaVu's 0.637 em beats Liberation's 0.556)", "0123456789", false, 63.7},
		{"narrow and wide", "'i' is narrow, 'W' wide: a table, not a constant", "iW", false, 2.78 + 9.89},
		{"bold", "bold is wider", "m", true, 10.42},
		{"accented", "Latin-1 letters are measured", "é", false, 6.16},
		{"CJK", "wide characters take a full em", "日本", false, 20},
		{"combining", "a combining accent takes no room", "e\u0301", false, 6.16},
	}
	for _, tt := range tests {
		got := textWidth(tt.text, 10, tt.bold)
		if math.Abs(got-tt.want) > 0.011 {
			t.Errorf("%s: %s: textWidth(%q) = %v, want %v", tt.name, tt.reason, tt.text, got, tt.want)
		}
	}
}

func TestWrap(t *testing.T) {
	tests := []struct {
		name, reason string
		text         string
		width        float64
		want         []string
	}{
		{"fits", "a short text stays on one line", "Adds to cart", 200, []string{"Adds to cart"}},
		{"breaks at spaces", "words move to the next line whole", "Wants to return them procedure unclear", 100,
			[]string{"Wants to return", "them procedure", "unclear"}},
		{"long word", "a word wider than the line is cut", "Kundenzufriedenheitsbefragung", 60,
			[]string{"Kundenzu", "friedenhe", "itsbefrag", "ung"}},
		{"white space", "runs of white space collapse", " a \n\t b ", 200, []string{"a b"}},
		{"empty", "no text, no line", "  ", 200, nil},
		{"narrower than a letter", "a line holds at least one character", "WW", 1, []string{"W", "W"}},
	}
	for _, tt := range tests {
		got := wrap(tt.text, tt.width, 12, false)
		if diff := cmp.Diff(tt.want, got); diff != "" {
			t.Errorf("%s: %s (-want +got):\n%s", tt.name, tt.reason, diff)
		}
	}
}

// TestWrapProperties checks, over many texts and widths, that no line is
// wider than the box (but for a single character wider than the box) and
// that no text is lost.
func TestWrapProperties(t *testing.T) {
	texts := []string{
		"Receives the review campaign newsletter",
		"Kundenzufriedenheitsbefragungsergebnisauswertungsbericht and more",
		"Été à l'école — 日本語のテキスト ☕ emoji 💬 mixed",
		"a b c d e f g h i j k l m n o p",
		strings.Repeat("W", 40),
	}
	for _, text := range texts {
		for width := 5.0; width <= 300; width += 7 {
			for _, bold := range []bool{false, true} {
				lines := wrap(text, width, 12, bold)
				for _, l := range lines {
					if w := textWidth(l, 12, bold); w > width && utf8.RuneCountInString(l) > 1 {
						t.Errorf("wrap(%q, %v): line %q is %v wide", text, width, l, w)
					}
				}
				if got, want := strings.ReplaceAll(strings.Join(lines, ""), " ", ""), strings.ReplaceAll(text, " ", ""); got != want {
					t.Errorf("wrap(%q, %v) lost text: %q", text, width, got)
				}
			}
		}
	}
}

func FuzzWrap(f *testing.F) {
	f.Add("Wants to return them: procedure unclear", 100.0)
	f.Add("日本語 ☕ Kundenzufriedenheitsbefragung", 30.0)
	f.Fuzz(func(t *testing.T, text string, width float64) {
		if !(width > 0 && width < 1e6) {
			return
		}
		for _, l := range wrap(text, width, 12, false) {
			if l == "" {
				t.Errorf("wrap(%q, %v) gave an empty line", text, width)
			}
			if w := textWidth(l, 12, false); w > width && utf8.RuneCountInString(l) > 1 {
				t.Errorf("wrap(%q, %v): line %q is %v wide", text, width, l, w)
			}
		}
	})
}

// lightness returns the CIE L* of an sRGB colour "#rrggbb".
func lightness(t *testing.T, hex string) float64 {
	t.Helper()
	return 116*math.Cbrt(luminance(t, hex)) - 16
}

// luminance returns the relative luminance of "#rrggbb" (WCAG 2).
func luminance(t *testing.T, hex string) float64 {
	t.Helper()
	if len(hex) != 7 || hex[0] != '#' {
		t.Fatalf("bad colour %q", hex)
	}
	var y float64
	for i, k := range []float64{0.2126, 0.7152, 0.0722} {
		v, err := strconv.ParseUint(hex[1+2*i:3+2*i], 16, 8)
		if err != nil {
			t.Fatal(err)
		}
		c := float64(v) / 255
		if c <= 0.04045 {
			c /= 12.92
		} else {
			c = math.Pow((c+0.055)/1.055, 2.4)
		}
		y += k * c
	}
	return y
}

func contrast(t *testing.T, a, b string) float64 {
	la, lb := luminance(t, a), luminance(t, b)
	return (max(la, lb) + 0.05) / (min(la, lb) + 0.05)
}

// TestPaletteSurvivesGreyscale checks that the default rows of the map are
// told apart by lightness alone, and that text is legible on every fill.
func TestPaletteSurvivesGreyscale(t *testing.T) {
	for i, a := range DefaultRows {
		for _, b := range DefaultRows[i+1:] {
			d := math.Abs(lightness(t, rowStyles[a].fill) - lightness(t, rowStyles[b].fill))
			if d < 3 {
				t.Errorf("rows %s and %s differ by %.1f in L*, want at least 3", a, b, d)
			}
		}
		if i > 0 {
			prev := DefaultRows[i-1]
			if d := math.Abs(lightness(t, rowStyles[a].fill) - lightness(t, rowStyles[prev].fill)); d < 5 {
				t.Errorf("adjacent rows %s and %s differ by %.1f in L*, want at least 5", prev, a, d)
			}
		}
	}
	for r, st := range rowStyles {
		if c := contrast(t, textColor, st.fill); c < 7 {
			t.Errorf("row %s: text contrast %.1f:1, want at least 7:1", r, c)
		}
	}
	if c := contrast(t, headerText, headerFill); c < 7 {
		t.Errorf("stage headers: text contrast %.1f:1, want at least 7:1", c)
	}
	if d := lightness(t, rowStyles[RowSteps].fill) - lightness(t, headerFill); d < 30 {
		t.Errorf("stage headers and steps differ by %.1f in L*", d)
	}
}
