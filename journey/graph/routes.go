package graph

import (
	"container/heap"
	"slices"
)

// Route is a walk through a journey graph, from its first state to the
// absorbing state it ends in (both included), with the probability that a
// walk from the first state takes exactly this route.
type Route struct {
	States      []string
	Probability float64
}

// RouteOptions say which routes Routes returns. The zero value returns
// the ten most likely routes from Start to any absorbing state.
type RouteOptions struct {
	// From is the state routes start from; "" means Start.
	From string
	// Into lists the absorbing states routes may end in; nil means any.
	Into []string
	// Max is the most routes returned; 0 means 10.
	Max int
	// Share, if positive, stops once the routes returned carry this share
	// of the probability of ending in Into (all of it for Share ≥ 1):
	// with Into = {Conversion} and Share 0.8, the routes behind 80% of
	// the conversions.
	Share float64
}

// maxRouteNodes bounds the partial routes Routes keeps in its search.
const maxRouteNodes = 1 << 18

// Routes returns the most likely routes, most likely first (ties in the
// order the search finds them, which is deterministic). Routes are walks:
// they may repeat states, as customers who loop do, and each loop taken
// is a distinct route. It returns nil if From is unknown.
//
// It is a best-first search on −log p (uniform-cost search, as Dijkstra's
// algorithm on walks rather than states): partial routes are expanded
// most likely first, so complete routes come out in order of probability.
// Each route found costs the expansion of every partial route more likely
// than it; the search gives up after holding 2¹⁸ partial routes, which
// only happens when the routes asked for are very unlikely, and then
// returns those found. With Share it first solves for the probability of
// ending in Into (see Absorption).
func (g *Graph) Routes(opt RouteOptions) []Route {
	from := opt.From
	if from == "" {
		from = Start
	}
	src, ok := g.Index(from)
	if !ok {
		return nil
	}
	limit := opt.Max
	if limit <= 0 {
		limit = 10
	}
	into := make([]bool, len(g.names))
	for i := range into {
		into[i] = opt.Into == nil && g.IsAbsorbing(i)
	}
	for _, s := range opt.Into {
		if i, ok := g.Index(s); ok && g.IsAbsorbing(i) {
			into[i] = true
		}
	}
	target := 0.0
	if opt.Share > 0 {
		total := 0.0
		if g.IsAbsorbing(src) {
			if into[src] {
				total = 1
			}
		} else {
			total = g.absorptionInto(into)[src]
		}
		target = min(1, opt.Share) * total * (1 - 1e-12)
	}
	type node struct {
		state, parent int32
		p             float64
	}
	nodes := []node{{state: int32(src), parent: -1, p: 1}}
	pq := &routeQueue{}
	heap.Push(pq, routeItem{node: 0, p: 1})
	var out []Route
	carried := 0.0
	for pq.Len() > 0 && len(out) < limit {
		it := heap.Pop(pq).(routeItem)
		nd := nodes[it.node]
		v := nd.state
		if g.IsAbsorbing(int(v)) {
			if !into[v] {
				continue
			}
			var states []string
			for k := it.node; k >= 0; k = nodes[k].parent {
				states = append(states, g.names[nodes[k].state])
			}
			slices.Reverse(states)
			out = append(out, Route{States: states, Probability: nd.p})
			carried += nd.p
			if opt.Share > 0 && carried >= target {
				break
			}
			continue
		}
		if len(nodes) >= maxRouteNodes {
			break
		}
		for k := g.off[v]; k < g.off[v+1]; k++ {
			p := nd.p * g.prob[k]
			if p == 0 {
				continue
			}
			nodes = append(nodes, node{state: g.to[k], parent: it.node, p: p})
			heap.Push(pq, routeItem{node: int32(len(nodes) - 1), p: p})
		}
	}
	return out
}

type routeItem struct {
	node int32
	p    float64
}

// routeQueue is a max-heap on probability; equal probabilities come out
// in the order they went in (node numbers grow), for a deterministic order.
type routeQueue []routeItem

func (q routeQueue) Len() int { return len(q) }
func (q routeQueue) Less(i, j int) bool {
	if q[i].p != q[j].p {
		return q[i].p > q[j].p
	}
	return q[i].node < q[j].node
}
func (q routeQueue) Swap(i, j int) { q[i], q[j] = q[j], q[i] }
func (q *routeQueue) Push(x any)   { *q = append(*q, x.(routeItem)) }
func (q *routeQueue) Pop() any {
	old := *q
	x := old[len(old)-1]
	*q = old[:len(old)-1]
	return x
}
