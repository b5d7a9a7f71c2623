package paths

import (
	"context"
	"fmt"

	"github.com/parcours-go/parcours/internal/pathcount"
	"github.com/parcours-go/parcours/journey"
)

// Options say how to read a log's paths. The zero value reads steps, on
// runtime.GOMAXPROCS(0) goroutines, without a deadline.
type Options struct {
	// By says what a path is a sequence of: steps (the zero value),
	// channels or touchpoints. Read by channel or touchpoint, events with
	// no channel (touchpoint) are left out of the path.
	By journey.By
	// Workers is the number of goroutines; 0 means runtime.GOMAXPROCS(0).
	// The result does not depend on it.
	Workers int
	// Context, when not nil, stops the count once it is done: the count
	// then returns Context.Err() and no aggregate.
	Context context.Context
}

// view returns the columns of l the options read, with routes cut before
// the first goal event when goal is not nil.
func (o Options) view(l *journey.Log, goal func(journey.Event) bool) (*pathcount.View, error) {
	if err := o.err(); err != nil {
		return nil, err
	}
	var g any
	if goal != nil {
		g = goal
	}
	v := pathcount.Of(l, uint8(o.By), g)
	v.Ctx = o.Context
	return v, nil
}

// err returns the error of a done context, or of a bad By.
func (o Options) err() error {
	if o.Context != nil {
		if err := o.Context.Err(); err != nil {
			return err
		}
	}
	if o.By > journey.ByTouchpoint {
		return fmt.Errorf("paths: %w %d", journey.ErrUnknownBy, o.By)
	}
	return nil
}

// done returns the aggregate a, or the error of a context that was done
// while a was counted.
func done[T any](o Options, a *T) (*T, error) {
	if o.Context != nil {
		if err := o.Context.Err(); err != nil {
			return nil, err
		}
	}
	return a, nil
}
