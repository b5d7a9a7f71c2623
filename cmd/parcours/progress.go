package main

import (
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/parcours-go/parcours/journey/eventio"
)

// bar is a progress bar on standard error, drawn only when standard error
// is a terminal and --quiet is not given. A nil bar draws nothing.
type bar struct {
	w     io.Writer
	label string
	start time.Time
	last  time.Time
	drawn bool
}

// progress returns the bar for reading path, or nil when none is drawn.
func (e *env) progress(path string) *bar {
	if e.quiet || !isTerminal(e.stderr) {
		return nil
	}
	return &bar{w: e.stderr, label: displayName(path), start: time.Now()}
}

const barWidth = 30

func (b *bar) update(p eventio.Progress) {
	if b == nil {
		return
	}
	now := time.Now()
	if now.Sub(b.last) < 100*time.Millisecond {
		return
	}
	b.last = now
	b.drawn = true
	if p.Total > 0 {
		f := min(1, float64(p.Bytes)/float64(p.Total))
		n := int(f * barWidth)
		fmt.Fprintf(b.w, "\r%s [%s%s] %3.0f%%  %s events ", b.label, strings.Repeat("=", n), strings.Repeat(" ", barWidth-n), 100*f, thousands(p.Events))
		return
	}
	fmt.Fprintf(b.w, "\r%s  %.1f MB  %s events ", b.label, float64(p.Bytes)/1e6, thousands(p.Events))
}

// finish erases the bar.
func (b *bar) finish() {
	if b == nil || !b.drawn {
		return
	}
	fmt.Fprintf(b.w, "\r%s\r", strings.Repeat(" ", len(b.label)+barWidth+40))
}

// thousands writes n with thin separators: 1,234,567.
func thousands(n int) string {
	s := fmt.Sprint(n)
	if len(s) <= 3 {
		return s
	}
	var b strings.Builder
	pre := len(s) % 3
	if pre > 0 {
		b.WriteString(s[:pre])
	}
	for i := pre; i < len(s); i += 3 {
		if b.Len() > 0 {
			b.WriteByte(',')
		}
		b.WriteString(s[i : i+3])
	}
	return b.String()
}
