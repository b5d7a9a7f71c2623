package journey

// reserved reports whether id is one of the special state names (Start,
// Conversion, Exit), or shaped like one.
func reserved(id string) bool { return len(id) > 0 && id[0] == '(' }
