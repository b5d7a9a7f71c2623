// Package markov holds the machinery behind journey graphs: directed graphs
// and sparse matrices in compressed sparse row form, strongly connected
// components, dominators, and an exact solver for the linear systems of an
// absorbing Markov chain.
//
// # The systems
//
// Order the states of an absorbing chain so that the t transient states
// come first. The transition matrix then has the canonical form
//
//	P = | Q  R |
//	    | 0  I |
//
// where Q (t×t) holds the transitions among transient states and R those
// into absorbing states. The fundamental matrix N = (I − Q)⁻¹ gives every
// quantity of interest (J. G. Kemeny and J. L. Snell, Finite Markov Chains,
// 1960, ch. III; C. M. Grinstead and J. L. Snell, Introduction to
// Probability, 2nd ed., 1997, §11.2): N[i][j] is the expected number of
// visits to j from i, N·1 the expected number of steps before absorption,
// and N·R the absorption probabilities. A [Solver] never forms N: it solves
// (I − Q)x = b for a column and (I − Q)ᵀy = b for a row.
//
// # The method
//
// The solver splits the transient states into strongly connected
// components (Tarjan 1972) and solves them one at a time in reverse
// topological order, so that each component sees its successors already
// solved: acyclic parts cost one pass over their edges. A component of
// one state is solved by a division; a component of up to DenseMax states
// by dense Gaussian elimination in the subtraction-free form of Grassmann,
// Taksar and Heyman (1985), which keeps a high relative accuracy on every
// entry, small ones included; a larger component by restarted GMRES (Saad
// and Schultz 1986) preconditioned by the incomplete LU factorisation with
// no fill-in, which exists for the M-matrices I − Q is (Meijerink and van
// der Vorst 1977), iterated until the residual is at the level of rounding.
package markov
