package journey

import (
	"errors"
	"regexp"
	"regexp/syntax"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/parcours-go/parcours/touchpoint"
)

func TestCleanByHand(t *testing.T) {
	l := pathsShopLog(t)
	tests := []struct {
		name   string
		reason string
		opt    CleanOptions
		want   []string
	}{
		{
			name:   "nothing",
			reason: "the zero options change nothing",
			want: []string{
				"ann: visit search visit cart buy visit visit", "bob: visit cart cart help", "cid: search buy",
				"dan: visit", "eve: buy visit", "fay: search buy", "gil: search",
			},
		},
		{
			name:   "collapse",
			reason: "ann's last two visits and bob's two carts are runs; ann's visit, search, visit is not",
			opt:    CleanOptions{Collapse: true},
			want: []string{
				"ann: visit search visit cart buy visit", "bob: visit cart help", "cid: search buy",
				"dan: visit", "eve: buy visit", "fay: search buy", "gil: search",
			},
		},
		{
			name:   "rename many to one",
			reason: "visit and search both become browse",
			opt:    CleanOptions{Rename: map[string]string{"visit": "browse", "search": "browse"}},
			want: []string{
				"ann: browse browse browse cart buy browse browse", "bob: browse cart cart help", "cid: browse buy",
				"dan: browse", "eve: buy browse", "fay: browse buy", "gil: browse",
			},
		},
		{
			name:   "rename, then collapse",
			reason: "runs are found after renaming: ann's visit, search, visit becomes one browse",
			opt:    CleanOptions{Rename: map[string]string{"visit": "browse", "search": "browse"}, Collapse: true},
			want: []string{
				"ann: browse cart buy browse", "bob: browse cart help", "cid: browse buy",
				"dan: browse", "eve: buy browse", "fay: browse buy", "gil: browse",
			},
		},
		{
			name:   "drop",
			reason: "help and search events go; gil, who only searched, leaves the log",
			opt:    CleanOptions{Drop: []string{"help", "search", "never-seen"}},
			want: []string{
				"ann: visit visit cart buy visit visit", "bob: visit cart cart", "cid: buy",
				"dan: visit", "eve: buy visit", "fay: buy",
			},
		},
		{
			name:   "drop, then collapse",
			reason: "dropping search makes ann's visits consecutive, so they collapse",
			opt:    CleanOptions{Drop: []string{"search"}, Collapse: true},
			want: []string{
				"ann: visit cart buy visit", "bob: visit cart help", "cid: buy",
				"dan: visit", "eve: buy visit", "fay: buy",
			},
		},
		{
			name:   "drop applies to new names",
			reason: "cart and buy become checkout, which is dropped",
			opt:    CleanOptions{Rename: map[string]string{"cart": "checkout", "buy": "checkout"}, Drop: []string{"checkout"}},
			want: []string{
				"ann: visit search visit visit visit", "bob: visit help", "cid: search",
				"dan: visit", "eve: visit", "fay: search", "gil: search",
			},
		},
		{
			name:   "pattern",
			reason: "the pattern matches whole names: s.* takes search but not visit, whose s is inside",
			opt:    CleanOptions{Patterns: []RenamePattern{{Pattern: "s.*", To: "S"}, {Pattern: "(v|c).*", To: "VC"}}},
			want: []string{
				"ann: VC S VC VC buy VC VC", "bob: VC VC VC help", "cid: S buy",
				"dan: VC", "eve: buy VC", "fay: S buy", "gil: S",
			},
		},
		{
			name:   "exact names before patterns, first pattern first",
			reason: "cart is renamed exactly, so no pattern sees it; visit matches both patterns and takes the first",
			opt: CleanOptions{
				Rename:   map[string]string{"cart": "basket"},
				Patterns: []RenamePattern{{Pattern: "v.*", To: "V"}, {Pattern: ".*t", To: "T"}},
			},
			want: []string{
				"ann: V search V basket buy V V", "bob: V basket basket help", "cid: search buy",
				"dan: V", "eve: buy V", "fay: search buy", "gil: search",
			},
		},
		{
			name:   "keep protects events",
			reason: "dropping buy and collapsing would remove ann's buy and her second visit in a row; Keep saves buys only",
			opt:    CleanOptions{Drop: []string{"buy", "help"}, Collapse: true, Keep: isStep("buy")},
			want: []string{
				"ann: visit search visit cart buy visit", "bob: visit cart", "cid: search buy",
				"dan: visit", "eve: buy visit", "fay: search buy", "gil: search",
			},
		},
		{
			name:   "renames do not chain",
			reason: "visit becomes cart and cart becomes buy; the new cart is not renamed again",
			opt:    CleanOptions{Rename: map[string]string{"visit": "cart", "cart": "buy"}},
			want: []string{
				"ann: cart search cart buy buy cart cart", "bob: cart buy buy help", "cid: search buy",
				"dan: cart", "eve: buy cart", "fay: search buy", "gil: search",
			},
		},
	}
	for _, tt := range tests {
		c, err := l.Clean(tt.opt)
		if err != nil {
			t.Fatalf("%s: %v", tt.name, err)
		}
		var got []string
		for p := range c.Paths() {
			var steps []string
			for _, e := range p.Events {
				steps = append(steps, e.Step)
			}
			got = append(got, p.Customer+": "+strings.Join(steps, " "))
		}
		if diff := cmp.Diff(tt.want, got); diff != "" {
			t.Errorf("%s (%s) (-want +got):\n%s", tt.name, tt.reason, diff)
		}
	}
	// The original log is unchanged.
	if diff := cmp.Diff(shopEvents(), l.Events(), equateEmptyProps); diff != "" {
		t.Errorf("Clean changed its log (-want +got):\n%s", diff)
	}
}

