package main

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/parcours-go/parcours/contrib/parquet"
	"github.com/parcours-go/parcours/journey"
	"github.com/parcours-go/parcours/journey/eventio"
)

// inputFlags are the flags of the subcommands that read events.
type inputFlags struct {
	format      string // csv, jsonl, parquet, or "" (by extension)
	cols        eventio.Columns
	timeFormat  string
	layout      string
	comma       string
	skipBadRows bool
}

func (in *inputFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&in.format, "format", "", "input `format` of the events: csv, jsonl or parquet (default: by the file's extension, .gz aside; csv for standard input)")
	fs.StringVar(&in.cols.Customer, "customer", "customer", "the `column` of the customer id")
	fs.StringVar(&in.cols.Time, "time", "time", "the `column` of the event's time")
	fs.StringVar(&in.cols.Step, "step", "step", "the `column` of the event's step")
	fs.StringVar(&in.cols.Channel, "channel", "channel", "the `column` of the event's channel")
	fs.StringVar(&in.cols.Touchpoint, "touchpoint", "touchpoint", "the `column` of the event's touchpoint")
	fs.StringVar(&in.cols.Value, "value", "value", "the `column` of the event's value")
	fs.StringVar(&in.timeFormat, "time-format", "auto", "how times are written: auto, rfc3339, unix, unixmilli, unixmicro, unixnano or layout")
	fs.StringVar(&in.layout, "layout", "", "the Go time `layout` of --time-format layout")
	fs.StringVar(&in.comma, "comma", "", "the CSV field `separator` (default ',', a tab for .tsv)")
	fs.BoolVar(&in.skipBadRows, "skip-bad-rows", false, "skip bad rows and report them on standard error, instead of stopping at the first")
}

// kind returns the input format of path: csv, jsonl or parquet.
func (in *inputFlags) kind(path string) (string, error) {
	switch f := strings.ToLower(in.format); f {
	case "csv", "tsv", "jsonl", "parquet":
		return f, nil
	case "json", "ndjson":
		return "jsonl", nil
	case "":
	default:
		return "", usagef("--format %q: want csv, jsonl or parquet", in.format)
	}
	if path == "-" {
		return "csv", nil
	}
	name := strings.ToLower(path)
	name = strings.TrimSuffix(name, ".gz")
	switch filepath.Ext(name) {
	case ".jsonl", ".ndjson", ".json":
		return "jsonl", nil
	case ".parquet", ".pq":
		return "parquet", nil
	case ".tsv":
		return "tsv", nil
	}
	return "csv", nil
}

func (in *inputFlags) options() (eventio.ReadOptions, error) {
	var opt eventio.ReadOptions
	opt.Columns = in.cols
	tf, err := eventio.ParseTimeFormat(in.timeFormat)
	if err != nil {
		return opt, usagef("--time-format %q: want auto, rfc3339, unix, unixmilli, unixmicro, unixnano or layout", in.timeFormat)
	}
	opt.Time = tf
	opt.Layout = in.layout
	if tf == eventio.TimeLayout && in.layout == "" {
		return opt, usagef("--time-format layout needs --layout")
	}
	switch in.comma {
	case "":
	case `\t`, "tab":
		opt.Comma = '\t'
	default:
		r := []rune(in.comma)
		if len(r) != 1 {
			return opt, usagef("--comma %q: want one character", in.comma)
		}
		opt.Comma = r[0]
	}
	return opt, nil
}

// readEvents reads the event log at path ("-" for standard input), in the
// format its extension or --format says. It is the one place where input
// formats are chosen.
func (e *env) readEvents(path string, in *inputFlags) (*journey.Log, error) {
	kind, err := in.kind(path)
	if err != nil {
		return nil, err
	}
	opt, err := in.options()
	if err != nil {
		return nil, err
	}
	var report eventio.Report
	if in.skipBadRows {
		opt.SkipBadRows = true
		opt.Report = &report
	}
	bar := e.progress(path)
	if bar != nil {
		opt.Progress = bar.update
	}
	var l *journey.Log
	switch kind {
	case "parquet":
		l, err = readParquet(e.stdin, path, opt)
	case "tsv":
		if opt.Comma == 0 {
			opt.Comma = '\t'
		}
		fallthrough
	case "csv":
		if path == "-" {
			l, err = readStream(e.stdin, kind, opt)
		} else {
			l, err = readFile(path, kind, opt)
		}
	case "jsonl":
		if path == "-" {
			l, err = readStream(e.stdin, kind, opt)
		} else {
			l, err = readFile(path, kind, opt)
		}
	}
	bar.finish()
	if err != nil {
		err = readError(err)
		if path == "-" {
			return nil, fmt.Errorf("standard input: %w", err)
		}
		return nil, err
	}
	if in.skipBadRows && report.Skipped > 0 {
		fmt.Fprintf(e.stderr, "parcours: %s: skipped %s of %d:\n%s\n", displayName(path), plural(report.Skipped, "bad row"), report.Skipped+report.Events, strings.TrimRight(report.String(), "\n"))
	}
	return l, nil
}

