package layers

import (
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
)

const module = "github.com/parcours-go/parcours"

// allowed lists, for each public package, the project packages its
// non-test files may import: the arrows of ARCHITECTURE.md, followed
// transitively. journey imports persona because a Map carries the personas
// it is designed for (persona stands above journey in the design's order);
// journey/graph imports persona for the emotions its friction weighs, and
// journey imports journey/graph, whose Graph Learn and Map.Graph return.
var allowed = map[string][]string{
	"objectives":          {},
	"touchpoint":          {"objectives"},
	"persona":             {"touchpoint", "objectives"},
	"journey/graph":       {"persona", "touchpoint", "objectives"},
	"journey":             {"journey/graph", "touchpoint", "objectives", "persona"},
	"funnel":              {"journey", "journey/graph", "touchpoint", "objectives", "persona"},
	"journey/paths":       {"journey", "journey/graph", "touchpoint", "objectives", "persona"},
	"journey/attribution": {"journey", "journey/graph", "touchpoint", "objectives", "persona"},
	"journey/eventio":     {"journey", "journey/graph", "touchpoint", "objectives", "persona"},
	"journey/simulate":    {"journey", "journey/graph", "persona", "touchpoint", "objectives"},
	"journey/impact":      {"journey", "journey/graph", "funnel", "touchpoint", "objectives", "journey/attribution", "persona"},
	"journey/render":      {"journey", "journey/graph", "journey/paths", "funnel", "persona", "touchpoint", "objectives"},
}

// external lists the modules other than the standard library that the
// design allows, and whether only tests may use them.
var external = map[string]bool{ // module path -> tests only
	"github.com/google/uuid":      false,
	"golang.org/x/exp":            false,
	"github.com/stretchr/testify": true,
	"github.com/google/go-cmp":    true,
}

func TestImportDirection(t *testing.T) {
	root := moduleRoot(t)
	seen := 0
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if name := d.Name(); path != root && (strings.HasPrefix(name, ".") || name == "testdata" || name == "node_modules") {
				return filepath.SkipDir
			}
			if path != root {
				if _, err := os.Stat(filepath.Join(path, "go.mod")); err == nil {
					return filepath.SkipDir // a nested module has its own rules
				}
			}
			return nil
		}
		if !strings.HasSuffix(path, ".go") {
			return nil
		}
		rel, _ := filepath.Rel(root, filepath.Dir(path))
		pkg := filepath.ToSlash(rel)
		isTest := strings.HasSuffix(path, "_test.go")
		f, err := parser.ParseFile(token.NewFileSet(), path, nil, parser.ImportsOnly)
		if err != nil {
			return err
		}
		seen++
		for _, imp := range f.Imports {
			ip, _ := strconv.Unquote(imp.Path.Value)
			checkImport(t, path, pkg, ip, isTest)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if seen == 0 {
		t.Fatal("no Go file found: the walk is broken")
	}
}

func checkImport(t *testing.T, file, pkg, ip string, isTest bool) {
	t.Helper()
	if p, ok := strings.CutPrefix(ip, module+"/"); ok {
		if isTest || strings.HasPrefix(pkg, "examples/") || strings.HasPrefix(pkg, "internal/") || strings.HasPrefix(p, "internal/") {
			return // tests, examples and helpers sit outside the layers
		}
		may, known := allowed[pkg]
		if !known {
			t.Errorf("%s: package %q is not in ARCHITECTURE.md's package list; add it to the layers test", file, pkg)
			return
		}
		if !slices.Contains(may, p) {
			t.Errorf("%s: package %q must not import %q (ARCHITECTURE.md)", file, pkg, p)
		}
		return
	}
	first, _, _ := strings.Cut(ip, "/")
	if !strings.Contains(first, ".") {
		return // standard library
	}
	for mod, testsOnly := range external {
		if ip == mod || strings.HasPrefix(ip, mod+"/") {
			if testsOnly && !isTest {
				t.Errorf("%s: %q may be used in tests only", file, ip)
			}
			return
		}
	}
	t.Errorf("%s: %q is not an allowed dependency (ARCHITECTURE.md)", file, ip)
}

func TestAllowedListMatchesPackages(t *testing.T) {
	root := moduleRoot(t)
	for pkg := range allowed {
		if _, err := os.Stat(filepath.Join(root, filepath.FromSlash(pkg))); err != nil {
			if os.IsNotExist(err) {
				continue // a package the design plans that does not exist yet
			}
			t.Error(err)
		}
	}
	for _, p := range []string{"objectives", "touchpoint", "persona", "journey", "funnel"} {
		if _, err := os.Stat(filepath.Join(root, p, "doc.go")); err != nil {
			t.Errorf("package %s has no doc.go", p)
		}
	}
}

func TestGoModRequiresOnlyAllowedModules(t *testing.T) {
	data, err := os.ReadFile(filepath.Join(moduleRoot(t), "go.mod"))
	if err != nil {
		t.Fatal(err)
	}
	inRequire := false
	for _, line := range strings.Split(string(data), "\n") {
		line = strings.TrimSpace(line)
		switch {
		case strings.HasPrefix(line, "require ("):
			inRequire = true
			continue
		case inRequire && line == ")":
			inRequire = false
			continue
		case strings.HasPrefix(line, "require "):
			line = strings.TrimPrefix(line, "require ")
		case !inRequire:
			continue
		}
		fields := strings.Fields(line)
		if len(fields) == 0 {
			continue
		}
		mod := fields[0]
		if _, ok := external[mod]; ok {
			continue
		}
		if strings.Contains(line, "// indirect") {
			continue // pulled in by an allowed module
		}
		t.Errorf("go.mod requires %s, which ARCHITECTURE.md does not allow", mod)
	}
}

func moduleRoot(t *testing.T) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatal("go.mod not found above the test's directory")
		}
		dir = parent
	}
}
