package render

import (
	"html"
	"regexp"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"
)

// mermaidDecode undoes Mermaid's entity codes the way Mermaid does: #name;
// and #123; become the HTML entities &name; and &#123;, which the browser
// then reads; the rest of the text is drawn as it is.
var mermaidEntityCode = regexp.MustCompile(`#\w+;`)

func mermaidDecode(s string) string {
	return mermaidEntityCode.ReplaceAllStringFunc(s, func(e string) string {
		inner := strings.TrimPrefix(e, "#")
		if strings.Trim(inner, "0123456789;") == "" {
			return html.UnescapeString("&#" + inner)
		}
		return html.UnescapeString("&" + inner)
	})
}

// escapeCases feed the escaping tests and seed their fuzz targets.
var escapeCases = []struct {
	name, reason, in string
}{
	{"plain", "text with nothing reserved passes through", "Adds to cart"},
	{"colon and semicolon", "a journey task ends at ':' and ';'", "Tries the shoes: no; never"},
	{"hash", "'#' starts a comment in a journey, an entity code everywhere", "Order #42 and #quot; and #35;"},
	{"percent", "'%%' opens a comment and '%%{' a directive; one '%' is harmless", "50% off %% now %%{init: {}}%%"},
	{"html", "flowchart labels are HTML; a journey task splits at <br>", `<b>bold</b> & <br/> "quoted"`},
	{"entities", "text that looks like HTML entities is drawn as it is", "&amp; &lt; &#35; &"},
	{"comma", "an actor ends at ','", "Sales, North"},
	{"keyword", "a journey line starting with a keyword is read as one", "Title deed"},
	{"keyword journey", "the lexer matches 'journey' without a following space", "journeyman"},
	{"keyword section", "section needs a space after it", "Section 2"},
	{"keyword acc", "accessibility keywords", "accTitle: x and accDescr { y }"},
	{"white space", "line breaks and tabs collapse into single spaces", "  a\nb\r\n\tc  "},
	{"placeholders", "Mermaid's own placeholder characters must not be decoded", "ﬂ°°35¶ß and ﬂ°x¶ß"},
	{"non-ASCII", "accents, CJK and emoji pass through Mermaid's journey and flowchart", "Été à l'école 日本 ☕"},
	{"backquote", "a backquote opens a Markdown string in a flowchart", "`md` text"},
	{"backslash", "DOT escapes start with a backslash", `C:\path\N`},
	{"control", "control characters are not text", "a\x00b\x1bc"},
	{"invalid UTF-8", "bytes that are not UTF-8 become U+FFFD", "a\xffb"},
	{"empty", "nothing stays nothing", ""},
}

func TestJourneyTextRoundTrips(t *testing.T) {
	for _, c := range escapeCases {
		for _, actor := range []bool{false, true} {
			got := journeyText(c.in, actor)
			checkJourneyText(t, c.name, c.in, got, actor)
		}
	}
}

// checkJourneyText checks what Mermaid's journey lexer needs of a name,
// and that Mermaid reads back the cleaned text.
func checkJourneyText(t *testing.T, name, in, got string, actor bool) {
	t.Helper()
	if strings.ContainsAny(mermaidEntityCode.ReplaceAllString(got, ""), ":;<>\n\r") {
		t.Errorf("%s: journeyText(%q) = %q holds a character the grammar reserves", name, in, got)
	}
	if actor && strings.Contains(mermaidEntityCode.ReplaceAllString(got, ""), ",") {
		t.Errorf("%s: actor %q holds a comma", name, got)
	}
	if strings.Contains(got, "%%") {
		t.Errorf("%s: journeyText(%q) = %q holds %%%%", name, in, got)
	}
	if strings.ContainsAny(got, "ﬂ¶") {
		t.Errorf("%s: journeyText(%q) = %q holds a placeholder character", name, in, got)
	}
	if rest := mermaidEntityCode.ReplaceAllString(got, ""); strings.Contains(rest, "#") {
		t.Errorf("%s: journeyText(%q) = %q has a '#' outside an entity code", name, in, got)
	}
	lower := strings.ToLower(got)
	for _, k := range journeyKeywords {
		if strings.HasPrefix(lower, k) {
			t.Errorf("%s: journeyText(%q) = %q starts with keyword %q", name, in, got, k)
		}
	}
	if diff := cmp.Diff(cleanText(in), mermaidDecode(got)); diff != "" {
		t.Errorf("%s: Mermaid would read journeyText(%q) = %q differently (-want +got):\n%s", name, in, got, diff)
	}
}

