package parcoursbeam

import (
	"github.com/apache/beam/sdks/v2/go/pkg/beam"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/register"
	"github.com/parcours-go/parcours/funnel"
	"github.com/parcours-go/parcours/journey/attribution"
	"github.com/parcours-go/parcours/journey/graph"
	"github.com/parcours-go/parcours/journey/paths"
)

// The partial aggregates cross workers in the core's own binary encoding
// (MarshalBinary, UnmarshalBinary): compact, versioned and checked when
// decoded. Each coder is a pair of named functions, as Beam registers
// functions by name.

func encodeVariants(v *paths.Variants) ([]byte, error) { return v.MarshalBinary() }
func decodeVariants(b []byte) (*paths.Variants, error) {
	v := new(paths.Variants)
	return v, v.UnmarshalBinary(b)
}

func encodeFollows(v *paths.Follows) ([]byte, error) { return v.MarshalBinary() }
func decodeFollows(b []byte) (*paths.Follows, error) {
	v := new(paths.Follows)
	return v, v.UnmarshalBinary(b)
}

func encodeCounts(v *graph.Counts) ([]byte, error) { return v.MarshalBinary() }
func decodeCounts(b []byte) (*graph.Counts, error) {
	v := new(graph.Counts)
	return v, v.UnmarshalBinary(b)
}

func encodeTable(v *attribution.Table) ([]byte, error) { return v.MarshalBinary() }
func decodeTable(b []byte) (*attribution.Table, error) {
	v := new(attribution.Table)
	return v, v.UnmarshalBinary(b)
}

func encodeReport(v *funnel.Report) ([]byte, error) { return v.MarshalBinary() }
func decodeReport(b []byte) (*funnel.Report, error) {
	v := new(funnel.Report)
	return v, v.UnmarshalBinary(b)
}

func init() {
	register.Function1x2(encodeVariants)
	register.Function1x2(decodeVariants)
	register.Function1x2(encodeFollows)
	register.Function1x2(decodeFollows)
	register.Function1x2(encodeCounts)
	register.Function1x2(decodeCounts)
	register.Function1x2(encodeTable)
	register.Function1x2(decodeTable)
	register.Function1x2(encodeReport)
	register.Function1x2(decodeReport)
	beam.RegisterCoder(reflectTypeOf[*graph.Counts](), encodeCounts, decodeCounts)
	beam.RegisterCoder(reflectTypeOf[*attribution.Table](), encodeTable, decodeTable)
	beam.RegisterCoder(reflectTypeOf[*funnel.Report](), encodeReport, decodeReport)
	beam.RegisterCoder(reflectTypeOf[*paths.Variants](), encodeVariants, decodeVariants)
	beam.RegisterCoder(reflectTypeOf[*paths.Follows](), encodeFollows, decodeFollows)
}
