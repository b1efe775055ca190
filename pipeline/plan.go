package pipeline

import (
	"context"
	"fmt"
	"path/filepath"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/lessonpub/lessonpub/captions"
	"github.com/lessonpub/lessonpub/lessons"
)

// Actions a lesson can need.
const (
	ActionNone    = "unchanged" // nothing to do
	ActionNew     = "new"       // render, upload, place, captions, thumbnail
	ActionReplace = "replace"   // the recording changed: render and upload again
	ActionUpdate  = "update"    // metadata, captions or thumbnail changed, or its place is missing
	ActionBlocked = "blocked"   // it cannot be published as it is (Err says why)
)

// LessonPlan is what one lesson needs.
type LessonPlan struct {
	Lesson *lessons.Lesson `json:"-"`
	Name   string          `json:"lesson"`
	Key    string          `json:"key"`
	Action string          `json:"action"`
	Steps  []string        `json:"steps,omitempty"` // what will be done, for people
	Cost   Cost            `json:"cost"`
	Err    error           `json:"-"`
	Error  string          `json:"error,omitempty"`
	Render string          `json:"render,omitempty"` // the render plan (--dry-run only)
	// Stream: the video is uploaded while it renders (Options.Stream).
	Stream bool `json:"stream,omitempty"`

	steps     []*captions.Text // Steps kept to translate
	renderErr error            // why the render could not be planned (Render says it in English)
	render    Description      // what Render says in English
	index     int
	hashes    Hashes
	meta      VideoMeta
	metaHash  string
	captions  []plannedCaption
	drop      []droppedCaption // published tracks whose file is gone
	thumbHash string

	upload    bool // render and upload a new video
	updMeta   bool
	insert    bool     // put the video into the playlist
	stale     []Item   // other items of the lesson to take out of the playlist
	adopted   bool     // found on the target without a record: resend what cannot be compared
	deleteOld []string // replaced videos to delete (--replace)
	thumb     bool     // set the thumbnail
}

type plannedCaption struct {
	lang  string
	srt   []byte
	hash  string
	track string // existing track to update; "" to insert
	send  bool
}

// droppedCaption is a published caption track whose file is no longer in
// the lesson folder: it is deleted from the video.
type droppedCaption struct {
	lang  string
	track string
}

// Plan is what a run will do, lesson by lesson, and what it costs.
type Plan struct {
	Target  string        `json:"target"`
	Course  string        `json:"course"`
	Lessons []*LessonPlan `json:"lessons"`
	// CreatePlaylist is true when the course's playlist must be made.
	CreatePlaylist bool `json:"create_playlist"`
	// UpdatePlaylist is true when the course's title, description or
	// privacy changed since they were given to its playlist.
	UpdatePlaylist bool `json:"update_playlist"`
	// Cost is what the whole plan costs, the playlist's part included.
	Cost Cost `json:"cost"`
	// Budget is what is left of today's limits before the plan.
	Budget Budget `json:"budget"`
	// FitsToday is how many of the lessons with work fit in today's budget,
	// taken in course order.
	FitsToday int `json:"fits_today"`
	// Work is how many lessons need any work.
	Work int `json:"work"`
	// Days is how many days of quota the whole plan needs (1 when it fits).
	Days int `json:"days"`
	// UploadsLookup is the search for lessons' videos among all the
	// target's videos (Target.FindUploads), for lessons with no video in
	// the record or the playlist; nil when none is needed.
	UploadsLookup *Lookup `json:"uploads_lookup,omitempty"`
	// Moves is how many playlist items are moved into lesson order.
	Moves int `json:"moves,omitempty"`
}

// Lookup is an uploads lookup in a plan.
type Lookup struct {
	Lessons int  `json:"lessons"` // how many lessons are looked for
	Cost    Cost `json:"cost"`    // the least it costs: more when the target has many videos
}

