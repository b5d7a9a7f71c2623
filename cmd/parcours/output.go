package main

import (
	"bufio"
	"compress/gzip"
	"encoding/csv"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"math"
	"os"
	"runtime/debug"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/parcours-go/parcours/journey/render"
)

// A result is what a subcommand prints: a few named figures (fields) and
// tables. Every output format is written from it, so the table, JSON, CSV,
// JSON Lines and Markdown outputs always hold the same numbers:
//
//   - table and markdown: the fields, then every table under its title;
//   - json: one object, {"command": …, field: value …, table: [row …] …};
//   - csv and jsonl: the rows of the main table (primary).
type result struct {
	command string
	fields  []field
	tables  []*table
	primary int // the table CSV and JSON Lines write
}

// field is one named figure of a result.
type field struct {
	key, title string
	value      any // string, int, float64, bool, []string, time.Duration
	kind       kind
}

// kind says how a value is written.
type kind uint8

const (
	kText     kind = iota
	kInt           // an integer
	kFloat         // a number: 3 decimals in tables, full precision elsewhere
	kPct           // a share in [0, 1]: "12.3%" in tables, the share itself elsewhere
	kDuration      // render.Duration in tables, seconds (a number) elsewhere
	kList          // []string: joined by " > " in tables and CSV, an array in JSON
	kBool
	kNames // []string: joined by ", " in tables and CSV, an array in JSON
)

// column is a column of a table: its key in JSON and CSV, its title in
// tables and Markdown, and its kind.
type column struct {
	key, title string
	kind       kind
}

type table struct {
	name, title string
	columns     []column
	rows        [][]any
	note        string // a line under the table (tables and Markdown only)
}

func (r *result) add(key, title string, k kind, v any) {
	r.fields = append(r.fields, field{key, title, v, k})
}

func (r *result) newTable(name, title string, cols ...column) *table {
	t := &table{name: name, title: title, columns: cols}
	r.tables = append(r.tables, t)
	return t
}

func (t *table) add(cells ...any) {
	if len(cells) != len(t.columns) {
		panic(fmt.Sprintf("table %s: %d cells for %d columns", t.name, len(cells), len(t.columns)))
	}
	t.rows = append(t.rows, cells)
}

// outputFlags are the flags every subcommand has.
type outputFlags struct {
	format string // table, json, csv, jsonl, markdown
	file   string // -o
	pct    int    // decimals of percentages in tables
}

func (o *outputFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&o.format, "output", "table", "output `format`: table, json, csv, jsonl or markdown")
	fs.StringVar(&o.file, "o", "", "write the output to `FILE` instead of standard output")
	fs.IntVar(&o.pct, "decimals", 1, "decimals of percentages in tables")
}

func (o *outputFlags) check() error {
	switch o.format {
	case "table", "json", "csv", "jsonl", "markdown":
	default:
		return usagef("--output %q: want table, json, csv, jsonl or markdown", o.format)
	}
	if o.pct < 0 || o.pct > 12 {
		return usagef("--decimals %d: want 0 to 12", o.pct)
	}
	return nil
}

// openOutput returns the writer of the output (the -o file or standard
// output) and the function that closes it, which reports write errors.
func (e *env) openOutput() (io.Writer, func() error, error) {
	if e.out.file == "" || e.out.file == "-" {
		bw := bufio.NewWriter(e.stdout)
		return bw, bw.Flush, nil
	}
	f, err := os.Create(e.out.file)
	if err != nil {
		return nil, nil, err
	}
	bw := bufio.NewWriter(f)
	if !strings.HasSuffix(e.out.file, ".gz") {
		return bw, func() error {
			if err := bw.Flush(); err != nil {
				f.Close()
				return err
			}
			return f.Close()
		}, nil
	}
	// A file named .gz is written gzip-compressed.
	zw := gzip.NewWriter(bw)
	return zw, func() error {
		err := zw.Close()
		if ferr := bw.Flush(); err == nil {
			err = ferr
		}
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		return err
	}, nil
}

// write writes r in the output format to the output.
func (e *env) write(r *result) error {
	w, done, err := e.openOutput()
	if err != nil {
		return err
	}
	switch e.out.format {
	case "json":
		err = writeJSON(w, r)
	case "csv":
		err = writeCSV(w, r)
	case "jsonl":
		err = writeJSONL(w, r)
	case "markdown":
		err = writeMarkdown(w, r, e.out.pct)
	default:
		err = writeTables(w, r, e.out.pct)
	}
	if cerr := done(); err == nil {
		err = cerr
	}
	return err
}

