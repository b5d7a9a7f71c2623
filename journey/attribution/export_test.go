package attribution

// SetMaxRemovalWork sets the work limit of the Markov models until the
// returned function restores it.
func SetMaxRemovalWork(x float64) (restore func()) {
	old := maxRemovalWork
	maxRemovalWork = x
	return func() { maxRemovalWork = old }
}