func TestFlowTextRoundTrips(t *testing.T) {
	for _, c := range escapeCases {
		got := flowText(c.in)
		checkFlowText(t, c.name, c.in, got)
	}
}

func checkFlowText(t *testing.T, name, in, got string) {
	t.Helper()
	if strings.ContainsAny(got, "\"<>&`\n\r") {
		t.Errorf("%s: flowText(%q) = %q holds a character a quoted label reserves", name, in, got)
	}
	if strings.Contains(got, "%%") || strings.Contains(got, "ﬂ°") || strings.Contains(got, "¶ß") {
		t.Errorf("%s: flowText(%q) = %q holds a comment or a placeholder", name, in, got)
	}
	if rest := mermaidEntityCode.ReplaceAllString(got, ""); strings.Contains(rest, "#") {
		t.Errorf("%s: flowText(%q) = %q has a '#' outside an entity code", name, in, got)
	}
	back := strings.ReplaceAll(mermaidDecode(got), "\u200b", "")
	if diff := cmp.Diff(cleanText(in), back); diff != "" {
		t.Errorf("%s: Mermaid would read flowText(%q) = %q differently (-want +got):\n%s", name, in, got, diff)
	}
}

func TestSankeyText(t *testing.T) {
	tests := []struct {
		name, reason, in, want string
	}{
		{"plain", "nothing to do", "Browses the e-shop", "Browses the e-shop"},
		{"comma", "a comma needs quotes", "Sales, North", `"Sales, North"`},
		{"quote", "quotes are doubled inside quotes", `Says "hi"`, `"Says ""hi"""`},
		{"percent first", "a line may not start with %%, nor a field with %", "%%x", `"% %x"`},
		{"percent", "%% anywhere becomes % %", "50%% off", "50% % off"},
		{"entity", "#word; would be read as an entity code", "#quot; #1; #", "#quot ; #1 ; #"},
		{"accents", "the grammar reads ASCII only", "Été à l'école, œuvre, Straße", `"Ete a l'ecole, oeuvre, Strasse"`},
		{"typography", "quotes and dashes have ASCII counterparts", "‘a’ — “b” …", `"'a' - ""b"" ..."`},
		{"other", "what has no ASCII counterpart is '?'", "日本", "??"},
		{"space", "white space collapses", " a \n b ", "a b"},
	}
	for _, tt := range tests {
		if diff := cmp.Diff(tt.want, sankeyText(tt.in)); diff != "" {
			t.Errorf("%s: %s: sankeyText(%q) (-want +got):\n%s", tt.name, tt.reason, tt.in, diff)
		}
	}
	for _, c := range escapeCases {
		checkSankeyText(t, c.in, sankeyText(c.in))
	}
}

func checkSankeyText(t *testing.T, in, got string) {
	t.Helper()
	for _, r := range got {
		if r < 0x20 || r > 0x7e {
			t.Errorf("sankeyText(%q) = %q holds %U, not printable ASCII", in, got, r)
		}
	}
	inner := got
	if strings.HasPrefix(got, `"`) {
		if len(got) < 2 || !strings.HasSuffix(got, `"`) {
			t.Errorf("sankeyText(%q) = %q: unbalanced quotes", in, got)
			return
		}
		inner = got[1 : len(got)-1]
		if strings.Contains(strings.ReplaceAll(inner, `""`, ""), `"`) {
			t.Errorf("sankeyText(%q) = %q: a lone quote inside quotes", in, got)
		}
	} else if strings.ContainsAny(got, `,"`) || strings.HasPrefix(got, "%") {
		t.Errorf("sankeyText(%q) = %q needs quotes", in, got)
	}
	if strings.Contains(got, "%%") || mermaidEntityCode.MatchString(got) {
		t.Errorf("sankeyText(%q) = %q holds a comment or an entity code", in, got)
	}
}

