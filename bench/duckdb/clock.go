package main

import (
	"bufio"
	"bytes"
	"os"
	"strconv"
	"time"
)

// phaseClock times the phases of a run, in wall time and in CPU time of
// the whole process (every thread, DuckDB's and the Go runtime's).
type phaseClock struct {
	times   map[string]Timing
	wall0   time.Time
	cpu0    time.Duration
	loadRSS int64 // the peak resident memory once loaded
}

func newClock() *phaseClock { return &phaseClock{times: map[string]Timing{}} }

func (c *phaseClock) start() {
	c.wall0 = time.Now()
	c.cpu0 = cpuTime()
}

func (c *phaseClock) stop(phase string) {
	c.times[phase] = Timing{Wall: time.Since(c.wall0), CPU: cpuTime() - c.cpu0}
	if phase == phaseLoad {
		c.loadRSS = peakRSS()
	}
}

// peakRSS returns the process's peak resident set size (VmHWM in
// /proc/self/status), in bytes, or 0 where the system does not tell.
func peakRSS() int64 {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	sc := bufio.NewScanner(bytes.NewReader(b))
	for sc.Scan() {
		if rest, ok := bytes.CutPrefix(sc.Bytes(), []byte("VmHWM:")); ok {
			f := bytes.Fields(rest)
			if len(f) == 2 && string(f[1]) == "kB" {
				kb, err := strconv.ParseInt(string(f[0]), 10, 64)
				if err == nil {
					return kb << 10
				}
			}
		}
	}
	return 0
}
