package parcoursbeam

import (
	"github.com/apache/beam/sdks/v2/go/pkg/beam"
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

func init() {
	beam.RegisterCoder(reflectTypeOf[*paths.Variants](), encodeVariants, decodeVariants)
	beam.RegisterCoder(reflectTypeOf[*paths.Follows](), encodeFollows, decodeFollows)
}
