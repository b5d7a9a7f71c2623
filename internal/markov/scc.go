package markov

// Components are the strongly connected components of a directed graph,
// listed in reverse topological order: every edge that leaves a component
// goes to a component listed before it. Component c holds the nodes
// Nodes[Start[c]:Start[c+1]], and Of[v] is the component of node v.
type Components struct {
	Of    []int32
	Nodes []int32
	Start []int32
}

// Len returns the number of components.
func (c *Components) Len() int { return max(0, len(c.Start)-1) }

// Members returns the nodes of component i.
func (c *Components) Members(i int) []int32 { return c.Nodes[c.Start[i]:c.Start[i+1]] }

// SCC returns the strongly connected components of g, found by Tarjan's
// algorithm (R. E. Tarjan, "Depth-first search and linear graph
// algorithms", SIAM J. Comput. 1(2), 1972), written without recursion so
// that deep graphs do not exhaust the stack. Tarjan's algorithm completes
// a component only after every component it reaches, which is the reverse
// topological order. It takes O(n + m) time.
func SCC(g *CSR) Components {
	n := g.N()
	const unvisited = -1
	index := make([]int32, n)
	low := make([]int32, n)
	onStack := make([]bool, n)
	for i := range index {
		index[i] = unvisited
	}
	out := Components{Of: make([]int32, n), Nodes: make([]int32, 0, n), Start: []int32{0}}
	var stack []int32 // Tarjan's stack of nodes
	type frame struct {
		v    int32
		next int32 // next edge of v to follow
	}
	var call []frame
	counter := int32(0)
	for root := range n {
		if index[root] != unvisited {
			continue
		}
		call = append(call, frame{v: int32(root), next: g.Off[root]})
		index[root], low[root] = counter, counter
		counter++
		stack = append(stack, int32(root))
		onStack[root] = true
		for len(call) > 0 {
			f := &call[len(call)-1]
			v := f.v
			if f.next < g.Off[v+1] {
				w := g.Col[f.next]
				f.next++
				switch {
				case index[w] == unvisited:
					index[w], low[w] = counter, counter
					counter++
					stack = append(stack, w)
					onStack[w] = true
					call = append(call, frame{v: w, next: g.Off[w]})
				case onStack[w]:
					low[v] = min(low[v], index[w])
				}
				continue
			}
			// v is done: pop its component if it is a root, then return to the caller.
			if low[v] == index[v] {
				c := int32(len(out.Start) - 1)
				for {
					w := stack[len(stack)-1]
					stack = stack[:len(stack)-1]
					onStack[w] = false
					out.Of[w] = c
					out.Nodes = append(out.Nodes, w)
					if w == v {
						break
					}
				}
				out.Start = append(out.Start, int32(len(out.Nodes)))
			}
			call = call[:len(call)-1]
			if len(call) > 0 {
				u := call[len(call)-1].v
				low[u] = min(low[u], low[v])
			}
		}
	}
	return out
}
