package pipeline

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestSweepRendersRemovesOnlyStaleFiles(t *testing.T) {
	dir := t.TempDir()
	now := time.Now()
	files := map[string]time.Duration{ // name -> age
		".a.partial-1.mp4": 2 * time.Hour,  // a killed run's: swept
		".b.partial-2.mp4": time.Minute,    // being written now: kept
		"c.mp4":            24 * time.Hour, // waiting for its upload: kept
		"d.mp4":            9 * 24 * time.Hour,
	}
	for name, age := range files {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte("x"), 0o600); err != nil {
			t.Fatal(err)
		}
		if err := os.Chtimes(p, now.Add(-age), now.Add(-age)); err != nil {
			t.Fatal(err)
		}
	}
	sweepRenders(dir, now)
	var left []string
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		left = append(left, e.Name())
	}
	if diff := cmp.Diff([]string{".b.partial-2.mp4", "c.mp4"}, left); diff != "" {
		t.Errorf("files left (-want +got):\n%s", diff)
	}
}
