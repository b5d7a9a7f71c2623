// Package par runs work on several goroutines and returns the results in a
// fixed order, so that parallel analyses give exactly the sequential answer.
package par

import (
	"runtime"
	"sync"
)

// Workers resolves a worker count for n units of work: 0 or less means
// runtime.GOMAXPROCS(0); the result is at least 1 and at most n (when n > 0).
func Workers(workers, n int) int {
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	if n > 0 {
		workers = min(workers, n)
	}
	return max(1, workers)
}

// Each runs f(0) … f(n-1) on n goroutines (on the calling one when n is 1)
// and returns their results in index order.
func Each[T any](n int, f func(i int) T) []T {
	out := make([]T, n)
	if n == 1 {
		out[0] = f(0)
		return out
	}
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			out[i] = f(i)
		}()
	}
	wg.Wait()
	return out
}

// Ranges runs f over the ranges [bounds[i], bounds[i+1]), one goroutine
// each, and returns the results in range order.
func Ranges[T any](bounds []int, f func(lo, hi int) T) []T {
	return Each(len(bounds)-1, func(i int) T { return f(bounds[i], bounds[i+1]) })
}

// CacheLine is the span of memory that keeps two goroutines' writes
// apart: two lines of 64 bytes, as some processors fetch lines in pairs.
// A struct whose fields two goroutines write at once puts
// _ [CacheLine]byte between the fields of each, so that their writes do
// not take the same line from each other's processor.
const CacheLine = 128
