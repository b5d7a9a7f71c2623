package main

import (
	"errors"
	"flag"
	"fmt"
	"os"
	"strings"

	"github.com/parcours-go/parcours/journey"
)

var validateCommand = &command{
	name:    "validate",
	args:    "MAP",
	summary: "every problem of a journey map, each with its path",
	about: `Reads a journey map (JSON) and checks it: its JSON (unknown fields, values of
the wrong type) and its design (missing or duplicate ids, references that do
not resolve, probabilities out of range, unreachable steps). Every problem is
listed, each with the path to the bad field. The exit status is 0 for a valid
map and 1 for a map with problems.`,
	example: "parcours validate shoeshop.json",
	minArgs: 1, maxArgs: 1,
	flags: func(fs *flag.FlagSet, e *env) func([]string) error {
		return func(args []string) error {
			m, err := readMap(args[0])
			var me *mapError
			if err != nil && !errors.As(err, &me) {
				return err
			}
			r := &result{command: "validate"}
			r.add("map", "map", kText, args[0])
			r.add("valid", "valid", kBool, err == nil)
			if m != nil {
				r.add("name", "name", kText, m.Name)
				r.add("stages", "stages", kInt, len(m.Stages))
				r.add("steps", "steps", kInt, len(m.Steps))
				r.add("personas", "personas", kInt, len(m.Personas))
			}
			t := r.newTable("problems", "problems", column{"problem", "problem", kText})
			if me != nil {
				for _, p := range me.problems {
					t.add(p)
				}
				r.add("problem_count", "problems", kInt, len(me.problems))
			} else {
				r.add("problem_count", "problems", kInt, 0)
			}
			if werr := e.write(r); werr != nil {
				return werr
			}
			if me != nil {
				return &silentError{fmt.Sprintf("%s: %s", args[0], plural(len(me.problems), "problem"))}
			}
			return nil
		}
	},
}

// mapError is a map that does not read or validate: its problems, one
// per line.
type mapError struct {
	path     string
	problems []string
	err      error
}

func (e *mapError) Error() string {
	if len(e.problems) == 1 {
		return e.path + ": " + e.problems[0]
	}
	return fmt.Sprintf("%s: %s: %s", e.path, plural(len(e.problems), "problem"), strings.Join(e.problems, "; "))
}

func (e *mapError) Unwrap() error { return e.err }

// silentError is a failure already explained in the output: its message
// goes to standard error, and the exit status is 1.
type silentError struct{ msg string }

func (e *silentError) Error() string { return e.msg }

// readMap reads and validates the journey map at path.
func readMap(path string) (*journey.Map, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	m, err := journey.ReadMap(f)
	if err != nil {
		var problems []string
		for _, line := range strings.Split(err.Error(), "\n") {
			if line = strings.TrimSpace(line); line != "" {
				problems = append(problems, line)
			}
		}
		return nil, &mapError{path: path, problems: problems, err: err}
	}
	return m, nil
}

// plural writes n and the noun, in the plural unless n is 1.
func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}
