package pipeline

import (
	"os"
	"path/filepath"
	"strings"
	"time"
)

// Renders left behind are swept from the state folder: a partial file that
// nothing has written to for an hour belongs to a run that was killed (with
// -9, or by a crash, so nothing removed it), and a finished render older
// than 8 days outlived the upload session it was kept for (YouTube keeps
// sessions about a week).
const (
	stalePartial = time.Hour
	staleRender  = 8 * 24 * time.Hour
)

func sweepRenders(dir string, now time.Time) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return
	}
	for _, e := range entries {
		info, err := e.Info()
		if err != nil || !info.Mode().IsRegular() {
			continue
		}
		age := now.Sub(info.ModTime())
		if (strings.Contains(e.Name(), ".partial-") && age > stalePartial) || age > staleRender {
			os.Remove(filepath.Join(dir, e.Name()))
		}
	}
}