// Blocked is how many lessons cannot be published until their problems
// are fixed.
func (pl *Plan) Blocked() int {
	n := 0
	for _, lp := range pl.Lessons {
		if lp.Action == ActionBlocked {
			n++
		}
	}
	return n
}

// prepare reads everything that goes into a lesson: hashes of its files,
// its metadata and its captions in the form uploaded. A problem that keeps
// the lesson from being published is set as lp.Err.
func (p *Publisher) prepare(ctx context.Context, l *lessons.Lesson, index int, courseKey string) *LessonPlan {
	key := LessonKey(courseKey, l)
	lp := &LessonPlan{Lesson: l, Name: l.Name, Key: key, index: index, meta: videoMeta(l, key)}
	lp.metaHash = hashJSON(lp.meta)
	fail := func(err error) *LessonPlan {
		lp.Action, lp.Err, lp.Error = ActionBlocked, err, err.Error()
		return lp
	}
	if err := p.opts.Blocked[l]; err != nil {
		return fail(err)
	}
	// The last check of what is sent, the key line included: YouTube
	// would refuse it only after the render and the upload.
	if probs := lessons.VideoLimits(lp.meta.Title, lp.meta.Description, lp.meta.Tags); len(probs) > 0 {
		return fail(captions.Errorf("%s: %s; shorten it in %s", l.Dir, captions.Join("; ", probs), filepath.Join(l.Dir, lessons.LessonFile)))
	}
	if l.Recording == "" {
		return fail(captions.Errorf("%s: no recording; put the lesson's video (such as lesson.mp4) into the folder", l.Dir))
	}
	if lessons.IsLFSPointer(l.Recording) {
		return fail(captions.Errorf("%s is a Git LFS pointer, not the video; run 'git lfs pull' first", l.Recording))
	}
	var err error
	if lp.hashes.Recording, err = p.hashes.File(l.Recording); err != nil {
		return fail(captions.Errorf("reading the recording: %w", err))
	}
	if l.Sign != "" {
		if lp.hashes.Sign, err = p.hashes.File(l.Sign); err != nil {
			return fail(captions.Errorf("reading the interpreter clip: %w", err))
		}
	}
	lp.hashes.Render = hashBytes([]byte(p.opts.Renderer.Settings(l)))
	lp.hashes.Video = hashJSON([]string{lp.hashes.Recording, lp.hashes.Sign, lp.hashes.Render})
	if l.Thumbnail != "" {
		if lp.thumbHash, err = p.hashes.File(l.Thumbnail); err != nil {
			return fail(captions.Errorf("reading the thumbnail: %w", err))
		}
	}
	if err := p.opts.Captions.Check(ctx, l); err != nil {
		return fail(captions.Errorf("captions: %w", err))
	}
	for _, cf := range l.Captions {
		srt, err := p.opts.Captions.SRT(cf)
		if err != nil {
			return fail(fmt.Errorf("%s: %w", cf.Path, err))
		}
		lp.captions = append(lp.captions, plannedCaption{lang: cf.Language, srt: srt, hash: hashBytes(srt)})
	}
	return lp
}

