package markov

// Dominators returns the immediate dominator of every node of g reachable
// from root: idom[v] is the last node other than v that every path from
// root to v goes through; idom[root] is root and an unreachable node has
// -1. It follows K. D. Cooper, T. J. Harvey and K. Kennedy, "A Simple,
// Fast Dominance Algorithm", Software Practice & Experience 4, 2001: an
// iterative data-flow solution over the nodes in reverse postorder, which
// takes O(n + m) time per pass and few passes on the graphs of journeys
// (O(n²) in the worst case).
func Dominators(g *CSR, root int) []int32 {
	n := g.N()
	idom := make([]int32, n)
	for i := range idom {
		idom[i] = -1
	}
	if root < 0 || root >= n {
		return idom
	}
	// Postorder numbers by an iterative depth-first search.
	post := make([]int32, n)
	for i := range post {
		post[i] = -1
	}
	seen := make([]bool, n)
	var order []int32 // nodes in postorder
	type frame struct{ v, next int32 }
	call := []frame{{int32(root), g.Off[root]}}
	seen[root] = true
	for len(call) > 0 {
		f := &call[len(call)-1]
		if f.next < g.Off[f.v+1] {
			w := g.Col[f.next]
			f.next++
			if !seen[w] {
				seen[w] = true
				call = append(call, frame{w, g.Off[w]})
			}
			continue
		}
		post[f.v] = int32(len(order))
		order = append(order, f.v)
		call = call[:len(call)-1]
	}
	preds := g.Transpose()
	intersect := func(a, b int32) int32 {
		for a != b {
			for post[a] < post[b] {
				a = idom[a]
			}
			for post[b] < post[a] {
				b = idom[b]
			}
		}
		return a
	}
	idom[root] = int32(root)
	for changed := true; changed; {
		changed = false
		for k := len(order) - 1; k >= 0; k-- { // reverse postorder
			b := order[k]
			if int(b) == root {
				continue
			}
			newIdom := int32(-1)
			for _, p := range preds.Col[preds.Off[b]:preds.Off[b+1]] {
				if idom[p] == -1 {
					continue // not yet processed, or unreachable
				}
				if newIdom == -1 {
					newIdom = p
				} else {
					newIdom = intersect(p, newIdom)
				}
			}
			if idom[b] != newIdom {
				idom[b] = newIdom
				changed = true
			}
		}
	}
	return idom
}

// Reach marks the nodes reachable from the given sources (the sources
// included), following edges for which follow (when not nil) is true.
// It takes O(n + m) time.
func Reach(g *CSR, sources []int32, follow func(k int32) bool) []bool {
	seen := make([]bool, g.N())
	stack := make([]int32, 0, len(sources))
	for _, s := range sources {
		if !seen[s] {
			seen[s] = true
			stack = append(stack, s)
		}
	}
	for len(stack) > 0 {
		v := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		for k := g.Off[v]; k < g.Off[v+1]; k++ {
			if follow != nil && !follow(k) {
				continue
			}
			if w := g.Col[k]; !seen[w] {
				seen[w] = true
				stack = append(stack, w)
			}
		}
	}
	return seen
}
