package journey_test

import (
	"os"
	"runtime"
	"runtime/pprof"
	"strings"
	"testing"
	"time"

	"github.com/parcours-go/parcours/journey"
)

func TestZZProf(t *testing.T) {
	path := os.Getenv("ZZPROF")
	if path == "" {
		t.Skip()
	}
	evs := events(1e7)
	for _, o := range benchOrders {
		if o.name == os.Getenv("ZZORDER") {
			o.order(evs)
		}
	}
	if os.Getenv("ZZCLONE") != "" {
		for i := range evs {
			e := &evs[i]
			e.Customer = strings.Clone(e.Customer)
			e.Step = strings.Clone(e.Step)
			e.Touchpoint = strings.Clone(e.Touchpoint)
		}
	}
	runtime.GC()
	f, _ := os.Create(path)
	pprof.StartCPUProfile(f)
	for range 3 {
		t0 := time.Now()
		l, err := journey.NewLog(evs)
		if err != nil {
			t.Fatal(err)
		}
		t.Log(time.Since(t0), l.Len())
	}
	pprof.StopCPUProfile()
}
