package eventio_test

import (
	"compress/gzip"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/parcours-go/parcours/journey"
	"github.com/parcours-go/parcours/journey/eventio"
	"github.com/parcours-go/parcours/touchpoint"
)

// An export with its own column names, times as databases write them and
// in Unix milliseconds, an extra column that becomes a property, and rows
// in any order.
func ExampleReadCSV() {
	const export = `user_id,event,ts,channel,device
u2,visit,2025-03-01 09:30:00,Website,mobile
u1,cart,1740821460000,web,desktop
u1,visit,2025-03-01T09:30:00Z,web,
u2,"call, then buy",2025-03-01 11:30:00+01:00,Hotline,
`
	l, err := eventio.ReadCSV(strings.NewReader(export), eventio.ReadOptions{
		Columns:       eventio.Columns{Customer: "user_id", Step: "event", Time: "ts"},
		ParseChannels: true, // "Website" is web, "Hotline" is phone
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	for e := range l.All() {
		fmt.Println(e.Customer, e.Time.Format(time.TimeOnly), e.Step, e.Channel, e.Props)
	}
	// Output:
	// u1 09:30:00 visit web map[]
	// u1 09:31:00 cart web map[device:desktop]
	// u2 09:30:00 visit web map[device:mobile]
	// u2 10:30:00 call, then buy phone map[]
}

// JSON Lines with times as Unix milliseconds (told from seconds by their
// magnitude) and keys of the export's own that become properties.
func ExampleReadJSONL() {
	const export = `{"user":"u1","ts":1740821400000,"event":"visit","utm":"spring"}
{"user":"u1","ts":1740821460000,"event":"buy","value":59.9}
`
	l, err := eventio.ReadJSONL(strings.NewReader(export), eventio.ReadOptions{
		Columns: eventio.Columns{Customer: "user", Time: "ts", Step: "event"},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	for e := range l.All() {
		fmt.Println(e.Customer, e.Time.Format(time.RFC3339), e.Step, e.Value, e.Props)
	}
	// Output:
	// u1 2025-03-01T09:30:00Z visit 0 map[utm:spring]
	// u1 2025-03-01T09:31:00Z buy 59.9 map[]
}

// A bad row stops reading with an error naming its line, column and
// value, and wrapping a sentinel; SkipBadRows skips bad rows instead and
// accounts for each in the Report.
func ExampleReadCSV_badRows() {
	const export = `customer,time,step
c1,2025-03-01T09:30:00Z,visit
c1,2025-13-01,cart
,2025-03-01T09:32:00Z,cart
`
	_, err := eventio.ReadCSV(strings.NewReader(export), eventio.ReadOptions{})
	var re *eventio.RowError
	fmt.Println(errors.Is(err, journey.ErrBadTime), errors.As(err, &re), re.Line, re.Field, re.Value)

	var rep eventio.Report
	l, err := eventio.ReadCSV(strings.NewReader(export), eventio.ReadOptions{SkipBadRows: true, Report: &rep})
	fmt.Println(l.Len(), "event read,", err)
	fmt.Println(rep.Skipped, "skipped:", rep.Reasons[journey.ErrBadTime], "bad time,", rep.Reasons[journey.ErrMissingCustomer], "missing customer")
	for _, e := range rep.Examples {
		fmt.Println("line", e.Line, "byte", e.Offset, "column", e.Field)
	}
	// Output:
	// true true 3 time 2025-13-01
	// 1 event read, <nil>
	// 2 skipped: 1 bad time, 1 missing customer
	// line 3 byte 49 column time
	// line 4 byte 68 column customer
}

// ReadFile tells the format from the file's name, decompresses gzip, and
// names the file in its errors; Progress can drive a progress bar.
func ExampleReadFile() {
	dir, err := os.MkdirTemp("", "eventio")
	if err != nil {
		fmt.Println(err)
		return
	}
	defer os.RemoveAll(dir)
	write := func(name string, bad bool) string {
		path := filepath.Join(dir, name)
		f, err := os.Create(path)
		if err != nil {
			panic(err)
		}
		zw := gzip.NewWriter(f)
		fmt.Fprintln(zw, "customer_id,ts,event")
		for i := range 1000 {
			fmt.Fprintf(zw, "c%d,2024-01-15 22:10:%02d,visit\n", i%10, i%60)
		}
		if bad {
			fmt.Fprintln(zw, "c1,2024-13-01,visit")
		}
		zw.Close()
		f.Close()
		return path
	}
	opt := eventio.ReadOptions{
		Columns: eventio.Columns{Customer: "customer_id", Time: "ts", Step: "event"},
		Progress: func(p eventio.Progress) {
			if p.Bytes == p.Total { // the last call; a bar would redraw on each
				fmt.Println("read", p.Events, "events")
			}
		},
	}
	l, err := eventio.ReadFile(write("events.csv.gz", false), opt)
	fmt.Println(l.Customers(), "customers,", err)

	_, err = eventio.ReadFile(write("bad.csv.gz", true), opt)
	fmt.Println(strings.TrimPrefix(err.Error(), dir+string(filepath.Separator)))
	// Output:
	// read 1000 events
	// 10 customers, <nil>
	// bad.csv.gz:1002: column "ts": cannot parse "2024-13-01" as a time (want a date such as 2006-01-02, a date and time such as 2006-01-02 15:04:05 or 2006-01-02T15:04:05Z, or a Unix time)
}

func ExampleWriteCSV() {
	t0 := time.Date(2025, 3, 1, 9, 30, 0, 0, time.UTC)
	l, err := journey.NewLog([]journey.Event{
		{Customer: "c1", Time: t0, Step: "visit", Channel: touchpoint.Web, Props: map[string]string{"device": "app"}},
		{Customer: "c1", Time: t0.Add(90 * time.Second), Step: "buy", Channel: touchpoint.Web, Value: 59.9},
		{Customer: "c2", Time: t0.Add(time.Millisecond), Step: `said "hi", left`, Channel: touchpoint.Phone},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	if err := eventio.WriteCSV(os.Stdout, l, eventio.WriteOptions{}); err != nil {
		fmt.Println(err)
	}
	// Output:
	// customer,time,step,channel,touchpoint,value,device
	// c1,2025-03-01T09:30:00Z,visit,web,,,app
	// c1,2025-03-01T09:31:30Z,buy,web,,59.9,
	// c2,2025-03-01T09:30:00.001Z,"said ""hi"", left",phone,,,
}

func ExampleWriteJSONL() {
	t0 := time.Date(2025, 3, 1, 9, 30, 0, 0, time.UTC)
	l, err := journey.NewLog([]journey.Event{
		{Customer: "c1", Time: t0, Step: "visit", Channel: touchpoint.Web, Props: map[string]string{"device": "app"}},
		{Customer: "c1", Time: t0.Add(90 * time.Second), Step: "buy", Touchpoint: "checkout", Value: 59.9},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	if err := eventio.WriteJSONL(os.Stdout, l); err != nil {
		fmt.Println(err)
	}
	// Output:
	// {"customer":"c1","time":"2025-03-01T09:30:00Z","step":"visit","channel":"web","props":{"device":"app"}}
	// {"customer":"c1","time":"2025-03-01T09:31:30Z","step":"buy","touchpoint":"checkout","value":59.9}
}
