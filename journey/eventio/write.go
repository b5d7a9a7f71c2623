package eventio

import (
	"io"

	"github.com/parcours-go/parcours/internal/eventfmt"
	"github.com/parcours-go/parcours/journey"
)

// WriteCSV writes l as CSV, one row per event in log order, that ReadCSV
// reads back into an identical log (given the same Columns and Comma): a
// header, then customer, time (RFC 3339 in UTC, to the nanosecond), step,
// channel, touchpoint, value (empty for 0, else the shortest decimal that
// reads back exactly) and one column per property key. Fields with a
// comma, a quote or a line break are quoted.
//
// It returns an error wrapping ErrNotWritable, and may have written part
// of the log, if the log holds what CSV cannot: a string that is not valid
// UTF-8, a property whose value is the empty string (an empty cell means
// an absent property), or a property key that is empty or that names a
// field column (ignoring case). It takes time linear in the log and
// buffers its writes; an error of w stops it.
func WriteCSV(w io.Writer, l *journey.Log, opt WriteOptions) error {
	return eventfmt.WriteCSV(w, eventfmt.SourceOf(l), eventfmt.WriteOptions{
		Columns: eventfmt.Columns(opt.Columns), Comma: opt.Comma, Props: opt.Props, Prefix: "eventio",
	})
}

// WriteJSONL writes l as JSON Lines, one object per event in log order,
// that ReadJSONL reads back into an identical log: customer, time (RFC
// 3339 in UTC, to the nanosecond) and step always; channel and touchpoint
// when not empty; value when not 0, as the shortest decimal that reads
// back exactly; props, an object sorted by key, when the event has
// properties. It takes time linear in the log and buffers its writes.
//
// It returns an error wrapping ErrNotWritable, and may have written part
// of the log, if a string of the log is not valid UTF-8; an error of w
// stops it.
func WriteJSONL(w io.Writer, l *journey.Log) error {
	return eventfmt.WriteJSONL(w, eventfmt.SourceOf(l), "eventio")
}
