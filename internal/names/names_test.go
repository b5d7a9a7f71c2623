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

func TestAppendRoute(t *testing.T) {
	tab := Borrow([]string{"web", "ads", "email"})
	arena, a := tab.AppendRoute(nil, []uint32{0, 2})
	arena, b := tab.AppendRoute(arena, []uint32{1})
	if !slices.Equal(a, []string{"web", "email"}) || !slices.Equal(b, []string{"ads"}) || len(arena) != 3 {
		t.Fatalf("AppendRoute: %v %v %v", a, b, arena)
	}
	_ = append(a, "x")
	if b[0] != "ads" {
		t.Error("a route must be capped so that appending to it leaves the next one alone")
	}
}

func TestCacheAgreesWithTheTable(t *testing.T) {
	var tab Table
	var c Cache
	words := []string{"web", "email", "", "web", "w", "bew", "email", "sms", "", "web"}
	for _, w := range words {
		id := c.ID(&tab, w)
		if tab.Name(id) != w {
			t.Fatalf("ID(%q) = %d, which names %q", w, id, tab.Name(id))
		}
		if id2 := c.IDBytes(&tab, []byte(w)); id2 != id {
			t.Fatalf("IDBytes(%q) = %d, ID gave %d", w, id2, id)
		}
		if l, ok := tab.Lookup(w); !ok || l != id {
			t.Fatalf("Lookup(%q) = %d, %v", w, l, ok)
		}
	}
	if len(tab.Names) != 6 {
		t.Errorf("%d names, want 6 distinct", len(tab.Names))
	}
	if _, ok := tab.Lookup("nope"); ok {
		t.Error("Lookup of an unknown name")
	}
}