// decide fills in what the lesson needs, given what was published of it
// (rec, nil when nothing) and the playlist's items of the lesson.
func (p *Publisher) decide(lp *LessonPlan, rec *LessonRecord, items []Item) {
	if lp.Err != nil {
		return
	}
	t := p.opts.Target
	lp.Steps, lp.steps, lp.Cost = nil, nil, Cost{}
	step := func(op Op, what *captions.Text) {
		lp.Steps = append(lp.Steps, what.String())
		lp.steps = append(lp.steps, what)
		lp.Cost = lp.Cost.Add(t.Cost(op))
	}
	// A record with a video but no hashes was adopted from the target: the
	// video is taken as current, everything else is sent again.
	lp.adopted = rec != nil && rec.Video != "" && rec.Hashes.Video == ""
	lp.upload = rec == nil || rec.Video == "" || (!lp.adopted && rec.Hashes.Video != lp.hashes.Video)
	lp.updMeta = false
	lp.stale = nil
	lp.insert = true
	for _, it := range items {
		if rec != nil && it.Video == rec.Video && !lp.upload && lp.insert {
			lp.insert = false
			continue
		}
		lp.stale = append(lp.stale, it)
	}
	switch {
	case lp.upload && (rec == nil || rec.Video == ""):
		lp.Action = ActionNew
	case lp.upload:
		lp.Action = ActionReplace
	default:
		lp.Action = ActionUpdate
	}
	lp.Stream = lp.upload && p.streams()
	switch {
	case lp.Stream:
		step(OpUpload, captions.Textf("render and upload the video, streamed: the upload starts as the render does"))
	case lp.upload:
		step(OpUpload, captions.Textf("render and upload the video"))
	case lp.adopted || rec.Metadata != lp.metaHash:
		lp.updMeta = true
		step(OpUpdateVideo, captions.Textf("update title, description and settings"))
	}
	for _, it := range lp.stale {
		if p.opts.Replace {
			step(OpRemoveItem, captions.Textf("take the old video %s out of the playlist (kept on the channel; deleted with --replace)", it.Video))
		} else {
			step(OpRemoveItem, captions.Textf("take the old video %s out of the playlist (kept on the channel)", it.Video))
		}
	}
	lp.deleteOld = nil
	if p.opts.Replace {
		old := map[string]bool{}
		for _, it := range lp.stale {
			old[it.Video] = true
		}
		if rec != nil {
			for _, r := range rec.Replaced {
				if !r.Deleted {
					old[r.Video] = true
				}
			}
			if lp.upload && rec.Video != "" {
				old[rec.Video] = true
			}
		}
		for _, v := range sortedKeys(old) {
			lp.deleteOld = append(lp.deleteOld, v)
			step(OpDeleteVideo, captions.Textf("delete the old video %s", v))
		}
	}
	if lp.insert {
		step(OpInsertItem, captions.Textf("put it into the playlist at its place"))
	}
	if lp.adopted && !lp.upload {
		step(OpListCaptions, captions.Textf("list its caption tracks"))
	}
	for i := range lp.captions {
		c := &lp.captions[i]
		c.send, c.track = true, ""
		var have CaptionRecord
		if rec != nil && !lp.upload {
			have = rec.Captions[c.lang]
		}
		switch {
		case have.Track == "" && !lp.adopted:
			step(OpInsertCaption, captions.Textf("add the %s captions", c.lang))
		case have.Track == "":
			step(OpUpdateCaption, captions.Textf("send the %s captions", c.lang))
		case have.Hash != c.hash:
			c.track = have.Track
			step(OpUpdateCaption, captions.Textf("update the %s captions", c.lang))
		default:
			c.send = false
		}
	}
	// A track published from a file that is gone now leaves the video too;
	// the caption gate has made sure it is not a required language. A new
	// upload has no tracks yet, and a video adopted from the target none
	// recorded.
	lp.drop = nil
	if rec != nil && !lp.upload {
		have := map[string]bool{}
		for _, c := range lp.captions {
			have[c.lang] = true
		}
		for _, lang := range sortedKeys(rec.Captions) {
			if !have[lang] {
				lp.drop = append(lp.drop, droppedCaption{lang: lang, track: rec.Captions[lang].Track})
				step(OpDeleteCaption, captions.Textf("delete caption track %s (its file is no longer in the lesson folder)", lang))
			}
		}
	}
	lp.thumb = lp.thumbHash != "" && (lp.upload || lp.adopted || rec.Thumbnail != lp.thumbHash)
	if lp.thumb {
		step(OpThumbnail, captions.Textf("set the thumbnail"))
	}
	if len(lp.Steps) == 0 {
		lp.Action = ActionNone
	}
}

