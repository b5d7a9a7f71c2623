package eventfmt

import (
	"testing"
	"time"
)

// BenchmarkParseTime compares the fast path of TimeAuto with time.Parse
// on the forms exports write.
func BenchmarkParseTime(b *testing.B) {
	for _, c := range []struct{ name, in, layout string }{
		{"space", "2024-01-15 22:10:16", "2006-01-02 15:04:05"},
		{"rfc3339nano", "2024-01-15T22:10:16.123456789+01:00", time.RFC3339Nano},
		{"date", "2024-01-15", "2006-01-02"},
	} {
		in := []byte(c.in)
		p := timeParser{loc: time.UTC}
		b.Run(c.name+"/auto", func(b *testing.B) {
			for b.Loop() {
				if _, err := p.parse(in); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run(c.name+"/time.Parse", func(b *testing.B) {
			for b.Loop() {
				if _, err := time.Parse(c.layout, string(in)); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
	b.Run("unixmilli/auto", func(b *testing.B) {
		p := timeParser{loc: time.UTC}
		in := []byte("1705356616123")
		for b.Loop() {
			if _, err := p.parse(in); err != nil {
				b.Fatal(err)
			}
		}
	})
}