// text writes a value for a terminal.
func text(v any, k kind, decimals int) string {
	if v == nil {
		return "–"
	}
	switch k {
	case kPct:
		f := v.(float64)
		if math.IsNaN(f) {
			return "–"
		}
		return strconv.FormatFloat(100*f, 'f', decimals, 64) + "%"
	case kFloat:
		f := v.(float64)
		if math.IsNaN(f) {
			return "–"
		}
		if f == math.Trunc(f) && math.Abs(f) < 1e15 {
			return strconv.FormatFloat(f, 'f', 0, 64)
		}
		return strconv.FormatFloat(f, 'f', 3, 64)
	case kDuration:
		return render.Duration(v.(time.Duration))
	case kList:
		return strings.Join(v.([]string), " > ")
	case kNames:
		return strings.Join(v.([]string), ", ")
	}
	return plain(v)
}

// plain writes a value for CSV: full precision, durations in seconds.
func plain(v any) string {
	switch x := v.(type) {
	case string:
		return x
	case int:
		return strconv.Itoa(x)
	case float64:
		return strconv.FormatFloat(x, 'g', -1, 64)
	case bool:
		return strconv.FormatBool(x)
	case time.Duration:
		return strconv.FormatFloat(x.Seconds(), 'g', -1, 64)
	case []string:
		return strings.Join(x, " > ")
	case nil:
		return ""
	}
	return fmt.Sprint(v)
}

// jsonValue returns a value as JSON writes it: durations in seconds,
// NaN as null.
func jsonValue(v any) any {
	switch x := v.(type) {
	case time.Duration:
		return x.Seconds()
	case float64:
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return nil
		}
	case []string:
		if x == nil {
			return []string{}
		}
	}
	return v
}

// jsonObject writes keys and values as a JSON object, in order.
func jsonObject(b *strings.Builder, keys []string, values []any, indent string) error {
	b.WriteString("{")
	for i, k := range keys {
		if i > 0 {
			b.WriteString(",")
		}
		if indent != "" {
			b.WriteString("\n" + indent + "  ")
		}
		kb, _ := json.Marshal(k)
		b.Write(kb)
		b.WriteString(":")
		if indent != "" {
			b.WriteString(" ")
		}
		vb, err := json.Marshal(jsonValue(values[i]))
		if err != nil {
			return err
		}
		b.Write(vb)
	}
	if indent != "" && len(keys) > 0 {
		b.WriteString("\n" + indent)
	}
	b.WriteString("}")
	return nil
}

func rowObject(b *strings.Builder, t *table, row []any, indent string) error {
	keys := make([]string, len(t.columns))
	for i, c := range t.columns {
		keys[i] = c.key
	}
	return jsonObject(b, keys, row, indent)
}

func writeJSON(w io.Writer, r *result) error {
	var b strings.Builder
	b.WriteString("{\n  \"command\": ")
	cb, _ := json.Marshal(r.command)
	b.Write(cb)
	for _, f := range r.fields {
		b.WriteString(",\n  ")
		kb, _ := json.Marshal(f.key)
		b.Write(kb)
		b.WriteString(": ")
		vb, err := json.Marshal(jsonValue(f.value))
		if err != nil {
			return err
		}
		b.Write(vb)
	}
	for _, t := range r.tables {
		b.WriteString(",\n  ")
		kb, _ := json.Marshal(t.name)
		b.Write(kb)
		b.WriteString(": [")
		for i, row := range t.rows {
			if i > 0 {
				b.WriteString(",")
			}
			b.WriteString("\n    ")
			if err := rowObject(&b, t, row, ""); err != nil {
				return err
			}
		}
		if len(t.rows) > 0 {
			b.WriteString("\n  ")
		}
		b.WriteString("]")
	}
	b.WriteString("\n}\n")
	_, err := io.WriteString(w, b.String())
	return err
}