// playlistNeeds says whether the course's playlist must be made, or given
// the course's title, description and privacy, from what dest records.
func (pl *Plan) playlistNeeds(dest *Destination, c *lessons.Course, courseKey string) {
	pl.CreatePlaylist = dest.PlaylistID == ""
	pl.UpdatePlaylist = !pl.CreatePlaylist && dest.PlaylistMeta != hashJSON(playlistMeta(c, courseKey))
}

// finish adds up the plan's cost on t and what fits today. The playlist
// is made only for a lesson to publish, and its cost comes first.
func (pl *Plan) finish(t Target) {
	pl.Cost, pl.Work, pl.FitsToday = Cost{}, 0, 0
	for _, lp := range pl.Lessons {
		if lp.Action != ActionNone && lp.Action != ActionBlocked {
			pl.Work++
		}
	}
	pl.CreatePlaylist = pl.CreatePlaylist && pl.Work > 0
	if pl.UploadsLookup != nil {
		pl.Cost = pl.Cost.Add(pl.UploadsLookup.Cost)
	}
	for range pl.Moves {
		pl.Cost = pl.Cost.Add(t.Cost(OpMoveItem))
	}
	if pl.CreatePlaylist {
		pl.Cost = pl.Cost.Add(t.Cost(OpCreatePlaylist))
	}
	if pl.UpdatePlaylist {
		pl.Cost = pl.Cost.Add(t.Cost(OpUpdatePlaylist))
	}
	left := pl.Budget.Spend(pl.Cost)
	stopped := !left.Fits(Cost{})
	for _, lp := range pl.Lessons {
		if lp.Action == ActionNone || lp.Action == ActionBlocked {
			continue
		}
		pl.Cost = pl.Cost.Add(lp.Cost)
		if !stopped && left.Fits(lp.Cost) {
			pl.FitsToday++
			left = left.Spend(lp.Cost)
		} else {
			stopped = true
		}
	}
	pl.Days = 1
	if pl.Budget.Limited && pl.FitsToday < pl.Work {
		per := pl.Budget.PerDay
		days := 1
		if per.Units > 0 {
			days = max(days, 1+ceilDiv(pl.Cost.Units-pl.Budget.Units, per.Units))
		}
		if per.Uploads > 0 {
			days = max(days, 1+ceilDiv(pl.Cost.Uploads-pl.Budget.Uploads, per.Uploads))
		}
		pl.Days = days
	}
}

func ceilDiv(a, b int) int {
	if a <= 0 {
		return 0
	}
	return (a + b - 1) / b
}

// String is the plan for people, in English.
func (pl *Plan) String() string { return pl.Format(fmt.Sprintf) }

