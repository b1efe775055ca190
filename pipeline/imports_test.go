package pipeline

import (
	"os/exec"
	"strings"
	"testing"
)

// TestCoreImportsNoDestination holds the import graph: the publishing core
// knows no destination and no Google API. A destination imports pipeline,
// never the other way round; cmd/lessonpub registers the destinations.
func TestCoreImportsNoDestination(t *testing.T) {
	out, err := exec.Command("go", "list", "-deps", "-f", "{{.ImportPath}}", ".").Output()
	if err != nil {
		t.Fatalf("go list -deps: %v", err)
	}
	forbidden := []string{
		"github.com/lessonpub/lessonpub/pipeline/youtube",
		"github.com/lessonpub/lessonpub/pipeline/folder",
		"github.com/lessonpub/lessonpub/pipeline/site",
		"google.golang.org/api",
		"golang.org/x/oauth2",
	}
	deps := strings.Fields(string(out))
	if len(deps) < 2 {
		t.Fatalf("go list -deps listed %q: want the package and its imports", deps)
	}
	for _, dep := range deps {
		for _, f := range forbidden {
			if dep == f || strings.HasPrefix(dep, f+"/") {
				t.Errorf("package pipeline imports %s (through its dependencies): the core must not know a destination or a Google API", dep)
			}
		}
	}
}
