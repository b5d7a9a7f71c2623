package journey

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/parcours-go/parcours/internal/eventfmt"
)

// TestReadInTwoStages reads the same JSON Lines, with bad rows among good
// ones, in one stage and in two (where logSink interns the names on the
// parsing goroutine): both logs must be the log of the good rows, and both
// reads must report the same bad rows. Run with -race, it also checks that
// the two halves of logSink share nothing.
func TestReadInTwoStages(t *testing.T) {
	if runtime.GOMAXPROCS(0) < 2 {
		defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(2))
	}
	r := rand.New(rand.NewPCG(5, 6))
	for _, order := range []string{"grouped", "timeordered", "shuffled"} {
		evs := orderedEvents(r, 30000, 3000, order)
		var in bytes.Buffer
		for i, e := range evs {
			switch i % 997 {
			case 5:
				in.WriteString(`{"customer":"bad","time":"2024-01-01T00:00:00Z"}` + "\n") // no step
			case 7:
				in.WriteString(`{"customer":"","time":"2024-01-01T00:00:00Z","step":"visit"}` + "\n")
			}
			line := map[string]any{"customer": e.Customer, "time": e.Time.Format(time.RFC3339Nano), "step": e.Step}
			if e.Channel != "" {
				line["channel"] = e.Channel
			}
			if e.Touchpoint != "" {
				line["touchpoint"] = e.Touchpoint
			}
			if e.Value != 0 {
				line["value"] = e.Value
			}
			if len(e.Props) > 0 {
				line["props"] = e.Props
			}
			b, err := json.Marshal(line)
			if err != nil {
				t.Fatal(err)
			}
			in.Write(append(b, '\n'))
		}
		want := buildRef(evs)
		var bad [2][]string
		for k, one := range []bool{true, false} {
			opt := eventfmt.ReadOptions{OneStage: one, BadRow: func(re *eventfmt.RowError) error {
				bad[k] = append(bad[k], fmt.Sprintf("%d@%d: %v", re.Line, re.Offset, re.Err))
				return nil
			}}
			v, err := eventfmt.ReadJSONL(bytes.NewReader(in.Bytes()), opt, eventfmt.NewSink())
			if err != nil {
				t.Fatal(err)
			}
			checkRef(t, fmt.Sprintf("%s, one stage %v", order, one), want, v.(*Log))
		}
		if len(bad[0]) == 0 || strings.Join(bad[0], "\n") != strings.Join(bad[1], "\n") {
			t.Fatalf("%s: bad rows in one stage:\n%s\nin two:\n%s", order, strings.Join(bad[0], "\n"), strings.Join(bad[1], "\n"))
		}
	}
}
