package eventio

import (
	"time"

	"github.com/parcours-go/parcours/internal/eventfmt"
	"github.com/parcours-go/parcours/journey"
	"github.com/parcours-go/parcours/touchpoint"
)

// CSVRowParser parses the rows of a CSV file one at a time, given the
// file's header row: for programs that receive rows already split into
// lines, such as the text sources of distributed engines, which hand out
// the lines of large files to many workers. A row is parsed exactly as
// ReadCSV parses it in a file with that header. It is not safe for
// concurrent use; make one per goroutine.
type CSVRowParser struct{ p *eventfmt.CSVLines }

// NewCSVRowParser returns a parser of rows read against header, the
// file's first row (with or without its line break). opt says how to read
// as for ReadCSV; SkipBadRows, Report and Progress do not apply, since
// each bad row is an error of Parse. A bad or empty header is a *RowError
// wrapping ErrBadHeader; bad options wrap ErrBadOptions.
func NewCSVRowParser(header []byte, opt ReadOptions) (*CSVRowParser, error) {
	p, err := eventfmt.NewCSVLines(header, opt.engine())
	if err != nil {
		if re, ok := err.(*eventfmt.RowError); ok {
			return nil, rowError("", re)
		}
		return nil, err
	}
	return &CSVRowParser{p}, nil
}

// Parse parses one row, a single line of CSV with or without its line
// break, into an event. It returns ok false, and no error, for a blank
// row. A bad row is a *RowError whose Line is 0 (the parser does not know
// the row's place in its file), wrapping the sentinel of its fault as
// ReadCSV's do; a quoted field that holds a line break cannot be parsed
// from one line and is a bad row wrapping ErrMalformed. It takes time
// linear in the row and allocates the event's strings.
func (p *CSVRowParser) Parse(row []byte) (e journey.Event, ok bool, err error) {
	r, err := p.p.Parse(row)
	if err != nil {
		if re, isRow := err.(*eventfmt.RowError); isRow {
			return journey.Event{}, false, rowError("", re)
		}
		return journey.Event{}, false, err
	}
	if r == nil {
		return journey.Event{}, false, nil
	}
	e = journey.Event{
		Customer:   string(r.Customer),
		Time:       time.Unix(0, r.Nanos).UTC(),
		Step:       string(r.Step),
		Channel:    touchpoint.Channel(r.Channel),
		Touchpoint: string(r.Touchpoint),
		Value:      r.Value,
	}
	if len(r.Props) > 0 {
		e.Props = make(map[string]string, len(r.Props)/2)
		for k := 0; k+1 < len(r.Props); k += 2 {
			e.Props[string(r.Props[k])] = string(r.Props[k+1])
		}
	}
	return e, true, nil
}
