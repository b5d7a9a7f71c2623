package journey_test

import (
	"bytes"
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/parcours-go/parcours/journey"
	"github.com/parcours-go/parcours/journey/eventio"
)

const deprecatedCSV = "user,ts,step,channel,value,device\n" +
	"u2,2025-03-01 09:30:00,visit,web,,mobile\n" +
	"u1,1740821460000,\"buy, now\",email,12.5,\n" +
	"u1,2025-03-01T09:30:00Z,visit,web,,desk\n"

// TestDeprecatedReadersForward reads the same input with the old names
// and the new ones, with the same options, and compares the logs.
func TestDeprecatedReadersForward(t *testing.T) {
	old, err := journey.ReadCSV(strings.NewReader(deprecatedCSV), journey.ReadOptions{
		Columns: journey.Columns{Customer: "user", Time: "ts"}, Extra: journey.ExtraProps,
	})
	if err != nil {
		t.Fatal(err)
	}
	cur, err := eventio.ReadCSV(strings.NewReader(deprecatedCSV), eventio.ReadOptions{
		Columns: eventio.Columns{Customer: "user", Time: "ts"}, Extra: eventio.ExtraProps,
	})
	if err != nil {
		t.Fatal(err)
	}
	if old.Len() != 3 {
		t.Fatalf("read %d events, want 3", old.Len())
	}
	if diff := cmp.Diff(cur.Events(), old.Events(), cmpopts.EquateEmpty()); diff != "" {
		t.Errorf("journey.ReadCSV (-eventio +journey):\n%s", diff)
	}

	var oldCSV, curCSV, oldJSON, curJSON bytes.Buffer
	if err := journey.WriteCSV(&oldCSV, old, journey.WriteOptions{Comma: ';'}); err != nil {
		t.Fatal(err)
	}
	if err := eventio.WriteCSV(&curCSV, cur, eventio.WriteOptions{Comma: ';'}); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(curCSV.String(), oldCSV.String()); diff != "" {
		t.Errorf("journey.WriteCSV (-eventio +journey):\n%s", diff)
	}
	if err := journey.WriteJSONL(&oldJSON, old); err != nil {
		t.Fatal(err)
	}
	if err := eventio.WriteJSONL(&curJSON, cur); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(curJSON.String(), oldJSON.String()); diff != "" {
		t.Errorf("journey.WriteJSONL (-eventio +journey):\n%s", diff)
	}
	back, err := journey.ReadJSONL(bytes.NewReader(oldJSON.Bytes()), journey.ReadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	back2, err := eventio.ReadJSONL(bytes.NewReader(oldJSON.Bytes()), eventio.ReadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(back2.Events(), back.Events(), cmpopts.EquateEmpty()); diff != "" {
		t.Errorf("journey.ReadJSONL (-eventio +journey):\n%s", diff)
	}

	// The sequence writers, fed the log's events in log order, write what
	// the log writers write.
	var seqCSV, seqJSON bytes.Buffer
	if err := journey.WriteCSVSeq(&seqCSV, old.All(), journey.WriteOptions{Comma: ';', Props: []string{"device"}}); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(curCSV.String(), seqCSV.String()); diff != "" {
		t.Errorf("journey.WriteCSVSeq (-eventio.WriteCSV +journey):\n%s", diff)
	}
	if err := journey.WriteJSONLSeq(&seqJSON, old.All()); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(curJSON.String(), seqJSON.String()); diff != "" {
		t.Errorf("journey.WriteJSONLSeq (-eventio.WriteJSONL +journey):\n%s", diff)
	}
	if err := journey.WriteCSVSeq(&seqCSV, slices.Values([]journey.Event{{Customer: "c1"}}), journey.WriteOptions{}); !errors.Is(err, journey.ErrMissingTime) {
		t.Errorf("WriteCSVSeq of a bad event: %v, want ErrMissingTime", err)
	}
	if err := journey.WriteJSONLSeq(&seqJSON, slices.Values([]journey.Event{{Customer: "c1", Time: old.Time(0)}})); !errors.Is(err, journey.ErrMissingStep) {
		t.Errorf("WriteJSONLSeq of a bad event: %v, want ErrMissingStep", err)
	}
}

// TestDeprecatedRowErrors checks that the old readers keep their error
// type, message form and BadRow callback.
func TestDeprecatedRowErrors(t *testing.T) {
	in := "customer,time,step\nc1,yesterday,a\n,1,b\nc1,2,c\n"
	_, err := journey.ReadCSV(strings.NewReader(in), journey.ReadOptions{})
	var re *journey.RowError
	if !errors.As(err, &re) || re.Line != 2 || re.Column != 2 || !errors.Is(err, journey.ErrBadTime) {
		t.Fatalf("error %v, want a *journey.RowError at line 2, column 2 wrapping ErrBadTime", err)
	}
	if !strings.HasPrefix(err.Error(), `journey: csv: line 2, column 2 (time): cannot parse "yesterday" as a time`) {
		t.Errorf("message %q lost its old form", err)
	}
	_, err2 := eventio.ReadCSV(strings.NewReader(in), eventio.ReadOptions{})
	var re2 *eventio.RowError
	if !errors.As(err2, &re2) || re2.Line != re.Line || re2.Column != re.Column || errors.Unwrap(err2).Error() != errors.Unwrap(err).Error() {
		t.Errorf("eventio: %v; journey: %v", err2, err)
	}

	var lines []int
	l, err := journey.ReadCSV(strings.NewReader(in), journey.ReadOptions{BadRow: func(e *journey.RowError) error {
		lines = append(lines, e.Line)
		return nil
	}})
	if err != nil || l.Len() != 1 {
		t.Fatalf("with BadRow: %v, %d events; want 1", err, l.Len())
	}
	if diff := cmp.Diff([]int{2, 3}, lines); diff != "" {
		t.Errorf("lines reported (-want +got):\n%s", diff)
	}
	stop := errors.New("enough")
	if _, err := journey.ReadCSV(strings.NewReader(in), journey.ReadOptions{BadRow: func(*journey.RowError) error { return stop }}); err != stop {
		t.Errorf("BadRow's error: got %v, want it returned as is", err)
	}
	if journey.ErrMalformed != eventio.ErrMalformed || journey.DefaultMaxRowBytes != eventio.DefaultMaxRowBytes {
		t.Error("the old sentinels are not the new ones")
	}
}

// TestDeprecatedFormatNames checks the old option types name their
// values as the new ones do.
func TestDeprecatedFormatNames(t *testing.T) {
	for f := range 7 {
		if a, b := journey.TimeFormat(f).String(), eventio.TimeFormat(f).String(); a != b {
			t.Errorf("TimeFormat(%d): journey %s, eventio %s", f, a, b)
		}
		var g journey.TimeFormat
		if err := g.UnmarshalText([]byte(eventio.TimeFormat(f).String())); err != nil || int(g) != f {
			t.Errorf("TimeFormat(%d) round trip: %v, %v", f, g, err)
		}
	}
	for x := range 3 {
		if a, b := journey.Extra(x).String(), eventio.Extra(x).String(); a != b {
			t.Errorf("Extra(%d): journey %s, eventio %s", x, a, b)
		}
		var y journey.Extra
		if err := y.UnmarshalText([]byte(eventio.Extra(x).String())); err != nil || int(y) != x {
			t.Errorf("Extra(%d) round trip: %v, %v", x, y, err)
		}
	}
	if _, err := journey.ParseTimeFormat("weekly"); !errors.Is(err, eventio.ErrUnknownTimeFormat) {
		t.Errorf("ParseTimeFormat(weekly): %v", err)
	}
	if _, err := journey.ParseExtra("keep"); !errors.Is(err, eventio.ErrUnknownExtra) {
		t.Errorf("ParseExtra(keep): %v", err)
	}
}

// TestDeprecatedConstants checks the old constants are the new ones.
func TestDeprecatedConstants(t *testing.T) {
	times := [][2]int{
		{int(journey.TimeAuto), int(eventio.TimeAuto)}, {int(journey.TimeRFC3339), int(eventio.TimeRFC3339)},
		{int(journey.TimeUnix), int(eventio.TimeUnix)}, {int(journey.TimeUnixMilli), int(eventio.TimeUnixMilli)},
		{int(journey.TimeUnixMicro), int(eventio.TimeUnixMicro)}, {int(journey.TimeUnixNano), int(eventio.TimeUnixNano)},
		{int(journey.TimeLayout), int(eventio.TimeLayout)},
		{int(journey.ExtraProps), int(eventio.ExtraProps)}, {int(journey.ExtraIgnore), int(eventio.ExtraIgnore)},
		{int(journey.ExtraError), int(eventio.ExtraError)},
	}
	for i, p := range times {
		if p[0] != p[1] {
			t.Errorf("constant %d: journey %d, eventio %d", i, p[0], p[1])
		}
	}
}
