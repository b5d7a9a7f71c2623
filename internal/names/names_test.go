package names

import (
	"slices"
	"testing"
)

func TestBorrowOwnTranslate(t *testing.T) {
	src := []string{"web", "email", "ads"}
	a := Borrow(src)
	if &a.Names[0] != &src[0] {
		t.Fatal("Borrow must not copy")
	}
	if id := a.ID("email"); id != 1 {
		t.Errorf("ID(email) = %d", id)
	}
	if id := a.ID("sms"); id != 3 || len(src) != 3 {
		t.Errorf("ID(sms) = %d; the borrowed slice must be left alone (len %d)", id, len(src))
	}
	b := Borrow(src)
	var c Table
	c.Adopt(&b)
	if tr := c.Translate(&b); tr != nil {
		t.Errorf("tables sharing names need no translation, got %v", tr)
	}
	tr := a.Translate(&b)
	if !slices.Equal(tr, []uint32{0, 1, 2}) {
		t.Errorf("Translate = %v", tr)
	}
	d := Borrow([]string{"x", "web"})
	if tr := a.Translate(&d); !slices.Equal(tr, []uint32{4, 0}) {
		t.Errorf("Translate adds the names it lacks: %v", tr)
	}
	dup := Borrow([]string{"a", "a"})
	if dup.ID("a") != 0 {
		t.Error("the first of repeated names wins")
	}
}

func TestRanksAndCompare(t *testing.T) {
	tab := Borrow([]string{"web", "ads", "email"})
	rank := tab.Ranks()
	if !slices.Equal(rank, []uint32{2, 0, 1}) {
		t.Fatalf("Ranks = %v", rank)
	}
	for _, tt := range []struct {
		a, b []uint32
		want int
	}{
		{[]uint32{1}, []uint32{0}, -1},      // ads < web
		{[]uint32{0}, []uint32{0, 1}, -1},   // a prefix first
		{[]uint32{2, 0}, []uint32{2, 0}, 0}, // equal
		{[]uint32{0, 2}, []uint32{0, 1}, 1}, // email > ads
	} {
		if got := CompareRoutes(tt.a, tt.b, rank); (got > 0) != (tt.want > 0) || (got < 0) != (tt.want < 0) {
			t.Errorf("CompareRoutes(%v, %v) = %d, want sign of %d", tt.a, tt.b, got, tt.want)
		}
	}
}
