package pipeline

import (
	"context"
	"errors"
	"fmt"
	"slices"

	"github.com/lessonpub/lessonpub/captions"
)

// saveLesson changes the lesson's record and writes the record to disk.
func (cr *courseRun) saveLesson(lp *LessonPlan, change func(r *LessonRecord)) error {
	return cr.record.Update(func() {
		r := cr.dest.Lessons[lp.Key]
		if r == nil {
			r = &LessonRecord{}
			cr.dest.Lessons[lp.Key] = r
		}
		r.Title = lp.Lesson.Title
		change(r)
		r.Updated = cr.opts.Now()
	})
}

// fail records the lesson as failed with err and reports it. The error it
// returns is the record's: the run cannot go on without its record.
func (cr *courseRun) fail(lp *LessonPlan, res *LessonResult, err error) error {
	err = fmt.Errorf("%s: %w", lp.Name, err)
	msg := err.Error() // English: the record and --json keep it
	*res = LessonResult{Lesson: lp.Name, Result: ResultFailed, Error: msg, Err: err}
	if err := cr.saveLesson(lp, func(r *LessonRecord) { r.State, r.Error = StateFailed, msg }); err != nil {
		return err
	}
	cr.emit(Event{Type: EventLesson, Lesson: lp.Name, Result: ResultFailed, Err: err})
	return nil
}

// publishLesson does the lesson's steps on the target, writing the record
// after each, and says how the lesson ended. The new video takes its place
// before the old ones leave the playlist or the channel, so the course never
// has a gap.
func (cr *courseRun) publishLesson(ctx context.Context, lp *LessonPlan, file string, growing GrowingFile) (string, error) {
	var video string // the lesson's video, read under the record's lock
	cr.record.View(func() {
		if cur := cr.dest.Lessons[lp.Key]; cur != nil {
			video = cur.Video
		}
	})
	result := ResultUpdated
	var err error
	switch {
	case lp.upload:
		result = ResultPublished
		if lp.Action == ActionReplace {
			result = ResultReplaced
		}
		video, err = cr.upload(ctx, lp, file, growing)
	case lp.updMeta:
		err = cr.updateMetadata(ctx, lp, video)
	}
	if err != nil {
		return "", err
	}
	for _, step := range []func(context.Context, *LessonPlan, string) error{
		cr.place, cr.removeStale, cr.deleteOld, cr.sendCaptions, cr.dropCaptions, cr.setThumbnail,
	} {
		if err := step(ctx, lp, video); err != nil {
			return "", err
		}
	}
	now := cr.opts.Now()
	err = cr.saveLesson(lp, func(r *LessonRecord) {
		r.State, r.Error = StatePublished, ""
		r.Hashes, r.Metadata = lp.hashes, lp.metaHash
		if lp.upload || r.Published.IsZero() {
			r.Published = now
		}
	})
	return result, err
}

// step reports a step of the lesson done; its Step is the English.
func (cr *courseRun) step(lp *LessonPlan, msg *captions.Text) {
	cr.emit(Event{Type: EventStep, Lesson: lp.Name, Step: msg.String(), Text: msg})
}

// upload sends the rendered file, or the render as it grows (growing not
// nil), and records the new video at once, the old one among those it
// replaced.
func (cr *courseRun) upload(ctx context.Context, lp *LessonPlan, file string, growing GrowingFile) (string, error) {
	t := cr.opts.Target
	now := cr.opts.Now()
	if growing != nil {
		cr.step(lp, captions.Textf(StepStreaming))
	}
	id, err := t.Upload(ctx, Upload{
		File:    file,
		Sign:    existing(SignFile(file)),
		Growing: growing,
		Meta:    lp.meta,
		Notice: func(msg *captions.Text) {
			cr.emit(Event{Type: EventWarning, Lesson: lp.Name, Text: msg})
		},
		Progress: func(sent, total int64) {
			cr.emit(Event{Type: EventUpload, Lesson: lp.Name, Bytes: sent, Total: total})
		},
		Saved: func(id string) error {
			return cr.saveLesson(lp, func(r *LessonRecord) {
				if r.Video != "" && r.Video != id {
					r.Replaced = append(r.Replaced, ReplacedVideo{Video: r.Video, URL: r.URL, When: now})
				}
				r.Video, r.URL, r.Item = id, t.URL(id), ""
				r.Hashes, r.Metadata = lp.hashes, lp.metaHash
				r.Captions, r.Thumbnail = nil, ""
				r.State, r.Error = StatePending, ""
			})
		},
	})
	if err != nil {
		return "", captions.Errorf("uploading: %w", err)
	}
	cr.emit(Event{Type: EventStep, Lesson: lp.Name, Step: "uploaded", Video: id, URL: t.URL(id), Text: captions.Textf("uploaded")})
	return id, nil
}

// updateMetadata gives the video the lesson's title, description and settings.
func (cr *courseRun) updateMetadata(ctx context.Context, lp *LessonPlan, video string) error {
	if err := cr.opts.Target.UpdateMetadata(ctx, video, lp.meta); err != nil {
		return captions.Errorf("updating the title and description: %w", err)
	}
	if err := cr.saveLesson(lp, func(r *LessonRecord) { r.Metadata = lp.metaHash }); err != nil {
		return err
	}
	cr.step(lp, captions.Textf("metadata updated"))
	return nil
}

// place puts the video into the playlist at the lesson's place.
func (cr *courseRun) place(ctx context.Context, lp *LessonPlan, video string) error {
	if !lp.insert {
		return nil
	}
	pos := cr.position(lp.Key)
	id, err := cr.opts.Target.InsertItem(ctx, cr.dest.PlaylistID, video, pos)
	if err != nil {
		return captions.Errorf("putting the video into the playlist: %w", err)
	}
	cr.insertItem(pos, Item{ID: id, Video: video, Key: lp.Key})
	if err := cr.saveLesson(lp, func(r *LessonRecord) { r.Item = id }); err != nil {
		return err
	}
	cr.step(lp, captions.Textf("placed at position %d of the playlist", pos+1))
	return nil
}

