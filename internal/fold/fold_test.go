package fold

import "testing"

func TestKey(t *testing.T) {
	tests := []struct {
		in, want string
		reason   string
	}{
		{"Considération", "consideration", "accents and case are folded"},
		{"CONNEXION", "connexion", "upper case is folded"},
		{"e-mail", "email", "punctuation is dropped"},
		{"Centre d'appel", "centredappel", "spaces and apostrophes are dropped"},
		{"Fidélisation", "fidelisation", "é becomes e"},
		{"Cœur", "coeur", "ligatures are expanded"},
		{"B2B", "b2b", "digits are kept"},
		{"", "", "empty stays empty"},
		{"\xff\xfe", "", "invalid UTF-8 is dropped"},
	}
	for _, tt := range tests {
		if got := Key(tt.in); got != tt.want {
			t.Errorf("Key(%q) = %q, want %q (%s)", tt.in, got, tt.want, tt.reason)
		}
	}
}