func TestLatinASCIICoversItsRange(t *testing.T) {
	if got, want := len(latinASCII), 0x17f-0xa0+1; got != want {
		t.Fatalf("latinASCII has %d entries for %d characters", got, want)
	}
	for _, c := range []struct {
		r    rune
		want string
	}{
		{'\u00a0', " "}, {'é', "e"}, {'Æ', "AE"}, {'ß', "ss"}, {'ÿ', "y"}, {'Ā', "A"}, {'ı', "i"},
		{'Ĳ', "IJ"}, {'ĸ', "k"}, {'Ł', "L"}, {'ŉ', "n"}, {'Œ', "OE"}, {'Ÿ', "Y"}, {'ž', "z"}, {'ſ', "s"}, {'\u00ad', ""},
	} {
		if got := asciiFor(c.r); got != c.want {
			t.Errorf("asciiFor(%q) = %q, want %q", c.r, got, c.want)
		}
	}
}

func TestDOTString(t *testing.T) {
	tests := []struct {
		name, reason string
		in           []string
		want         string
	}{
		{"plain", "quoted as is", []string{"Adds to cart"}, `"Adds to cart"`},
		{"quote and backslash", "both escaped with a backslash", []string{`a "b" \N`}, `"a \"b\" \\N"`},
		{"ampersand", "Graphviz reads &amp; as &", []string{"R&D &amp;"}, `"R&amp;D &amp;amp;"`},
		{"lines", "lines join with \\n; breaks inside a line collapse", []string{"one\ntwo", "three"}, `"one two\nthree"`},
	}
	for _, tt := range tests {
		if diff := cmp.Diff(tt.want, dotString(tt.in...)); diff != "" {
			t.Errorf("%s: %s (-want +got):\n%s", tt.name, tt.reason, diff)
		}
	}
}

func TestEscapeXML(t *testing.T) {
	tests := []struct {
		name, reason, in, want string
	}{
		{"markup", "the five XML specials", `<a href="x">&'`, "&lt;a href=&quot;x&quot;&gt;&amp;&#39;"},
		{"controls", "XML forbids most controls; tab and newline stay", "a\x00b\tc\nd\x1f", "a\ufffdb\tc\nd\ufffd"},
		{"noncharacters", "U+FFFE and U+FFFF are not XML characters", "\ufffe\uffff", "\ufffd\ufffd"},
		{"invalid UTF-8", "becomes U+FFFD", "a\xc0b", "a\ufffdb"},
		{"non-ASCII", "passes through", "Été 日本 ☕", "Été 日本 ☕"},
	}
	for _, tt := range tests {
		if diff := cmp.Diff(tt.want, escapeXML(tt.in)); diff != "" {
			t.Errorf("%s: %s (-want +got):\n%s", tt.name, tt.reason, diff)
		}
	}
}

func FuzzEscaping(f *testing.F) {
	for _, c := range escapeCases {
		f.Add(c.in)
	}
	f.Fuzz(func(t *testing.T, s string) {
		checkJourneyText(t, "fuzz", s, journeyText(s, false), false)
		checkJourneyText(t, "fuzz", s, journeyText(s, true), true)
		checkFlowText(t, "fuzz", s, flowText(s))
		checkSankeyText(t, s, sankeyText(s))
		if x := escapeXML(s); !utf8.ValidString(x) || strings.ContainsAny(x, "<>\"'") {
			t.Errorf("escapeXML(%q) = %q", s, x)
		}
	})
}
