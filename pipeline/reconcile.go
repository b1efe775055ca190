package pipeline

import (
	"context"
	"errors"
	"fmt"
	"strings"
)

// reconcile brings the record in line with the playlist on the target: the
// playlist's items carry lesson keys in their descriptions, so a lost or
// stale record, or another machine's run, never leads to a duplicate.
func (cr *courseRun) reconcile(ctx context.Context, plan *Plan) error {
	t := cr.opts.Target
	meta := playlistMeta(cr.course, cr.key)
	pl, err := t.Playlist(ctx, cr.dest.PlaylistID, meta, false)
	if err != nil {
		return fmt.Errorf("looking for the course's playlist: %w", err)
	}
	cr.items = nil
	id := ""
	if pl != nil {
		id = pl.ID
		if cr.items, err = t.Items(ctx, id); err != nil {
			return fmt.Errorf("reading the course's playlist: %w", err)
		}
	}
	// Items in the course's playlist are the course's: a key written by an
	// earlier lessonpub (another course folder name, an order number) is
	// matched to its lesson by the lesson's part.
	order := cr.order()
	for i, it := range cr.items {
		if !hasKey(order, it.Key) && it.Key != "" {
			if _, id, _ := strings.Cut(NormalizeLegacy(it.Key), "/"); id != "" {
				if k := cr.key + "/" + id; hasKey(order, k) {
					cr.items[i].Key = k
				}
			}
		}
	}
	byKey := itemsByKey(cr.items)
	// A recorded video that is not in the playlist may have been deleted
	// on the target (or its folder removed): then the lesson is published
	// anew instead of failing on every run.
	gone := map[string]bool{}
	for _, lp := range plan.Lessons {
		r := cr.dest.Lessons[lp.Key]
		if r == nil || r.Video == "" || len(byKey[lp.Key]) > 0 || lp.Action == ActionBlocked {
			continue
		}
		ok, err := t.VideoExists(ctx, r.Video)
		if err != nil {
			return fmt.Errorf("looking for the video of %s: %w", lp.Name, err)
		}
		if !ok {
			gone[r.Video] = true
			cr.emit(Event{Type: EventWarning, Lesson: lp.Name, Video: r.Video,
				Message: fmt.Sprintf("its video %s is no longer on %s; it is published again", r.Video, t.Name())})
		}
	}
	now := cr.opts.Now()
	return cr.record.Update(func() {
		if cr.dest.PlaylistID != id {
			cr.dest.PlaylistMeta = "" // another playlist: what it was given is not known
		}
		if pl != nil && pl.PlaylistMeta == meta {
			cr.dest.PlaylistMeta = hashJSON(meta)
		}
		cr.dest.PlaylistID = id
		for _, lp := range plan.Lessons {
			its := byKey[lp.Key]
			r := cr.dest.Lessons[lp.Key]
			switch {
			case r != nil && r.Video != "" && hasVideo(its, r.Video):
				for _, it := range its {
					if it.Video == r.Video {
						r.Item = it.ID
						break
					}
				}
			case r != nil && r.Video != "" && len(its) > 0:
				// Another run placed another video of this lesson: that one
				// is what people see; ours is kept aside.
				old := r.Video
				*r = LessonRecord{Title: r.Title, State: StatePending, Video: its[0].Video, Item: its[0].ID, URL: t.URL(its[0].Video),
					Replaced: append(r.Replaced, ReplacedVideo{Video: old, URL: r.URL, When: now}), Updated: now}
			case r != nil && gone[r.Video]:
				*r = LessonRecord{Title: r.Title, State: StatePending, Updated: now,
					Replaced: append(r.Replaced, ReplacedVideo{Video: r.Video, URL: r.URL, Deleted: true, When: now})}
			case r != nil && r.Video != "":
				r.Item = ""
			case len(its) > 0:
				cr.dest.Lessons[lp.Key] = &LessonRecord{Title: lp.Lesson.Title, State: StatePending,
					Video: its[0].Video, Item: its[0].ID, URL: t.URL(its[0].Video), Updated: now}
			}
			cr.decide(lp, cr.dest.Lessons[lp.Key], its)
		}
	})
}

func hasKey(m map[string]int, k string) bool {
	_, ok := m[k]
	return ok
}

func hasVideo(items []Item, video string) bool {
	for _, it := range items {
		if it.Video == video {
			return true
		}
	}
	return false
}

// createPlaylist makes the course's playlist, which reconcile did not find.
func (cr *courseRun) createPlaylist(ctx context.Context) error {
	t := cr.opts.Target
	meta := playlistMeta(cr.course, cr.key)
	if b, err := t.Budget(ctx); err == nil && !b.Fits(t.Cost(OpCreatePlaylist)) {
		return fmt.Errorf("creating the course's playlist: %w", b.limitReached())
	}
	pl, err := t.Playlist(ctx, "", meta, true)
	if err != nil {
		return fmt.Errorf("creating the course's playlist: %w", err)
	}
	cr.emit(Event{Type: EventStep, Message: fmt.Sprintf("playlist %q ready", pl.Title)})
	return cr.record.Update(func() {
		cr.dest.PlaylistID = pl.ID
		if pl.PlaylistMeta == meta {
			cr.dest.PlaylistMeta = hashJSON(meta)
		}
	})
}

// updatePlaylist gives the playlist the course's title, description and
// privacy. Only a daily limit or an interruption stops the run; another
// failure is a warning, and the next run tries again.
func (cr *courseRun) updatePlaylist(ctx context.Context) error {
	t := cr.opts.Target
	meta := playlistMeta(cr.course, cr.key)
	if b, err := t.Budget(ctx); err == nil && !b.Fits(t.Cost(OpUpdatePlaylist)) {
		return fmt.Errorf("updating the course's playlist: %w", b.limitReached())
	}
	if err := t.UpdatePlaylist(ctx, cr.dest.PlaylistID, meta); err != nil {
		if ctx.Err() != nil || errors.Is(err, ErrDailyLimit) {
			return fmt.Errorf("updating the course's playlist: %w", err)
		}
		cr.emit(Event{Type: EventWarning, Message: fmt.Sprintf("could not give the course's playlist the title %q and the description and privacy of course.yaml (%v); the next run tries again", meta.Title, err)})
		return nil
	}
	cr.emit(Event{Type: EventStep, Message: fmt.Sprintf("playlist %q updated from course.yaml", meta.Title)})
	return cr.record.Update(func() { cr.dest.PlaylistMeta = hashJSON(meta) })
}

// position is where a lesson goes in the playlist: after every item of an
// earlier lesson of the course.
func (cr *courseRun) position(key string) int {
	order := cr.order()
	pos := 0
	for i, it := range cr.items {
		if n, ok := order[it.Key]; ok && n < order[key] {
			pos = i + 1
		}
	}
	return pos
}

// order maps the key of every lesson of the course to its place in it.
func (cr *courseRun) order() map[string]int {
	m := make(map[string]int, len(cr.course.Lessons))
	for i, l := range cr.course.Lessons {
		m[LessonKey(cr.key, l)] = i
	}
	return m
}

func (cr *courseRun) insertItem(pos int, it Item) {
	pos = max(0, min(pos, len(cr.items)))
	cr.items = append(cr.items[:pos], append([]Item{it}, cr.items[pos:]...)...)
}

func (cr *courseRun) removeItem(id string) {
	for i, it := range cr.items {
		if it.ID == id {
			cr.items = append(cr.items[:i], cr.items[i+1:]...)
			return
		}
	}
}
