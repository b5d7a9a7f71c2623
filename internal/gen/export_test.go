package gen

import (
	"hash/fnv"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/parcours-go/parcours/journey"
	"github.com/parcours-go/parcours/touchpoint"
)

func TestExport(t *testing.T) {
	const customers = 5000
	rows := ExportRows(customers, 3)
	if !slices.Equal(rows, ExportRows(customers, 3)) {
		t.Fatal("the same seed gave other rows")
	}
	last := map[int32]int64{}
	steps := map[uint8]int{}
	for i, r := range rows {
		if i > 0 && r.T < rows[i-1].T {
			t.Fatalf("row %d at %d after a row at %d: not in time order", i, r.T, rows[i-1].T)
		}
		if prev, ok := last[r.Customer]; ok && r.T <= prev {
			t.Fatalf("customer %d: an event at %d after one at %d: times must increase", r.Customer, r.T, prev)
		}
		last[r.Customer] = r.T
		steps[r.Step]++
	}
	if len(last) != customers {
		t.Errorf("%d customers, want %d", len(last), customers)
	}
	if n := float64(len(rows)) / customers; n < 9 || n > 11 {
		t.Errorf("%.2f events per customer, want about 10", n)
	}
	if len(steps) != 20 {
		t.Errorf("%d distinct steps, want 20", len(steps))
	}
	// Customers interleave: the first thousand rows hold many customers'
	// events, not a few customers' whole paths.
	seen := map[int32]bool{}
	for _, r := range rows[:1000] {
		seen[r.Customer] = true
	}
	if len(seen) < 200 {
		t.Errorf("%d customers in the first 1000 rows: customers do not interleave", len(seen))
	}
	if span := time.Duration(rows[len(rows)-1].T-rows[0].T) * time.Second; span < 7*7*24*time.Hour {
		t.Errorf("times span %v, want weeks", span)
	}

	// Export yields the rows as events, in the same order.
	i := 0
	var b journey.LogBuilder
	for e := range Export(customers, 3) {
		r := rows[i]
		want := journey.Event{Customer: "c" + pad7(int(r.Customer)), Time: ExportStart.Add(time.Duration(r.T) * time.Second),
			Step: ExportStep(r.Step), Channel: touchpoint.Channel(ExportChannels[r.Channel])}
		if e.Customer != want.Customer || !e.Time.Equal(want.Time) || e.Step != want.Step || e.Channel != want.Channel {
			t.Fatalf("event %d: %+v, want %+v", i, e, want)
		}
		if err := b.Add(e); err != nil {
			t.Fatal(err)
		}
		i++
	}
	if i != len(rows) {
		t.Fatalf("%d events, want %d", i, len(rows))
	}
	l, err := b.Build()
	if err != nil {
		t.Fatal(err)
	}
	if l.Customers() != customers || l.NumNames(journey.ByStep) != 20 || l.NumNames(journey.ByChannel) != 6 {
		t.Errorf("log of %d customers, %d steps, %d channels; want %d, 20, 6",
			l.Customers(), l.NumNames(journey.ByStep), l.NumNames(journey.ByChannel), customers)
	}
}

func pad7(n int) string {
	s := strconv.Itoa(n)
	for len(s) < 7 {
		s = "0" + s
	}
	return s
}

// exportDigest is the FNV-1a hash of ExportRows(1000, 1) written as
// "customer,t,channel,step\n" lines. bench/duckdb's generator, a copy of
// this one in its own module, checks the same digest, so that the core's
// export-shaped benchmarks and the side-by-side one read the same data.
const exportDigest = 0xace1df0a645b3259

func TestExportDigest(t *testing.T) {
	h := fnv.New64a()
	for _, r := range ExportRows(1000, 1) {
		h.Write([]byte(strconv.Itoa(int(r.Customer)) + "," + strconv.FormatInt(r.T, 10) + "," +
			strconv.Itoa(int(r.Channel)) + "," + strconv.Itoa(int(r.Step)) + "\n"))
	}
	if got := h.Sum64(); got != exportDigest {
		t.Errorf("digest %#x, want %#x: the export shape changed; change bench/duckdb's generator and both digests together", got, uint64(exportDigest))
	}
}

func TestAppendExportCSV(t *testing.T) {
	rows := []ExportRow{
		{T: 14*86400 + 22*3600 + 10*60 + 16, Customer: 42, Channel: 1, Step: 3},
		{T: 0, Customer: 1234567, Channel: 5, Step: 4},
	}
	got := ExportCSVHeader + string(AppendExportCSV(nil, rows))
	want := "customer_id,ts,channel,event,converted\n" +
		"c0000042,2024-01-15 22:10:16,app,purchase,1\n" +
		"c1234567,2024-01-01 00:00:00,search,search,0\n"
	if got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
}
