// Package verr collects validation problems, each prefixed with the path to
// the bad field, and joins them into one error.
//
// Paths read from the outside in, separated by ": ", as in
//
//	map "shoes": steps[3] "checkout": touchpoints[0]: unknown touchpoint "cart"
//
// Every problem keeps its wrapped sentinel, so errors.Is sees through the
// joined error.
package verr

import (
	"errors"
	"fmt"
	"strconv"
)

// List accumulates problems. The zero value is an empty list ready to use.
type List struct {
	errs []error
}

// Add records err under path. A nil err is ignored. An error made by
// errors.Join (or by Err) is flattened: each of its parts is recorded
// under path, so nested validation stays one flat list. An empty path adds
// the error unprefixed.
func (l *List) Add(path string, err error) {
	if err == nil {
		return
	}
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		if _, isWrap := err.(*prefixed); !isWrap {
			for _, e := range j.Unwrap() {
				l.Add(path, e)
			}
			return
		}
	}
	if path == "" {
		l.errs = append(l.errs, err)
		return
	}
	l.errs = append(l.errs, &prefixed{path: path, err: err})
}

// Addf records a new error, formatted as by fmt.Errorf (so %w wraps), under path.
func (l *List) Addf(path, format string, args ...any) {
	l.Add(path, fmt.Errorf(format, args...))
}

// Len reports how many problems were recorded.
func (l *List) Len() int { return len(l.errs) }

// Err returns the problems joined with errors.Join, or nil if there are none.
func (l *List) Err() error {
	if len(l.errs) == 0 {
		return nil
	}
	return errors.Join(l.errs...)
}

// Prefix returns err with every joined part prefixed by path, or nil if err is nil.
func Prefix(path string, err error) error {
	var l List
	l.Add(path, err)
	return l.Err()
}

// prefixed is one problem with its path. It unwraps to the underlying error.
type prefixed struct {
	path string
	err  error
}

func (p *prefixed) Error() string { return p.path + ": " + p.err.Error() }
func (p *prefixed) Unwrap() error { return p.err }

// Item names element i of a list in an error path, with its id when it has
// one: `touchpoints[3] "cart"`, or `touchpoints[3]`.
func Item(list string, i int, id string) string {
	p := list + "[" + strconv.Itoa(i) + "]"
	if id != "" {
		p += " " + strconv.Quote(id)
	}
	return p
}