func writeJSONL(w io.Writer, r *result) error {
	if len(r.tables) == 0 {
		return nil
	}
	t := r.tables[r.primary]
	var b strings.Builder
	for _, row := range t.rows {
		if err := rowObject(&b, t, row, ""); err != nil {
			return err
		}
		b.WriteString("\n")
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func writeCSV(w io.Writer, r *result) error {
	if len(r.tables) == 0 {
		return nil
	}
	t := r.tables[r.primary]
	cw := csv.NewWriter(w)
	head := make([]string, len(t.columns))
	for i, c := range t.columns {
		head[i] = c.key
	}
	cw.Write(head)
	rec := make([]string, len(t.columns))
	for _, row := range t.rows {
		for i, v := range row {
			if names, ok := v.([]string); ok && t.columns[i].kind == kNames {
				rec[i] = strings.Join(names, ", ")
			} else {
				rec[i] = plain(v)
			}
		}
		cw.Write(rec)
	}
	cw.Flush()
	return cw.Error()
}

// numeric reports whether a kind is right-aligned in tables.
func numeric(k kind) bool {
	return k == kInt || k == kFloat || k == kPct || k == kDuration
}

func writeTables(w io.Writer, r *result, decimals int) error {
	var b strings.Builder
	if len(r.fields) > 0 {
		width := 0
		for _, f := range r.fields {
			width = max(width, utf8.RuneCountInString(f.title))
		}
		for _, f := range r.fields {
			fmt.Fprintf(&b, "%s%s  %s\n", f.title, strings.Repeat(" ", width-utf8.RuneCountInString(f.title)), text(f.value, f.kind, decimals))
		}
	}
	for i, t := range r.tables {
		if b.Len() > 0 || i > 0 {
			b.WriteString("\n")
		}
		if t.title != "" {
			b.WriteString(t.title + "\n")
		}
		if len(t.rows) == 0 {
			b.WriteString("(none)\n")
			continue
		}
		cells := make([][]string, len(t.rows)+1)
		cells[0] = make([]string, len(t.columns))
		for j, c := range t.columns {
			cells[0][j] = c.title
		}
		for k, row := range t.rows {
			cells[k+1] = make([]string, len(row))
			for j, v := range row {
				cells[k+1][j] = text(v, t.columns[j].kind, decimals)
			}
		}
		width := make([]int, len(t.columns))
		for _, row := range cells {
			for j, s := range row {
				width[j] = max(width[j], utf8.RuneCountInString(s))
			}
		}
		for _, row := range cells {
			var line strings.Builder
			for j, s := range row {
				pad := strings.Repeat(" ", width[j]-utf8.RuneCountInString(s))
				if j > 0 {
					line.WriteString("  ")
				}
				if numeric(t.columns[j].kind) {
					line.WriteString(pad + s)
				} else {
					line.WriteString(s + pad)
				}
			}
			b.WriteString(strings.TrimRight(line.String(), " ") + "\n")
		}
		if t.note != "" {
			b.WriteString(t.note + "\n")
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func mdEscape(s string) string {
	return strings.NewReplacer("|", `\|`, "\n", " ").Replace(s)
}

func writeMarkdown(w io.Writer, r *result, decimals int) error {
	var b strings.Builder
	if len(r.fields) > 0 {
		b.WriteString("| | |\n|---|---:|\n")
		for _, f := range r.fields {
			fmt.Fprintf(&b, "| %s | %s |\n", mdEscape(f.title), mdEscape(text(f.value, f.kind, decimals)))
		}
	}
	for _, t := range r.tables {
		if b.Len() > 0 {
			b.WriteString("\n")
		}
		if t.title != "" {
			b.WriteString("**" + mdEscape(t.title) + "**\n\n")
		}
		b.WriteString("|")
		for _, c := range t.columns {
			b.WriteString(" " + mdEscape(c.title) + " |")
		}
		b.WriteString("\n|")
		for _, c := range t.columns {
			if numeric(c.kind) {
				b.WriteString("---:|")
			} else {
				b.WriteString("---|")
			}
		}
		b.WriteString("\n")
		for _, row := range t.rows {
			b.WriteString("|")
			for j, v := range row {
				b.WriteString(" " + mdEscape(text(v, t.columns[j].kind, decimals)) + " |")
			}
			b.WriteString("\n")
		}
		if t.note != "" {
			b.WriteString("\n" + mdEscape(t.note) + "\n")
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func buildVersion() string {
	bi, ok := debug.ReadBuildInfo()
	if !ok || bi.Main.Version == "" || bi.Main.Version == "(devel)" {
		return ""
	}
	return bi.Main.Version
}
