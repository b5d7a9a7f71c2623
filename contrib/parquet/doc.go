// Package parquet reads event logs from Parquet files, the format that
// warehouse and analytics exports (BigQuery, Snowflake, Spark, DuckDB,
// pandas) write, into a *journey.Log:
//
//	var rep eventio.Report
//	l, err := parquet.ReadFile("events.parquet", parquet.Options{
//		Columns:     eventio.Columns{Customer: "customer_id", Time: "ts", Step: "event"},
//		SkipBadRows: true, Report: &rep,
//	})
//	if err != nil {
//		log.Fatal(err) // events.parquet:1042: column "ts": missing time
//	}
//	fmt.Println(l.Len(), "events of", l.Customers(), "customers;", &rep)
//
// It mirrors package journey/eventio: the same column names and
// defaults (customer, time, step, channel, touchpoint, value, matched
// ignoring case), the same treatment of extra columns (properties by
// default), the same time formats, the same eventio.Report of skipped
// rows and eventio.Progress for a progress bar. It is a module of its own
// so that the library's core module keeps no dependency.
//
// # Columns
//
// Each event field is read from one top-level flat column, required or
// optional (nullable):
//
//   - customer, step, channel, touchpoint: text (BYTE_ARRAY, annotated
//     STRING, ENUM or not at all) or integers (INT32, INT64, read as their
//     decimal text, so numeric customer ids work);
//   - time: INT64 annotated TIMESTAMP in milliseconds, microseconds or
//     nanoseconds (adjusted to UTC, or a wall-clock time read in
//     Options.Location); INT32 DATE (midnight in Options.Location); INT96
//     (the legacy timestamps of Impala and Spark); plain INT32 or INT64 as
//     Unix times, in a unit told by magnitude as eventio.TimeAuto does or
//     named by Options.Time; text, parsed as CSV cells are
//     (eventio.ParseTime);
//   - value: FLOAT, DOUBLE, INT32 or INT64;
//   - properties: any flat column, as text: numbers in their shortest
//     decimal form, booleans as true and false, times in RFC 3339.
//
// A null customer, time or step makes a bad row (as an empty one does);
// a null or empty channel, touchpoint or property is absent and a null
// value is 0, as an empty CSV cell is. A nested (group) or repeated
// column is an error naming it, unless Extra drops it. DECIMAL, TIME of
// day, FIXED_LEN_BYTE_ARRAY and other types an event field cannot hold
// are errors naming the column, wrapping ErrUnsupported.
//
// # How it reads
//
// Read works on column chunks, not rows: each chunk of each row group is
// decoded on its own goroutine (Options.Workers), a few row groups ahead
// of the log being built, and rows are added to a journey.LogBuilder in
// file order, so that the log is the one the same rows read from CSV give.
// Text is interned per chunk: a dictionary-encoded chunk turns each
// dictionary entry into a string once, and its rows share it, so the
// builder sees one string per distinct value; times stored as text are
// parsed once per distinct value too.
//
// # Why parquet-go
//
// It uses github.com/parquet-go/parquet-go rather than Apache Arrow's Go
// module: it is pure Go (no cgo, so `go install` works everywhere and
// cross-compiles), it exposes the file's row groups, column chunks and
// pages directly (so chunks decode in parallel without going through
// rows or Arrow records), and a dictionary-encoded page gives its
// dictionary and its indexes (Page.Dictionary, Page.Data), which is what
// keeps strings as dictionaries. Its decoder can panic on some damaged
// files; Read recovers and returns an error wrapping ErrNotParquet.
package parquet
