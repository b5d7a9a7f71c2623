package render

import (
	"math"
	"testing"
	"time"
)

func TestNumbers(t *testing.T) {
	tests := []struct {
		name, reason string
		got, want    string
	}{
		{"thousands", "groups of three digits", thousands(1234567), "1,234,567"},
		{"thousands small", "no separator under 1,000", thousands(999), "999"},
		{"thousands negative", "the sign stays in front", thousands(-1204), "-1,204"},
		{"percent", "one decimal, none when round", percent(0.45), "45%"},
		{"percent third", "one decimal", percent(1.0 / 3), "33.3%"},
		{"percent tiny", "two significant digits below 0.1%", percent(0.0004), "0.04%"},
		{"percent tinier", "no exponent, however small", percent(8.1e-7), "0.000081%"},
		{"share of nothing", "a dash, not NaN", share(1, 0), "–"},
		{"amount whole", "counts with separators", amount(12040), "12,040"},
		{"amount fraction", "three significant digits", amount(0.456789), "0.457"},
		{"duration zero", "zero is zero seconds", Duration(0), "0 s"},
		{"duration tiny", "below half a second", Duration(300 * time.Millisecond), "under 1 s"},
		{"duration seconds", "rounded seconds", Duration(44600 * time.Millisecond), "45 s"},
		{"duration almost a minute", "rounding moves to the next unit", Duration(59600 * time.Millisecond), "1 min"},
		{"duration minutes", "rounded minutes", Duration(12*time.Minute + 20*time.Second), "12 min"},
		{"duration hours", "hours and minutes", Duration(2*time.Hour + 5*time.Minute), "2 h 5 min"},
		{"duration whole hours", "no zero minutes", Duration(3 * time.Hour), "3 h"},
		{"duration almost a day", "rounding moves to days", Duration(24*time.Hour - 10*time.Second), "1 d"},
		{"duration days", "days and hours", Duration(76 * time.Hour), "3 d 4 h"},
		{"duration negative", "a minus sign", Duration(-90 * time.Second), "−2 min"},
		{"clamp NaN", "NaN draws no bar", formatFloat(clamp01(math.NaN())), "0"},
		{"clamp above", "bars stop at 1", formatFloat(clamp01(3)), "1"},
	}
	for _, tt := range tests {
		if tt.got != tt.want {
			t.Errorf("%s: %s: got %q, want %q", tt.name, tt.reason, tt.got, tt.want)
		}
	}
}

func formatFloat(v float64) string { return num(v) }

// TestFunnelPaletteSurvivesGreyscale checks that the funnel's bars stand
// out from their cells by lightness alone, that its cells differ from one
// another, and that text is legible on every fill.
func TestFunnelPaletteSurvivesGreyscale(t *testing.T) {
	fills := []string{funnelNameFill, funnelBarCellFill, funnelFigureFill}
	for i, a := range fills {
		for _, b := range fills[i+1:] {
			if d := math.Abs(lightness(t, a) - lightness(t, b)); d < 2 {
				t.Errorf("cells %s and %s differ by %.1f in L*, want at least 2", a, b, d)
			}
		}
		if c := contrast(t, textColor, a); c < 7 {
			t.Errorf("cell %s: text contrast %.1f:1, want at least 7:1", a, c)
		}
		if d := lightness(t, a) - lightness(t, funnelBarFill); d < 40 {
			t.Errorf("bar and cell %s differ by %.1f in L*, want at least 40", a, d)
		}
	}
}
