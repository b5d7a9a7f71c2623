package verr

import (
	"errors"
	"testing"
)

var errBad = errors.New("bad")

func TestListFlattensAndPrefixes(t *testing.T) {
	var inner List
	inner.Addf("touchpoints[0]", "unknown department %q: %w", "ops", errBad)
	inner.Addf("name", "empty")

	var outer List
	outer.Add(`steps[3] "checkout"`, inner.Err())
	outer.Add("ignored", nil)
	err := Prefix(`map "shoes"`, outer.Err())

	want := `map "shoes": steps[3] "checkout": touchpoints[0]: unknown department "ops": bad` + "\n" +
		`map "shoes": steps[3] "checkout": name: empty`
	if err == nil || err.Error() != want {
		t.Fatalf("got\n%v\nwant\n%s", err, want)
	}
	if !errors.Is(err, errBad) {
		t.Error("errors.Is does not see the wrapped sentinel through the joined, prefixed error")
	}
	parts := err.(interface{ Unwrap() []error }).Unwrap()
	if len(parts) != 2 {
		t.Errorf("got %d parts, want 2: nested lists must flatten", len(parts))
	}
}

func TestEmptyListIsNil(t *testing.T) {
	var l List
	if l.Err() != nil || l.Len() != 0 {
		t.Fatal("an empty list must give a nil error")
	}
	if Prefix("x", nil) != nil {
		t.Fatal("Prefix(nil) must be nil")
	}
	l.Add("", errBad)
	if l.Err().Error() != "bad" {
		t.Fatalf("empty path must not prefix: %v", l.Err())
	}
}