// TestCleanByChannel: channels are renamed and collapsed; events with no
// channel stay, untouched, and do not break a run.
func TestCleanByChannel(t *testing.T) {
	l, _ := NewLog([]Event{
		{Customer: "a", Time: at(0), Step: "x", Channel: touchpoint.Web},
		{Customer: "a", Time: at(1), Step: "y"},
		{Customer: "a", Time: at(2), Step: "z", Channel: touchpoint.App},
		{Customer: "a", Time: at(3), Step: "w", Channel: touchpoint.Email},
	})
	c, err := l.Clean(CleanOptions{
		By:       ByChannel,
		Patterns: []RenamePattern{{Pattern: ".*", To: "digital"}},
		Rename:   map[string]string{"email": "email"},
		Collapse: true,
	})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for e := range c.All() {
		got = append(got, e.Step+"/"+string(e.Channel))
	}
	want := []string{"x/digital", "y/", "w/email"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	if v := c.Variants(ByChannel); len(v) != 1 || !slices.Equal(v[0].Route, []string{"digital", "email"}) {
		t.Errorf("variants of the cleaned log: %v", v)
	}
}

func TestCleanErrors(t *testing.T) {
	l := pathsShopLog(t)
	_, err := l.Clean(CleanOptions{
		Rename:   map[string]string{"visit": "", "buy": "", "cart": "basket"},
		Patterns: []RenamePattern{{Pattern: "a(", To: "x"}, {Pattern: "ok", To: "y"}, {Pattern: "b+", To: ""}},
	})
	want := []string{
		`journey: clean: patterns[0] "a(": error parsing regexp: missing closing ): ` + "`a(`",
		`journey: clean: patterns[2] "b+": renames steps to the empty string`,
		`journey: clean: rename "buy": renames a step to the empty string`,
		`journey: clean: rename "visit": renames a step to the empty string`,
	}
	if err == nil {
		t.Fatal("no error")
	}
	if diff := cmp.Diff(want, strings.Split(err.Error(), "\n")); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	var re *syntax.Error
	if !errors.As(err, &re) {
		t.Error("the regexp error is not wrapped")
	}
	// Renaming a channel to the empty string is allowed: the events lose
	// their channel.
	if _, err := l.Clean(CleanOptions{By: ByChannel, Rename: map[string]string{"web": ""}}); err != nil {
		t.Error(err)
	}
}

// naiveClean is the definition of Clean, on events.
func naiveClean(l *Log, opt CleanOptions) []Event {
	var res []*regexp.Regexp
	for _, p := range opt.Patterns {
		res = append(res, regexp.MustCompile(`^(?:`+p.Pattern+`)$`))
	}
	get := func(e *Event) *string {
		switch opt.By {
		case ByChannel:
			return (*string)(&e.Channel)
		case ByTouchpoint:
			return &e.Touchpoint
		}
		return &e.Step
	}
	var out []Event
	for p := range l.Paths() {
		prev, have := "", false
		for _, e := range p.Events {
			orig := e
			name := get(&e)
			if opt.By != ByStep && *name == "" {
				out = append(out, e)
				continue
			}
			if to, ok := opt.Rename[*name]; ok {
				*name = to
			} else {
				for i, re := range res {
					if re.MatchString(*name) {
						*name = opt.Patterns[i].To
						break
					}
				}
			}
			if (slices.Contains(opt.Drop, *name) || opt.Collapse && have && prev == *name) && (opt.Keep == nil || !opt.Keep(orig)) {
				continue
			}
			prev, have = *name, true
			out = append(out, e)
		}
	}
	return out
}

func TestCleanAgreesWithTheDefinition(t *testing.T) {
	opts := []CleanOptions{
		{},
		{Collapse: true},
		{Rename: map[string]string{"visit": "search", "cart": "buy"}, Collapse: true},
		{Patterns: []RenamePattern{{Pattern: "c.*", To: "c"}, {Pattern: ".*", To: "rest"}}, Drop: []string{"c"}},
		{By: ByChannel, Rename: map[string]string{"web": "phone"}, Collapse: true},
		{By: ByChannel, Drop: []string{"email"}},
		{By: ByTouchpoint, Patterns: []RenamePattern{{Pattern: "h.*|c.*", To: "site"}}, Drop: []string{"mail-1"}, Collapse: true},
		{By: ByTouchpoint, Rename: map[string]string{"home": ""}},
		{Collapse: true, Drop: []string{"cart"}, Keep: func(e Event) bool { return e.Value > 0 || e.Props["device"] == "app" }},
		{By: ByChannel, Collapse: true, Keep: isStep("buy")},
	}
	for trial, l := range randomLogs(t, 61, 40) {
		for _, opt := range opts {
			c, err := l.Clean(opt)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(naiveClean(l, opt), c.Events(), equateEmptyProps); diff != "" {
				t.Fatalf("trial %d, %+v (-want +got):\n%s", trial, opt, diff)
			}
			// Every analysis runs on the cleaned log.
			if diff := cmp.Diff(naiveVariants(c, opt.By), c.Variants(opt.By), equateEmptyProps); diff != "" {
				t.Fatalf("trial %d, %+v: variants of the cleaned log (-want +got):\n%s", trial, opt, diff)
			}
		}
	}
}

// TestCleanSharesColumns: without removal, only the renamed column is new.
func TestCleanSharesColumns(t *testing.T) {
	l := pathsShopLog(t)
	c, _ := l.Clean(CleanOptions{Rename: map[string]string{"visit": "v"}})
	if &c.times[0] != &l.times[0] || &c.syms[ByChannel][0] != &l.syms[ByChannel][0] || c.dicts[ByChannel] != l.dicts[ByChannel] {
		t.Error("Clean copied columns it could share")
	}
	if &c.syms[ByStep][0] == &l.syms[ByStep][0] || c.dicts[ByStep] == l.dicts[ByStep] {
		t.Error("Clean renamed in the original's column")
	}
}
