package main

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strings"

	"github.com/lessonpub/lessonpub/captions"
	"github.com/lessonpub/lessonpub/lessons"

	"github.com/lessonpub/lessonpub/pipeline"
	"github.com/lessonpub/lessonpub/pipeline/folder"
	"github.com/lessonpub/lessonpub/pipeline/site"
	"github.com/lessonpub/lessonpub/pipeline/youtube"
)

// targets registers every destination a --target value can name. A new
// destination is a package implementing pipeline.Target and one Register
// call here.
func targets(cfg youtube.Config, dryRun bool, warn func(*captions.Text)) *pipeline.Targets {
	r := new(pipeline.Targets)
	r.Register("youtube", "youtube", func(ctx context.Context, arg string) (pipeline.Target, error) {
		if arg != "" {
			// untranslated: never shown, openTarget says every ErrUnknownTarget as a usage error
			return nil, fmt.Errorf("%w: youtube takes nothing after it", pipeline.ErrUnknownTarget)
		}
		if dryRun {
			// A plan needs only the quota counter: no sign-in, no request.
			return youtube.NewTarget(nil, youtube.OpenQuota(cfg.StateDir, cfg.Limits, cfg.Now)), nil
		}
		c, err := youtube.New(ctx, cfg)
		if err != nil {
			return nil, err
		}
		t := youtube.NewTarget(c, nil)
		t.Warn = warn
		return t, nil
	})
	r.Register("dir", "dir:PATH", func(ctx context.Context, dir string) (pipeline.Target, error) {
		if dir == "" {
			return nil, newUsageError(captions.Errorf("--target dir:PATH needs a folder, such as dir:published"))
		}
		return folder.New(dir)
	})
	r.Register("site", "site:PATH", func(ctx context.Context, dir string) (pipeline.Target, error) {
		if dir == "" {
			return nil, newUsageError(captions.Errorf("--target site:PATH needs a folder, such as site:course-site"))
		}
		return site.NewTarget(dir)
	})
	return r
}

// openTarget makes the target named by --target for the course c. A
// folder target (dir:, site:) inside the course folder is refused: the
// course would read its own output as lessons, and sweep its own folders.
func openTarget(ctx context.Context, spec string, c *lessons.Course, cfg youtube.Config, dryRun bool, warn func(*captions.Text)) (pipeline.Target, error) {
	if scheme, path, ok := strings.Cut(spec, ":"); ok && (scheme == "dir" || scheme == "site") && path != "" && c != nil && c.Contains(path) {
		return nil, newUsageError(captions.Errorf("--target %s is inside the course folder %s; give a folder outside it, such as %s:%s", spec, c.Dir, scheme, filepath.Join(filepath.Dir(filepath.Clean(c.Dir)), "published")))
	}
	r := targets(cfg, dryRun, warn)
	t, err := r.Open(ctx, spec)
	if errors.Is(err, pipeline.ErrUnknownTarget) {
		return nil, newUsageError(captions.Errorf("--target %q: use %s", spec, r.UsageText()))
	}
	return t, err
}
