package pipeline

import (
	"context"
	"errors"
	"slices"
	"sort"
	"strings"

	"github.com/lessonpub/lessonpub/captions"
)

// reconcile brings the record in line with the playlist on the target: the
// playlist's items carry lesson keys in their descriptions, so a lost or
// stale record, or another machine's run, never leads to a duplicate.
func (cr *courseRun) reconcile(ctx context.Context, plan *Plan) error {
	t := cr.opts.Target
	meta := playlistMeta(cr.course, cr.key)
	pl, err := t.Playlist(ctx, cr.dest.PlaylistID, meta, false)
	if err != nil {
		return captions.Errorf("looking for the course's playlist: %w", err)
	}
	cr.items = nil
	id := ""
	if pl != nil {
		id = pl.ID
		if cr.items, err = t.Items(ctx, id); err != nil {
			return captions.Errorf("reading the course's playlist: %w", err)
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
	if err := cr.adoptUnplaced(ctx, plan, byKey); err != nil {
		return err
	}
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
			return captions.Errorf("looking for the video of %s: %w", lp.Name, err)
		}
		if !ok {
			gone[r.Video] = true
			cr.emit(Event{Type: EventWarning, Lesson: lp.Name, Video: r.Video,
				Text: captions.Textf("its video %s is no longer on %s; it is published again", r.Video, t.Name())})
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

// adoptUnplaced finds the videos of lessons that have none recorded and
// none in the playlist, although an earlier run made them: first an upload
// the target finished but whose answer never reached the record (Recover),
// then among all the target's videos (FindUploads, whose cost the plan
// shows). A video found is recorded without hashes, as adopted: it is
// placed, given its captions and thumbnail, and never uploaded again.
func (cr *courseRun) adoptUnplaced(ctx context.Context, plan *Plan, byKey map[string][]Item) error {
	t := cr.opts.Target
	var missing []*LessonPlan
	for _, lp := range plan.Lessons {
		r := cr.dest.Lessons[lp.Key]
		if lp.Action != ActionBlocked && (r == nil || r.Video == "") && len(byKey[lp.Key]) == 0 {
			missing = append(missing, lp)
		}
	}
	if len(missing) == 0 {
		return nil
	}
	adopt := func(lp *LessonPlan, id string, how *captions.Text) error {
		if err := cr.saveLesson(lp, func(r *LessonRecord) {
			r.Video, r.URL, r.Item = id, t.URL(id), ""
			r.Hashes, r.Metadata, r.Captions, r.Thumbnail = Hashes{}, "", nil, ""
			r.State, r.Error = StatePending, ""
		}); err != nil {
			return err
		}
		cr.emit(Event{Type: EventStep, Lesson: lp.Name, Video: id, URL: t.URL(id), Step: "found",
			Text: captions.Textf("its video %s was %s; it is placed and finished, not uploaded again", t.URL(id), how)})
		return nil
	}
	var keys []string
	rest := map[string]*LessonPlan{}
	for _, lp := range missing {
		id, err := t.Recover(ctx, lp.Key, func(id string) error {
			return adopt(lp, id, captions.Textf("uploaded by an earlier run that stopped before recording it"))
		})
		if err != nil {
			return captions.Errorf("%s: recovering an earlier upload: %w", lp.Name, err)
		}
		if id == "" {
			keys = append(keys, lp.Key)
			rest[lp.Key] = lp
		}
	}
	if len(keys) == 0 {
		return nil
	}
	plan.UploadsLookup = &Lookup{Lessons: len(keys), Cost: t.Cost(OpFindUploads)}
	found, err := t.FindUploads(ctx, keys)
	if err != nil {
		return captions.Errorf("looking for the lessons' videos among all the videos on %s: %w", t.Name(), err)
	}
	for _, k := range sortedKeys(found) {
		if err := adopt(rest[k], found[k], captions.Textf("found on %s outside the playlist", t.Name())); err != nil {
			return err
		}
	}
	return nil
}

// reorder moves the course's items in the playlist into lesson order. Items
// of other videos keep their places; the lessons' items are sorted into
// the places lessons' items hold.
func (cr *courseRun) reorder(ctx context.Context) error {
	moves := cr.moves()
	for _, m := range moves {
		if err := cr.opts.Target.MoveItem(ctx, cr.dest.PlaylistID, m.item, m.to); err != nil {
			return captions.Errorf("putting the playlist in lesson order: %w", err)
		}
		cr.removeItem(m.item.ID)
		cr.insertItem(m.to, m.item)
		cr.emit(Event{Type: EventStep, Video: m.item.Video, Step: "moved",
			Text: captions.Textf("video %s moved to position %d of the playlist", m.item.Video, m.to+1)})
	}
	return nil
}

type move struct {
	item Item
	to   int
}

// moves says which items to move, in order, to put the playlist (cr.items)
// in lesson order.
func (cr *courseRun) moves() []move { return moves(cr.items, cr.order()) }

// moves says which of items to move, in order, so that the items of the
// lessons in order (lesson keys to their places in the course) follow it.
// Other items keep their places; the lessons' items are sorted into the
// places lessons' items hold.
func moves(items []Item, order map[string]int) []move {
	items = append([]Item(nil), items...)
	var slots []int
	var lessons []Item
	for i, it := range items {
		if hasKey(order, it.Key) {
			slots = append(slots, i)
			lessons = append(lessons, it)
		}
	}
	sort.SliceStable(lessons, func(i, j int) bool { return order[lessons[i].Key] < order[lessons[j].Key] })
	var out []move
	for n, slot := range slots {
		want := lessons[n]
		if items[slot].ID == want.ID {
			continue
		}
		from := slices.IndexFunc(items, func(it Item) bool { return it.ID == want.ID })
		items = slices.Delete(items, from, from+1)
		items = slices.Insert(items, slot, want)
		out = append(out, move{item: want, to: slot})
	}
	return out
}

// saveOrder records the lessons' order in the playlist as it is now, for
// plans made from the record alone (--dry-run, course status).
func (cr *courseRun) saveOrder() error {
	order := cr.order()
	var keys []string
	for _, it := range cr.items {
		if hasKey(order, it.Key) {
			keys = append(keys, it.Key)
		}
	}
	return cr.record.Update(func() { cr.dest.Order = keys })
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
		return captions.Errorf("creating the course's playlist: %w", b.limitReached())
	}
	pl, err := t.Playlist(ctx, "", meta, true)
	if err != nil {
		return captions.Errorf("creating the course's playlist: %w", err)
	}
	cr.emit(Event{Type: EventStep, Text: captions.Textf("playlist %q ready", pl.Title)})
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
		return captions.Errorf("updating the course's playlist: %w", b.limitReached())
	}
	if err := t.UpdatePlaylist(ctx, cr.dest.PlaylistID, meta); err != nil {
		if ctx.Err() != nil || errors.Is(err, ErrDailyLimit) {
			return captions.Errorf("updating the course's playlist: %w", err)
		}
		cr.emit(Event{Type: EventWarning, Text: captions.Textf("could not give the course's playlist the title %q and the description and privacy of course.yaml (%v); the next run tries again", meta.Title, err)})
		return nil
	}
	cr.emit(Event{Type: EventStep, Text: captions.Textf("playlist %q updated from course.yaml", meta.Title)})
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