// readFile reads the file at path as kind says: with eventio.ReadFile
// when the file's extension tells the same format (it then names the file
// in its errors and knows the file's size for the progress bar), else
// through ReadCSV or ReadJSONL, decompressing gzip by its first bytes.
func readFile(path, kind string, opt eventio.ReadOptions) (*journey.Log, error) {
	name := strings.TrimSuffix(strings.ToLower(path), ".gz")
	ext := filepath.Ext(name)
	if kind == "csv" && ext == ".csv" || kind == "tsv" && ext == ".tsv" || kind == "jsonl" && (ext == ".jsonl" || ext == ".ndjson") {
		return eventio.ReadFile(path, opt)
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	l, err := readStream(f, kind, opt)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return l, nil
}

// readParquet reads a Parquet file with contrib/parquet, with the options
// of the CSV reader that apply; standard input is read into memory first,
// since Parquet is read from its end.
func readParquet(stdin io.Reader, path string, opt eventio.ReadOptions) (*journey.Log, error) {
	po := parquet.Options{
		Columns: opt.Columns, Time: opt.Time, Layout: opt.Layout, Location: opt.Location,
		Extra: opt.Extra, ParseChannels: opt.ParseChannels,
		SkipBadRows: opt.SkipBadRows, Report: opt.Report, Progress: opt.Progress,
	}
	if path != "-" {
		return parquet.ReadFile(path, po)
	}
	b, err := io.ReadAll(stdin)
	if err != nil {
		return nil, err
	}
	return parquet.Read(bytes.NewReader(b), int64(len(b)), po)
}

// readStream reads events from r as kind says, decompressing gzip,
// recognised by its first bytes.
func readStream(r io.Reader, kind string, opt eventio.ReadOptions) (*journey.Log, error) {
	br := bufio.NewReader(r)
	var in io.Reader = br
	if head, _ := br.Peek(2); len(head) == 2 && head[0] == 0x1f && head[1] == 0x8b {
		zr, err := gzip.NewReader(br)
		if err != nil {
			return nil, err
		}
		defer zr.Close()
		in = zr
	}
	if kind == "jsonl" {
		return eventio.ReadJSONL(in, opt)
	}
	return eventio.ReadCSV(in, opt)
}

// cliError rewords an error of the library for the command line, keeping
// what it wraps.
type cliError struct {
	msg string
	err error
}

func (e *cliError) Error() string { return e.msg }
func (e *cliError) Unwrap() error { return e.err }

// readError rewords a reader's error for the command line: a bad row
// names its file, line and column number (events.csv:3:2: column "time":
// …), and a bad header names the flags that rename columns.
func readError(err error) error {
	msg := err.Error()
	var re *eventio.RowError
	if errors.As(err, &re) && re.File != "" && re.Column > 0 {
		prefix := fmt.Sprintf("%s:%d: ", re.File, re.Line)
		if strings.HasPrefix(msg, prefix) {
			msg = fmt.Sprintf("%s:%d:%d: %s", re.File, re.Line, re.Column, strings.TrimPrefix(msg[len(prefix):], fmt.Sprintf("column %d: ", re.Column)))
		}
	}
	msg = strings.ReplaceAll(msg, "read with ReadOptions.Columns to rename it", "name it with --customer, --time, --step, --channel, --touchpoint or --value")
	if msg == err.Error() {
		return err
	}
	return &cliError{msg, err}
}

func displayName(path string) string {
	if path == "-" {
		return "standard input"
	}
	return path
}

// parseDuration parses a duration as time.ParseDuration does, with days
// (d) and weeks (w) besides: "7d", "1d12h", "2w", "90m".
func parseDuration(s string) (time.Duration, error) {
	t := strings.TrimSpace(s)
	if t == "" {
		return 0, errors.New("empty duration")
	}
	if t == "0" {
		return 0, nil
	}
	var total time.Duration
	rest := t
	for rest != "" {
		i := 0
		for i < len(rest) && (rest[i] >= '0' && rest[i] <= '9' || rest[i] == '.') {
			i++
		}
		if i == 0 {
			return 0, fmt.Errorf("bad duration %q: want a number and a unit, as 7d, 12h or 1d12h (units w, d, h, m, s, ms)", s)
		}
		j := i
		for j < len(rest) && !(rest[j] >= '0' && rest[j] <= '9' || rest[j] == '.') {
			j++
		}
		num, unit := rest[:i], rest[i:j]
		rest = rest[j:]
		var d time.Duration
		switch unit {
		case "d", "w":
			f, err := strconv.ParseFloat(num, 64)
			if err != nil {
				return 0, fmt.Errorf("bad duration %q", s)
			}
			day := 24 * float64(time.Hour)
			if unit == "w" {
				day *= 7
			}
			d = time.Duration(f * day)
		default:
			var err error
			d, err = time.ParseDuration(num + unit)
			if err != nil || unit == "" {
				return 0, fmt.Errorf("bad duration %q: want a number and a unit, as 7d, 12h or 1d12h (units w, d, h, m, s, ms)", s)
			}
		}
		total += d
	}
	return total, nil
}

// durationFlag is a flag holding a duration written as parseDuration
// reads it.
type durationFlag struct{ d *time.Duration }

func (f durationFlag) String() string {
	if f.d == nil || *f.d == 0 {
		return ""
	}
	if day := 24 * time.Hour; *f.d%day == 0 {
		return strconv.FormatInt(int64(*f.d/day), 10) + "d"
	}
	return f.d.String()
}

func (f durationFlag) Set(s string) error {
	d, err := parseDuration(s)
	if err != nil {
		return err
	}
	if d < 0 {
		return fmt.Errorf("negative duration %q", s)
	}
	*f.d = d
	return nil
}

// splitList splits a comma-separated flag value, trimming spaces and
// dropping empty items.
func splitList(s string) []string {
	var out []string
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// parseBy reads a --by flag of paths, graph and attribution.
func parseBy(flagName, s string) (journey.By, error) {
	b, err := journey.ParseBy(s)
	if err != nil {
		return 0, usagef("--%s %q: want step, channel or touchpoint", flagName, s)
	}
	return b, nil
}
