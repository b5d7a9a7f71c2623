package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"
)

// Exit statuses.
const (
	exitOK    = 0
	exitData  = 1 // bad data: an unreadable file, a bad row, a map with errors
	exitUsage = 2 // bad usage: an unknown subcommand or flag, a bad flag value
)

// command is one subcommand.
type command struct {
	name    string
	args    string // the positional arguments, as the usage line shows them
	summary string // one line, for `parcours help`
	about   string // a paragraph, for `parcours help NAME`
	example string // one example line
	// nargs is the number of positional arguments accepted: min and max.
	minArgs, maxArgs int
	// flags declares the subcommand's flags on fs and returns the
	// function that runs it once they are parsed.
	flags func(fs *flag.FlagSet, env *env) func(args []string) error
}

// commands lists the subcommands in the order help shows them.
var commands = []*command{
	funnelCommand,
	pathsCommand,
	validateCommand,
	graphCommand,
	attributionCommand,
	simulateCommand,
	impactCommand,
	reportCommand,
}

func lookup(name string) *command {
	for _, c := range commands {
		if c.name == name {
			return c
		}
	}
	return nil
}

// env is what a subcommand runs with: the standard streams and the
// output flags every subcommand shares.
type env struct {
	stdin          io.Reader
	stdout, stderr io.Writer
	out            outputFlags
	quiet          bool
}

// usageError is a bad use of the command: a bad flag value or a missing
// argument. It exits with status 2 and prints the subcommand's usage.
type usageError struct{ msg string }

func (e *usageError) Error() string { return e.msg }

func usagef(format string, a ...any) error {
	return &usageError{fmt.Sprintf(format, a...)}
}

// run runs the command line args (without the program name) and returns
// the exit status.
func run(args []string, stdin io.Reader, stdout, stderr io.Writer) (status int) {
	defer func() {
		// A last resort: the library does not panic on any input, and
		// the command checks what it passes; should something still go
		// wrong, the analyst gets a line, not a trace.
		if r := recover(); r != nil {
			fmt.Fprintf(stderr, "parcours: internal error: %v\n", r)
			status = exitData
		}
	}()
	if len(args) == 0 {
		mainUsage(stderr)
		return exitUsage
	}
	name := args[0]
	switch name {
	case "help", "-h", "-help", "--help":
		if len(args) > 1 && name == "help" {
			c := lookup(args[1])
			if c == nil {
				fmt.Fprintf(stderr, "parcours: unknown subcommand %q\n", args[1])
				mainUsage(stderr)
				return exitUsage
			}
			commandUsage(stdout, c)
			return exitOK
		}
		mainUsage(stdout)
		return exitOK
	case "version", "--version":
		fmt.Fprintln(stdout, "parcours", version())
		return exitOK
	}
	c := lookup(name)
	if c == nil {
		fmt.Fprintf(stderr, "parcours: unknown subcommand %q\n", name)
		mainUsage(stderr)
		return exitUsage
	}
	return runCommand(c, args[1:], stdin, stdout, stderr)
}

func runCommand(c *command, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	e := &env{stdin: stdin, stdout: stdout, stderr: stderr}
	fs := flag.NewFlagSet("parcours "+c.name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	e.out.register(fs)
	fs.BoolVar(&e.quiet, "quiet", false, "no progress bar on standard error")
	do := c.flags(fs, e)
	pos, err := parseInterspersed(fs, args)
	if errors.Is(err, flag.ErrHelp) {
		commandUsage(stdout, c)
		return exitOK
	}
	if err == nil && (len(pos) < c.minArgs || len(pos) > c.maxArgs) {
		switch {
		case len(pos) < c.minArgs:
			err = usagef("missing %s", c.args)
		default:
			err = usagef("too many arguments: %s", strings.Join(pos[c.maxArgs:], " "))
		}
	}
	if err == nil {
		err = e.out.check()
	}
	if err == nil {
		err = do(pos)
	}
	if err == nil {
		return exitOK
	}
	var ue *usageError
	if errors.As(err, &ue) || isFlagError(err) {
		fmt.Fprintf(stderr, "parcours %s: %v\n", c.name, err)
		fmt.Fprintf(stderr, "usage: parcours %s %s\nexample: %s\nRun 'parcours help %s' for the flags.\n", c.name, c.args, c.example, c.name)
		return exitUsage
	}
	fmt.Fprintf(stderr, "parcours %s: %s\n", c.name, oneLine(err))
	return exitData
}

// flagError wraps the errors of flag parsing, which are usage errors.
type flagError struct{ err error }

func (e *flagError) Error() string { return e.err.Error() }
func (e *flagError) Unwrap() error { return e.err }

func isFlagError(err error) bool {
	var fe *flagError
	return errors.As(err, &fe)
}

// parseInterspersed parses flags placed anywhere among the positional
// arguments (`parcours funnel events.csv --steps a,b`), which the flag
// package alone stops at. "--" ends the flags.
func parseInterspersed(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return nil, err
			}
			return nil, &flagError{err}
		}
		rest := fs.Args()
		if len(rest) == 0 {
			return pos, nil
		}
		// fs.Parse stops at the first non-flag, or after "--".
		consumed := len(args) - len(rest)
		if consumed > 0 && args[consumed-1] == "--" {
			return append(pos, rest...), nil
		}
		pos = append(pos, rest[0])
		args = rest[1:]
	}
}

// oneLine returns the error's message on one line: joined errors (a map's
// problems) are separated by "; ".
func oneLine(err error) string {
	return strings.ReplaceAll(err.Error(), "\n", "; ")
}

func mainUsage(w io.Writer) {
	fmt.Fprintln(w, `parcours analyses customer journeys: event files (CSV, JSON Lines, gzip) and journey maps (JSON).

usage: parcours SUBCOMMAND [flags] ARGS

subcommands:`)
	for _, c := range commands {
		fmt.Fprintf(w, "  %-12s %s\n", c.name, c.summary)
	}
	fmt.Fprintln(w, `
Run 'parcours help SUBCOMMAND' (or 'parcours SUBCOMMAND --help') for its flags and an example.
Outputs: an aligned table by default, --output json|csv|jsonl|markdown, -o FILE.
Exit status: 0 done, 1 bad data, 2 bad usage.`)
}

func commandUsage(w io.Writer, c *command) {
	fmt.Fprintf(w, "usage: parcours %s %s\n\n%s\n\nexample:\n  %s\n\nflags:\n", c.name, c.args, c.about, c.example)
	fs := flag.NewFlagSet(c.name, flag.ContinueOnError)
	e := &env{}
	e.out.register(fs)
	fs.BoolVar(&e.quiet, "quiet", false, "no progress bar on standard error")
	c.flags(fs, e)
	var names []string
	fs.VisitAll(func(f *flag.Flag) { names = append(names, f.Name) })
	sort.Strings(names)
	for _, n := range names {
		f := fs.Lookup(n)
		typ, usage := flag.UnquoteUsage(f)
		dash := "--"
		if len(n) == 1 {
			dash = "-"
		}
		line := "  " + dash + n
		if typ != "" {
			line += " " + typ
		}
		if f.DefValue != "" && f.DefValue != "false" && f.DefValue != "0" {
			usage += fmt.Sprintf(" (default %s)", f.DefValue)
		}
		fmt.Fprintf(w, "%-28s %s\n", line, usage)
	}
}

// version returns the module version the binary was built from.
func version() string {
	if v := buildVersion(); v != "" {
		return v
	}
	return "(devel)"
}

// isTerminal reports whether w is a terminal (a character device).
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}