// removeStale takes the lesson's other videos out of the playlist.
func (cr *courseRun) removeStale(ctx context.Context, lp *LessonPlan, video string) error {
	t := cr.opts.Target
	for _, it := range lp.stale {
		if it.Video == video {
			continue
		}
		if err := t.RemoveItem(ctx, it.ID); err != nil {
			return captions.Errorf("taking the old video %s out of the playlist: %w", it.Video, err)
		}
		cr.removeItem(it.ID)
		now := cr.opts.Now()
		if err := cr.saveLesson(lp, func(r *LessonRecord) {
			if r.Item == it.ID {
				r.Item = ""
			}
			for _, old := range r.Replaced {
				if old.Video == it.Video {
					return
				}
			}
			r.Replaced = append(r.Replaced, ReplacedVideo{Video: it.Video, URL: t.URL(it.Video), When: now})
		}); err != nil {
			return err
		}
		cr.sum.Removed = append(cr.sum.Removed, Removed{Lesson: lp.Name, Video: it.Video, URL: t.URL(it.Video)})
		msg := captions.Textf("old video %s taken out of the playlist", t.URL(it.Video))
		if !slices.Contains(lp.deleteOld, it.Video) {
			msg = captions.Textf("old video %s taken out of the playlist; it is still on the channel (delete it there, or rerun with --replace)", t.URL(it.Video))
		}
		cr.emit(Event{Type: EventRemoved, Lesson: lp.Name, Video: it.Video, URL: t.URL(it.Video), Text: msg})
	}
	return nil
}

// deleteOld deletes the videos the new one replaced (--replace). Only a
// daily limit or an interruption fails the lesson: the new video is in
// place, an old one left is only clutter.
func (cr *courseRun) deleteOld(ctx context.Context, lp *LessonPlan, video string) error {
	for _, v := range lp.deleteOld {
		if v == video {
			continue
		}
		if err := cr.opts.Target.DeleteVideo(ctx, v); err != nil {
			if ctx.Err() != nil || errors.Is(err, ErrDailyLimit) {
				return captions.Errorf("deleting the old video %s: %w", v, err)
			}
			cr.emit(Event{Type: EventWarning, Lesson: lp.Name, Video: v, Text: captions.Textf("could not delete the old video %s: %v", v, err)})
			continue
		}
		if err := cr.saveLesson(lp, func(r *LessonRecord) {
			for i := range r.Replaced {
				if r.Replaced[i].Video == v {
					r.Replaced[i].Deleted = true
				}
			}
		}); err != nil {
			return err
		}
		for i := range cr.sum.Removed {
			if cr.sum.Removed[i].Video == v {
				cr.sum.Removed[i].Deleted = true
			}
		}
		cr.step(lp, captions.Textf("old video %s deleted", v))
	}
	return nil
}

// sendCaptions sends the caption tracks that are new or changed. A video
// adopted from the playlist may have tracks already: they are updated, not
// added again.
func (cr *courseRun) sendCaptions(ctx context.Context, lp *LessonPlan, video string) error {
	t := cr.opts.Target
	var tracks map[string]string
	for _, c := range lp.captions {
		if !c.send {
			continue
		}
		track := c.track
		if track == "" && lp.adopted {
			if tracks == nil {
				var err error
				if tracks, err = t.Captions(ctx, video); err != nil {
					return captions.Errorf("listing the video's caption tracks: %w", err)
				}
			}
			track = tracks[c.lang]
		}
		id, err := t.SetCaption(ctx, video, Caption{Language: c.lang, Name: TrackName(c.lang), SRT: c.srt}, track)
		if err != nil {
			return captions.Errorf("sending the %s captions: %w", c.lang, err)
		}
		if err := cr.saveLesson(lp, func(r *LessonRecord) {
			if r.Captions == nil {
				r.Captions = map[string]CaptionRecord{}
			}
			r.Captions[c.lang] = CaptionRecord{Track: id, Hash: c.hash}
		}); err != nil {
			return err
		}
		cr.step(lp, captions.Textf("%s captions sent", c.lang))
	}
	return nil
}

// dropCaptions deletes the tracks whose caption file is gone.
func (cr *courseRun) dropCaptions(ctx context.Context, lp *LessonPlan, video string) error {
	for _, d := range lp.drop {
		if err := cr.opts.Target.DeleteCaption(ctx, video, d.lang, d.track); err != nil {
			return captions.Errorf("deleting the %s caption track, whose file is no longer in %s: %w", d.lang, lp.Lesson.Dir, err)
		}
		if err := cr.saveLesson(lp, func(r *LessonRecord) { delete(r.Captions, d.lang) }); err != nil {
			return err
		}
		cr.step(lp, captions.Textf("caption track %s deleted", d.lang))
	}
	return nil
}

// setThumbnail sets the lesson's thumbnail when it is new or changed.
func (cr *courseRun) setThumbnail(ctx context.Context, lp *LessonPlan, video string) error {
	if !lp.thumb {
		return nil
	}
	if err := cr.opts.Target.SetThumbnail(ctx, video, lp.Lesson.Thumbnail); err != nil {
		return captions.Errorf("setting the thumbnail from %s: %w", lp.Lesson.Thumbnail, err)
	}
	if err := cr.saveLesson(lp, func(r *LessonRecord) { r.Thumbnail = lp.thumbHash }); err != nil {
		return err
	}
	cr.step(lp, captions.Textf("thumbnail set"))
	return nil
}
