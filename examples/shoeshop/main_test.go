package main

import (
	"bytes"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestRunPrintsTheContactMap(t *testing.T) {
	var out bytes.Buffer
	if err := run(nil, &out); err != nil {
		t.Fatal(err)
	}
	got := out.String()
	if !strings.HasPrefix(got, "shoeshop: 5 stages, 16 steps, 34 touchpoints, 9 departments\n") {
		t.Errorf("header: %q", strings.SplitN(got, "\n", 2)[0])
	}
	lines := strings.Split(strings.TrimSpace(got), "\n")
	// header, blank, column titles, then one row per (step, touchpoint) pair.
	if rows := len(lines) - 3; rows != 35 {
		t.Errorf("%d rows, want 35 (one per touchpoint placed at a step)", rows)
	}
	for _, want := range []string{
		"Wants to buy shoes", "Calls the hotline", "Uses a $10 coupon for a new purchase",
		"Hotline employee", "Return address label", "Customer care", "Logistics service providers",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("output lacks %q", want)
		}
	}
}

func TestRunReportsEveryBreakOfABrokenMap(t *testing.T) {
	err := run([]string{"-map", "testdata/broken.json"}, &bytes.Buffer{})
	if err == nil {
		t.Fatal("the broken map was accepted")
	}
	want := []string{
		`map "shoeshop-broken": steps[3] "checkout": touchpoints[0]: unknown touchpoint "basket"`,
		`map "shoeshop-broken": steps[5] "awaits-parcel": stage: unknown stage "delivery"`,
		`map "shoeshop-broken": steps[7] "tries-shoes": emotion: -5 is off the scale [-2, 2]`,
		`map "shoeshop-broken": transitions[28] "rates" -> "refund": to: unknown step "refund"`,
		`map "shoeshop-broken": transitions from "browses-eshop": probabilities sum to 1.05, more than 1`,
		`map "shoeshop-broken": catalog: touchpoints[16] "shipping-updates": owner: unknown department "ops"`,
		`map "shoeshop-broken": personas: shares sum to 1.15, more than 1`,
	}
	if diff := cmp.Diff(want, strings.Split(err.Error(), "\n")); diff != "" {
		t.Errorf("errors (-want +got):\n%s", diff)
	}
}

func TestRunReachabilityOfTheBrokenMap(t *testing.T) {
	// Reachability is checked once every reference resolves: mend the
	// references of the broken map and the unreachable step remains.
	data, err := readFile("testdata/broken.json")
	if err != nil {
		t.Fatal(err)
	}
	for old, repl := range map[string]string{`"basket"`: `"cart"`, `"delivery"`: `"service"`, `-5`: `-1`, `"to": "refund"`: `"to": "(exit)"`, `"probability": 0.9`: `"probability": 0.3`, `"ops"`: `"logistics"`, `"share": 0.7`: `"share": 0.5`} {
		data = bytes.Replace(data, []byte(old), []byte(repl), 1)
	}
	err = runMap(data, &bytes.Buffer{})
	want := `map "shoeshop-broken": steps[16] "dead-end": unreachable: no route from (start) leads here`
	if err == nil || err.Error() != want {
		t.Errorf("got %v\nwant %s", err, want)
	}
}

func TestRunBadFlags(t *testing.T) {
	if err := run([]string{"-map", "testdata/none.json"}, &bytes.Buffer{}); err == nil {
		t.Error("a missing file must be an error")
	}
	if err := run([]string{"-nope"}, &bytes.Buffer{}); err == nil {
		t.Error("an unknown flag must be an error")
	}
}
