package eventfmt

import (
	"bytes"
	"fmt"
	"testing"
)

type countSink struct{ n int }

func (s *countSink) AddRow(r *Row) error { s.n += len(r.Customer); return nil }
func (s *countSink) Build() (any, error) { return s.n, nil }

func BenchmarkStages(b *testing.B) {
	var in bytes.Buffer
	in.WriteString("customer,time,step,channel\n")
	for i := range 1_000_000 {
		fmt.Fprintf(&in, "customer%07d,2024-01-%02d 10:%02d:%02d,step%d,web\n", i%100000, 1+i%28, i/60%60, i%60, i%7)
	}
	for _, one := range []bool{true, false} {
		b.Run(fmt.Sprintf("onestage=%v", one), func(b *testing.B) {
			for range b.N {
				if _, err := ReadCSV(bytes.NewReader(in.Bytes()), ReadOptions{OneStage: one}, &countSink{}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