// Format is the plan for people, each line made by tr from its English
// format and arguments: fmt.Sprintf gives the English, a translating
// printer another language. An argument may be a *captions.Text or an
// error, for tr to translate too.
func (pl *Plan) Format(tr func(format string, args ...any) string) string {
	var b strings.Builder
	b.WriteString(tr("Plan for %s → %s\n", pl.Course, pl.Target))
	if pl.CreatePlaylist {
		b.WriteString(tr("  create the course's playlist\n"))
	}
	if pl.UpdatePlaylist {
		b.WriteString(tr("  give the course's playlist the title %q and the description and privacy of course.yaml\n", pl.Course))
	}
	if l := pl.UploadsLookup; l != nil {
		b.WriteString(tr("  look for %d lesson(s) among all the videos on %s, in case an earlier run made them (%s at least; 1 unit more per 50 videos on YouTube)\n", l.Lessons, pl.Target, costText(l.Cost)))
	}
	if pl.Moves > 0 {
		b.WriteString(tr("  move %d playlist item(s) into lesson order\n", pl.Moves))
	}
	for _, lp := range pl.Lessons {
		switch lp.Action {
		case ActionBlocked:
			var why any = lp.Error
			if lp.Err != nil {
				why = lp.Err
			}
			b.WriteString(tr("  %s: cannot be published: %s\n", lp.Name, why))
			continue
		case ActionNone:
			b.WriteString(tr("  %s: unchanged\n", lp.Name))
			continue
		}
		b.WriteString(actionLine(tr, lp))
		for i, s := range lp.Steps {
			var step any = s
			if i < len(lp.steps) {
				step = lp.steps[i]
			}
			b.WriteString(tr("      - %s\n", step))
		}
		if lp.Render != "" {
			r := lp.Render
			switch {
			case lp.renderErr != nil:
				r = tr("cannot plan the render: %v", lp.renderErr)
			case lp.render != nil:
				r = lp.render.Format(tr)
			}
			// the render's lines continue under its first, whatever the
			// label's length in the reader's language
			indent := strings.Repeat(" ", utf8.RuneCountInString(strings.TrimSuffix(tr("      render: %s\n", ""), "\n")))
			b.WriteString(tr("      render: %s\n", strings.ReplaceAll(strings.TrimSpace(r), "\n", "\n"+indent)))
		}
	}
	switch {
	case pl.Work == 0 && pl.Blocked() > 0:
		b.WriteString(tr("Nothing can be published until the problems above are fixed.\n"))
	case pl.Work == 0 && !pl.UpdatePlaylist && pl.Moves == 0:
		b.WriteString(tr("Nothing to publish: everything is up to date.\n"))
	case pl.Work == 0:
		b.WriteString(tr("No lesson to publish; only the playlist changes (%s).\n", costText(pl.Cost)))
	case !pl.Budget.Limited:
		b.WriteString(tr("%d lesson(s) to publish; no quota limits on this target.\n", pl.Work))
	default:
		b.WriteString(tr("Cost: %s. Left today: %d units, %d uploads.\n", costText(pl.Cost), pl.Budget.Units, pl.Budget.Uploads))
		if pl.FitsToday == pl.Work {
			b.WriteString(tr("All %d lesson(s) fit in today's quota.\n", pl.Work))
		} else {
			b.WriteString(tr("%d of %d lesson(s) fit today; the rest needs about %d more day(s) (quota resets %s).\n",
				pl.FitsToday, pl.Work, pl.Days-1, captions.Time{Time: pl.Budget.Reset}))
		}
	}
	return b.String()
}

// actionLine is the plan's line of a lesson with work: what it needs and
// what that costs.
func actionLine(tr func(format string, args ...any) string, lp *LessonPlan) string {
	costs := lp.Cost != (Cost{})
	switch {
	case lp.Action == ActionNew && costs:
		return tr("  %s: new (%s)\n", lp.Name, costText(lp.Cost))
	case lp.Action == ActionNew:
		return tr("  %s: new\n", lp.Name)
	case lp.Action == ActionReplace && costs:
		return tr("  %s: replace (%s)\n", lp.Name, costText(lp.Cost))
	case lp.Action == ActionReplace:
		return tr("  %s: replace\n", lp.Name)
	case lp.Action == ActionUpdate && costs:
		return tr("  %s: update (%s)\n", lp.Name, costText(lp.Cost))
	case lp.Action == ActionUpdate:
		return tr("  %s: update\n", lp.Name)
	case costs:
		return fmt.Sprintf("  %s: %s (%s)\n", lp.Name, lp.Action, costText(lp.Cost))
	}
	return fmt.Sprintf("  %s: %s\n", lp.Name, lp.Action)
}

// costText says what c costs: "1650 units, 1 upload(s)".
func costText(c Cost) *captions.Text {
	units := captions.Textf("%d units", c.Units)
	if c.Uploads > 0 {
		return captions.Textf("%s, %s", units, captions.Textf("%d upload(s)", c.Uploads))
	}
	return units
}

// itemsByKey groups a playlist's items by lesson key.
func itemsByKey(items []Item) map[string][]Item {
	m := map[string][]Item{}
	for _, it := range items {
		if it.Key != "" {
			m[it.Key] = append(m[it.Key], it)
		}
	}
	for _, v := range m {
		sort.Slice(v, func(i, j int) bool { return v[i].Position < v[j].Position })
	}
	return m
}
