package journey_test

import (
	"errors"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/parcours-go/parcours/journey"
	"github.com/parcours-go/parcours/touchpoint"
)

// An export with its own column names, times in Unix milliseconds, an
// extra column that becomes a property, and rows in any order.
func ExampleReadCSV() {
	const export = `user_id,event,ts,channel,device
u2,visit,1740821400000,Website,mobile
u1,cart,1740821460000,web,desktop
u1,visit,1740821400000,web,
u2,"call, then buy",1740825000000,Hotline,
`
	l, err := journey.ReadCSV(strings.NewReader(export), journey.ReadOptions{
		Columns:       journey.Columns{Customer: "user_id", Step: "event", Time: "ts"},
		Time:          journey.TimeUnixMilli,
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

// A bad row stops reading with an error naming its line and column, and
// wrapping a sentinel; BadRow can skip bad rows instead.
func ExampleReadCSV_badRows() {
	const export = `customer,time,step
c1,2025-03-01T09:30:00Z,visit
c1,yesterday,cart
,2025-03-01T09:32:00Z,cart
`
	_, err := journey.ReadCSV(strings.NewReader(export), journey.ReadOptions{})
	fmt.Println(err)
	fmt.Println(errors.Is(err, journey.ErrBadTime))

	l, err := journey.ReadCSV(strings.NewReader(export), journey.ReadOptions{
		BadRow: func(e *journey.RowError) error {
			fmt.Println("skipped line", e.Line, "column", e.Column)
			return nil
		},
	})
	fmt.Println(l.Len(), "event read,", err)
	// Output:
	// journey: csv: line 3, column 2 (time): cannot parse "yesterday" as a time (want RFC 3339 or Unix seconds)
	// true
	// skipped line 3 column 2
	// skipped line 4 column 1
	// 1 event read, <nil>
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
	if err := journey.WriteCSV(os.Stdout, l, journey.WriteOptions{}); err != nil {
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
	if err := journey.WriteJSONL(os.Stdout, l); err != nil {
		fmt.Println(err)
	}
	// Output:
	// {"customer":"c1","time":"2025-03-01T09:30:00Z","step":"visit","channel":"web","props":{"device":"app"}}
	// {"customer":"c1","time":"2025-03-01T09:31:30Z","step":"buy","touchpoint":"checkout","value":59.9}
}
