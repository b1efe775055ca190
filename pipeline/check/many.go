package check

import (
	"context"
	"path/filepath"
	"runtime"
	"strings"
	"sync"

	"github.com/lessonpub/lessonpub/captions"
	"github.com/lessonpub/lessonpub/lessons"
)

// All runs the checks on as many workers as there are CPUs and returns
// their results in the order of checks. When ctx ends, the checks not
// started are left with zero results; the caller reports ctx.Err().
func All(ctx context.Context, checks []Check) []Result {
	results := make([]Result, len(checks))
	next := make(chan int)
	var wg sync.WaitGroup
	for range min(runtime.GOMAXPROCS(0), max(len(checks), 1)) {
		wg.Go(func() {
			for i := range next {
				results[i] = checks[i].Run(ctx)
			}
		})
	}
feed:
	for i := range checks {
		select {
		case next <- i:
		case <-ctx.Done():
			break feed
		}
	}
	close(next)
	wg.Wait()
	return results
}

// Owners sorts the problems found while loading course c by the lesson
// whose folder holds their file: a lesson's problems block that lesson only
// (by lesson, in order, joined into one error each), the others are the
// course's and stop it (course, as written by Problem.String).
func Owners(c *lessons.Course, ps *lessons.Problems) (byLesson map[*lessons.Lesson]error, course []string) {
	byLesson = map[*lessons.Lesson]error{}
	if ps == nil {
		return byLesson, nil
	}
	for _, p := range ps.Items {
		var owner *lessons.Lesson
		for _, l := range c.Lessons {
			if p.File == l.Dir || strings.HasPrefix(p.File, l.Dir+string(filepath.Separator)) {
				owner = l
			}
		}
		if owner == nil {
			course = append(course, p.String())
			continue
		}
		if prev := byLesson[owner]; prev != nil {
			byLesson[owner] = captions.Errorf("%v; %s", prev, p.Text())
		} else {
			byLesson[owner] = captions.Errorf("%s", p.Text())
		}
	}
	return byLesson, course
}
