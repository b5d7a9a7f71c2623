// Package layers holds the test that keeps parcours's package graph as
// ARCHITECTURE.md draws it: no package imports one that stands above it, and the
// module depends only on the modules the design allows.
package layers
