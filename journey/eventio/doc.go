// Package eventio reads event logs from the files analysts export (CSV
// and JSON Lines, plain or gzip-compressed) and writes them back. It is
// where a program's data enters the library: everything else starts from
// the *journey.Log it returns.
//
//	l, err := eventio.ReadFile("events.csv.gz", eventio.ReadOptions{
//		Columns: eventio.Columns{Customer: "customer_id", Time: "ts", Step: "event"},
//	})
//	if err != nil {
//		log.Fatal(err) // events.csv.gz:1042: column "ts": cannot parse "2024-13-01" as a time (…)
//	}
//	fmt.Println(l.Len(), "events of", l.Customers(), "customers")
//
// The readers stream: they hold one row at a time (at most
// ReadOptions.MaxRowBytes, 1 MiB by default), or with more than one
// processor a few batches of a few thousand parsed rows, a few MB,
// besides the log being built,
// about 28 bytes per event plus the distinct strings and sets of
// properties (journey.LogBuilder), so a 10 MB line or a
// stray quote at the end of a large file is a clear error, not a memory
// blow-up. They parse rows straight into the log, interning each distinct
// string once, and the common time formats without time.Parse. With more
// than one processor (runtime.GOMAXPROCS) a read cuts its input into
// chunks of whole lines (CSV records with quoted line breaks stay whole),
// parses them on every processor, and hands their rows on in order to
// the caller's goroutine, which adds them to the log; the log, the errors
// and the order of the callbacks, all on the caller's goroutine, are the
// same either way. Where a record outgrows two chunks (128 KiB), or a
// stray quote hides where the records end, the read goes on in one stage
// for a while, with the same result.
//
// # Formats
//
// A CSV file (RFC 4180) starts with a header row naming its columns, in
// any order: customer, time, step, channel, touchpoint and value, matched
// ignoring case and renamed with ReadOptions.Columns. Customer, time and
// step are required; every other column is a property, named by its
// header, unless ReadOptions.Extra says to drop or reject such columns; a
// column with an empty name (a row index) is ignored. An empty cell means
// the property is absent, so CSV cannot hold a property set to the empty
// string (WriteCSV refuses to write one); an empty value cell means 0.
// Fields are separated by ReadOptions.Comma (',' by default); a field in
// double quotes may hold separators, line breaks and doubled quotes, and
// is kept byte for byte; rows end with "\n" or "\r\n"; blank lines and a
// UTF-8 byte order mark at the start are skipped. Cells are not trimmed.
//
// A JSON Lines file has one object per line (blank lines are skipped):
//
//	{"customer":"c1","time":"2025-03-01T09:30:00Z","step":"cart","channel":"web","value":12.5,"props":{"device":"app"}}
//
// Keys match exactly and may be renamed like CSV columns. Customer, step,
// channel and touchpoint are strings (a number stands for its text, so
// numeric customer ids work); value is a number or a string holding one;
// null means absent. Keys that are not fields go into the properties by
// default, as CSV's extra columns do, and ReadOptions.Extra can drop them
// or reject them with ErrUnknownKey. Property values that are numbers or
// booleans are kept as their JSON text, objects and arrays as compact
// JSON. The JSON is strict: a key given twice, a trailing comma or data
// after the object is a bad line.
//
// Text must be valid UTF-8: a reader rejects a row that is not rather
// than altering it, and a writer refuses to write such a string, so that
// what is read is what was written. Rows out of time order are accepted
// and sorted; duplicate rows are kept as duplicate events. Writers write
// times in RFC 3339 in UTC to the nanosecond and values as the shortest
// decimal that reads back exactly.
//
// Times are read as TimeFormat says; the default, TimeAuto, accepts what
// exports write (see TimeAuto).
//
// # Compression
//
// ReadFile reads gzip-compressed files transparently (by the .gz
// extension or by their first bytes). The standard library has no zstd
// decoder, and the library adds no dependency for one: decompress with a
// zstd package's io.Reader and pass it to ReadCSV or ReadJSONL.
//
// # Bad rows
//
// By default the first bad row stops reading with a *RowError naming the
// line, the column and the value at fault. With ReadOptions.SkipBadRows
// bad rows are skipped instead, and each is counted in
// ReadOptions.Report, by reason, with the first few as examples: a row is
// never dropped silently.
//
// WriteCSV and WriteJSONL write a log so that reading it back gives an
// identical log.
package eventio
