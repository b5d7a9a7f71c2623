package persona

import "github.com/parcours-go/parcours/internal/verr"

// Emotion scores how a persona feels at a step, on a five-point scale from
// MinEmotion (very negative) to MaxEmotion (very positive); the zero value
// is neutral. Plotted step after step, the scores are a journey map's
// emotion curve.
type Emotion int

// The ends of the emotion scale.
const (
	MinEmotion Emotion = -2
	MaxEmotion Emotion = 2
)

// IsValid reports whether e lies on the scale.
func (e Emotion) IsValid() bool { return e >= MinEmotion && e <= MaxEmotion }

// Score5 maps e onto the 1–5 scale of journey diagrams such as Mermaid's
// (MinEmotion is 1, neutral 3, MaxEmotion 5).
func (e Emotion) Score5() int { return int(e - MinEmotion + 1) }

// Empathy is one entry of a persona's empathy map: what the persona thinks,
// feels, says and does at a journey step, its pains and gains there, and its
// emotion score.
type Empathy struct {
	Step    string   `json:"step"` // the journey step's id
	Thinks  []string `json:"thinks,omitempty"`
	Feels   []string `json:"feels,omitempty"`
	Says    []string `json:"says,omitempty"`
	Does    []string `json:"does,omitempty"`
	Pains   []string `json:"pains,omitempty"`
	Gains   []string `json:"gains,omitempty"`
	Emotion Emotion  `json:"emotion"`
}

// Validate reports an empty step and an emotion off the scale.
func (e Empathy) Validate() error {
	var l verr.List
	if e.Step == "" {
		l.Addf("step", "empty")
	}
	if !e.Emotion.IsValid() {
		l.Addf("emotion", "%d is off the scale [%d, %d]", e.Emotion, MinEmotion, MaxEmotion)
	}
	return l.Err()
}
