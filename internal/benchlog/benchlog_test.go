package benchlog

import "testing"

func TestLogIsSharedAndWhole(t *testing.T) {
	a := Events(t, 2000)
	if b := Events(t, 2000); a != b {
		t.Error("the same options built two logs")
	}
	if a.Len() < 2000 || a.Customers() == 0 {
		t.Errorf("%d events of %d customers, want at least 2000 events", a.Len(), a.Customers())
	}
}

func TestCPUTime(t *testing.T) {
	d, ok := CPUTime()
	if ok && d <= 0 {
		t.Errorf("cpu time %v", d)
	}
}
