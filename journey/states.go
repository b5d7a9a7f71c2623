package journey

// Names of the states every journey graph has besides its steps. They are
// written in parentheses so they cannot clash with a step id: a Map rejects
// step ids that start with "(".
const (
	Start      = "(start)"      // where every walk begins
	Conversion = "(conversion)" // absorbing: the goal was reached
	Exit       = "(exit)"       // absorbing: the customer left
)

// reserved reports whether id is one of the special state names, or shaped
// like one.
func reserved(id string) bool { return len(id) > 0 && id[0] == '(' }
