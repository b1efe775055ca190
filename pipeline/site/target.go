package site

import (
	"context"
	"encoding/json"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/lessonpub/lessonpub/captions"
	"github.com/lessonpub/lessonpub/pipeline"
	"github.com/lessonpub/lessonpub/pipeline/atomicfile"
	"github.com/lessonpub/lessonpub/pipeline/ffmpeg"
	"github.com/lessonpub/lessonpub/pipeline/folder"
)

// Target is the destination `--target site:DIR`: it publishes a course as
// the static site of this package. The course's playlist is the site, its
// items are the lessons on the index in order, and each uploaded video is
// kept with what the core sent about it:
//
//	site.json                        the playlist, its items and each video's metadata
//	.videos/ID/video.mp4             the rendered video (linked or copied)
//	.videos/ID/sign.mp4              the interpreter (sign.layout: window)
//	.videos/ID/captions/LANG.srt     each caption track as sent
//	.videos/ID/thumbnail.EXT         the thumbnail
//
// Every change rewrites the pages it affects (site.WriteLesson, WriteIndex,
// RemoveLesson); a video that is in no item has no page. It needs no
// account and has no limits.
type Target struct {
	dir string
	mu  sync.Mutex
}

// NewTarget returns a target writing the site into dir (created when needed).
func NewTarget(dir string) (*Target, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, err
	}
	if fi, err := os.Stat(abs); err == nil && !fi.IsDir() {
		return nil, captions.Errorf("%s is a file; give a folder for --target site:PATH", dir)
	}
	return &Target{dir: abs}, nil
}

// StateFile is the name of the target's state in the site folder.
const StateFile = "site.json"

const storeDir = ".videos"

// goneError is the error about a video the site no longer has.
type goneError struct{ video, dir string }

func (e *goneError) text() *captions.Text {
	return captions.Textf("video %s is no longer in %s: run the same command again to publish the lesson anew", e.video, e.dir)
}

// Parts returns the English format of the message and its arguments.
func (e *goneError) Parts() (string, []any) { return e.text().Parts() }

func (e *goneError) Error() string { return e.text().String() }

// state is site.json: the playlist and what the target knows of each video.
type state struct {
	pipeline.Playlist
	Items  []pipeline.Item        `json:"items"`
	Videos map[string]*videoState `json:"videos"`
}

type videoState struct {
	Meta     pipeline.VideoMeta `json:"meta"`
	Video    string             `json:"video"`          // file name in the video's store folder
	Sign     string             `json:"sign,omitempty"` // the interpreter's video, likewise
	Duration time.Duration      `json:"duration_ns"`
}

// Name implements pipeline.Target.
func (t *Target) Name() string { return "site:" + t.dir }

// RenditionOptions implements pipeline.RenditionTarget: a site plays the
// interpreter as a second video, so it wants the interpreter kept apart.
func (t *Target) RenditionOptions() pipeline.Rendition {
	return pipeline.Rendition{SignSeparate: true}
}

func (t *Target) statePath() string { return filepath.Join(t.dir, StateFile) }

func (t *Target) videoDir(id string) string { return filepath.Join(t.dir, storeDir, id) }

func (t *Target) readState() (*state, error) {
	data, err := os.ReadFile(t.statePath())
	if err != nil {
		return nil, err
	}
	var s state
	if err := json.Unmarshal(data, &s); err != nil {
		return nil, captions.Errorf("%s is damaged: %v; delete the folder %s and publish again", t.statePath(), err, t.dir)
	}
	if s.Videos == nil {
		s.Videos = map[string]*videoState{}
	}
	return &s, nil
}

// load reads the state, which must hold the playlist id.
func (t *Target) load(playlistID string) (*state, error) {
	s, err := t.readState()
	if err != nil {
		return nil, err
	}
	if s.ID != playlistID {
		return nil, captions.Errorf("%s: playlist %s not found (the site holds %s)", t.dir, playlistID, s.ID)
	}
	return s, nil
}

func (t *Target) writeState(s *state) error {
	for i := range s.Items {
		s.Items[i].Position = i
		s.Items[i].Key = "" // keys live in each video's description, as on YouTube
	}
	data, err := json.MarshalIndent(s, "", "  ")
	if err != nil {
		return err
	}
	if err := os.MkdirAll(t.dir, 0o755); err != nil {
		return err
	}
	return writeIfChanged(t.statePath(), append(data, '\n'))
}

// Playlist implements pipeline.Target. The site holds one course.
func (t *Target) Playlist(ctx context.Context, knownID string, meta pipeline.PlaylistMeta, create bool) (*pipeline.Playlist, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	s, err := t.readState()
	key := pipeline.CourseKeyOf(meta.Description)
	switch {
	case err == nil && ((knownID != "" && s.ID == knownID) || (key != "" && pipeline.CourseKeyOf(s.Description) == key)):
		return &s.Playlist, nil
	case err == nil:
		return nil, captions.Errorf("%s already holds another course, %q (its %s has no %q line); publish %q into another folder, or, if it is this course's, make that line the last of its description and run again",
			t.dir, s.Title, StateFile, pipeline.CourseKeyPrefix+key, meta.Title)
	case !errors.Is(err, fs.ErrNotExist):
		return nil, err
	case !create:
		return nil, nil
	}
	s = &state{Playlist: pipeline.Playlist{ID: "PL" + folder.NewID(), PlaylistMeta: meta}, Items: []pipeline.Item{}, Videos: map[string]*videoState{}}
	if err := t.writeState(s); err != nil {
		return nil, err
	}
	return &s.Playlist, Write(ctx, t.dir, t.course(s))
}

// UpdatePlaylist implements pipeline.Target: every page shows the course's title.
func (t *Target) UpdatePlaylist(ctx context.Context, id string, meta pipeline.PlaylistMeta) error {
	t.mu.Lock()
	defer t.mu.Unlock()
	s, err := t.load(id)
	if err != nil {
		return err
	}
	s.PlaylistMeta = meta
	if err := t.writeState(s); err != nil {
		return err
	}
	return Write(ctx, t.dir, t.course(s))
}

// Items implements pipeline.Target.
func (t *Target) Items(ctx context.Context, playlistID string) ([]pipeline.Item, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	s, err := t.load(playlistID)
	if err != nil {
		return nil, err
	}
	for i := range s.Items {
		if v := s.Videos[s.Items[i].Video]; v != nil {
			s.Items[i].Key = pipeline.KeyOf(v.Meta.Description)
			s.Items[i].Title = v.Meta.Title
		}
	}
	return s.Items, nil
}

// Upload implements pipeline.Target: the rendered video (and the
// interpreter's, when the render kept it apart) is linked or copied into
// the site's store. It gets its page when it is put into the playlist.
func (t *Target) Upload(ctx context.Context, u pipeline.Upload) (string, error) {
	id := slugFor(u.Meta.LessonKey) + "-" + folder.NewID()[:6]
	dir := t.videoDir(id)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", err
	}
	v := &videoState{Meta: u.Meta, Video: videoName(u.File)}
	if err := putFile(ctx, u.File, filepath.Join(dir, v.Video), u.Progress); err != nil {
		os.RemoveAll(dir)
		return "", err
	}
	if u.Sign != "" {
		v.Sign = signVideoName(u.Sign)
		if err := putFile(ctx, u.Sign, filepath.Join(dir, v.Sign), nil); err != nil {
			os.RemoveAll(dir)
			return "", err
		}
	}
	m, err := ffmpeg.Probe(ctx, filepath.Join(dir, v.Video))
	if err != nil {
		os.RemoveAll(dir)
		return "", captions.Errorf("reading the rendered video: %w", err)
	}
	v.Duration = m.Duration
	if err := t.change(func(s *state) error { s.Videos[id] = v; return nil }); err != nil {
		os.RemoveAll(dir)
		return "", err
	}
	if err := u.Saved(id); err != nil {
		return "", err
	}
	return id, nil
}

// change applies f to the state and writes it back.
func (t *Target) change(f func(s *state) error) error {
	t.mu.Lock()
	defer t.mu.Unlock()
	s, err := t.readState()
	if err != nil {
		return err
	}
	if err := f(s); err != nil {
		return err
	}
	return t.writeState(s)
}

// Recover implements pipeline.Target: a copy into the site never loses
// its answer.
func (t *Target) Recover(ctx context.Context, key string, saved func(string) error) (string, error) {
	return "", nil
}

// FindUploads implements pipeline.Target: the site's videos whose
// description carries one of keys (a key an earlier lessonpub wrote counts
// in its new form); of two, the later id.
func (t *Target) FindUploads(ctx context.Context, keys []string) (map[string]string, error) {
	want := map[string]bool{}
	for _, k := range keys {
		want[k] = true
	}
	found := map[string]string{}
	t.mu.Lock()
	defer t.mu.Unlock()
	s, err := t.readState()
	if errors.Is(err, fs.ErrNotExist) {
		return found, nil
	}
	if err != nil {
		return nil, err
	}
	for id, v := range s.Videos {
		k := pipeline.KeyOf(v.Meta.Description)
		if !want[k] {
			k = pipeline.NormalizeLegacy(k)
		}
		if want[k] && id > found[k] {
			found[k] = id
		}
	}
	return found, nil
}

// MoveItem implements pipeline.Target; every page is written again, since
// the previous and next links change.
func (t *Target) MoveItem(ctx context.Context, playlistID string, it pipeline.Item, position int) error {
	t.mu.Lock()
	defer t.mu.Unlock()
	s, err := t.load(playlistID)
	if err != nil {
		return err
	}
	var ok bool
	if s.Items, ok = folder.MoveItem(s.Items, it.ID, position); !ok {
		return captions.Errorf("%s: the site has no item %s", t.dir, it.ID)
	}
	if err := t.writeState(s); err != nil {
		return err
	}
	return Write(ctx, t.dir, t.course(s))
}

// VideoExists implements pipeline.Target.
func (t *Target) VideoExists(ctx context.Context, videoID string) (bool, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	s, err := t.readState()
	if errors.Is(err, fs.ErrNotExist) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	return s.Videos[videoID] != nil, nil
}

// UpdateMetadata implements pipeline.Target.
func (t *Target) UpdateMetadata(ctx context.Context, videoID string, meta pipeline.VideoMeta) error {
	return t.changeVideo(ctx, videoID, func(v *videoState) error {
		v.Meta = meta
		return nil
	})
}

// changeVideo applies f to the video's state, writes the state and
// rewrites the video's page when it has one.
func (t *Target) changeVideo(ctx context.Context, videoID string, f func(v *videoState) error) error {
	t.mu.Lock()
	defer t.mu.Unlock()
	s, err := t.readState()
	if err != nil {
		return err
	}
	v := s.Videos[videoID]
	if v == nil {
		return &goneError{videoID, t.dir}
	}
	if err := f(v); err != nil {
		return err
	}
	if err := t.writeState(s); err != nil {
		return err
	}
	return t.writePage(ctx, s, videoID)
}

// writePage rewrites the page of the video, when it is on the site, and
// the pages and index that show it.
func (t *Target) writePage(ctx context.Context, s *state, videoID string) error {
	c := t.course(s)
	for _, l := range c.Lessons {
		if l.Video == filepath.Join(t.videoDir(videoID), s.Videos[videoID].Video) {
			return WriteLesson(ctx, t.dir, c, l.Slug)
		}
	}
	return nil
}

// InsertItem implements pipeline.Target: the lesson gets its page.
func (t *Target) InsertItem(ctx context.Context, playlistID, videoID string, position int) (string, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	s, err := t.load(playlistID)
	if err != nil {
		return "", err
	}
	if s.Videos[videoID] == nil {
		return "", captions.Errorf("video %s is no longer in %s: run the same command again to publish the lesson anew", videoID, t.dir)
	}
	var it pipeline.Item
	s.Items, it = folder.InsertItem(s.Items, videoID, position)
	if err := t.writeState(s); err != nil {
		return "", err
	}
	return it.ID, t.writePage(ctx, s, videoID)
}

// RemoveItem implements pipeline.Target: the lesson's page goes, unless
// another video of the lesson (its replacement) still has it.
func (t *Target) RemoveItem(ctx context.Context, itemID string) error {
	t.mu.Lock()
	defer t.mu.Unlock()
	s, err := t.readState()
	if err != nil {
		return err
	}
	var it pipeline.Item
	var ok bool
	if s.Items, it, ok = folder.RemoveItem(s.Items, itemID); !ok {
		return nil // already gone
	}
	if err := t.writeState(s); err != nil {
		return err
	}
	slug := slugOf(it.Video)
	c := t.course(s)
	if c.index(slug) >= 0 {
		return WriteLesson(ctx, t.dir, c, slug)
	}
	return RemoveLesson(ctx, t.dir, c, slug)
}

// DeleteVideo implements pipeline.Target.
func (t *Target) DeleteVideo(ctx context.Context, videoID string) error {
	if err := t.change(func(s *state) error { delete(s.Videos, videoID); return nil }); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	return os.RemoveAll(t.videoDir(videoID))
}

// Captions implements pipeline.Target.
func (t *Target) Captions(ctx context.Context, videoID string) (map[string]string, error) {
	return folder.Tracks(t.videoDir(videoID), videoID)
}

// SetCaption implements pipeline.Target: the page gets a WebVTT track
// written from the SRT's cues.
func (t *Target) SetCaption(ctx context.Context, videoID string, c pipeline.Caption, trackID string) (string, error) {
	var id string
	err := t.changeVideo(ctx, videoID, func(*videoState) (err error) {
		id, err = folder.WriteTrack(t.videoDir(videoID), videoID, c)
		return err
	})
	return id, err
}

// DeleteCaption implements pipeline.Target.
func (t *Target) DeleteCaption(ctx context.Context, videoID, lang, trackID string) error {
	err := t.changeVideo(ctx, videoID, func(*videoState) error {
		return folder.RemoveTrack(t.videoDir(videoID), lang)
	})
	if _, gone := err.(*goneError); gone {
		return folder.CheckLanguage(lang) // the video and its tracks are gone
	}
	return err
}

// SetThumbnail implements pipeline.Target.
func (t *Target) SetThumbnail(ctx context.Context, videoID, file string) error {
	return t.changeVideo(ctx, videoID, func(*videoState) error {
		old, _ := filepath.Glob(filepath.Join(t.videoDir(videoID), "thumbnail.*"))
		dst := filepath.Join(t.videoDir(videoID), "thumbnail"+mediaExt(file, ".jpg"))
		for _, o := range old {
			if o != dst {
				os.Remove(o)
			}
		}
		return putFile(ctx, file, dst, nil)
	})
}

// URL implements pipeline.Target: the lesson's page.
func (t *Target) URL(videoID string) string {
	return "file://" + filepath.ToSlash(PagePath(t.dir, slugOf(videoID)))
}

// Cost implements pipeline.Target: a site costs nothing.
func (t *Target) Cost(pipeline.Op) pipeline.Cost { return pipeline.Cost{} }

// Budget implements pipeline.Target: a site has no limits.
func (t *Target) Budget(context.Context) (pipeline.Budget, error) { return pipeline.Budget{}, nil }

// course is the site as the state says: the videos of the items in order.
// While a replacement and the video it replaces are both in the playlist,
// the first of them has the lesson's page.
func (t *Target) course(s *state) *Course {
	c := &Course{Title: s.Title, Description: pipeline.WithoutKeyLine(s.Description)}
	seen := map[string]bool{}
	for _, it := range s.Items {
		v := s.Videos[it.Video]
		slug := slugOf(it.Video)
		if v == nil || seen[slug] {
			continue
		}
		seen[slug] = true
		if c.Language == "" {
			c.Language = v.Meta.DefaultLanguage
		}
		vdir := t.videoDir(it.Video)
		l := Lesson{Slug: slug, Title: v.Meta.Title, Description: pipeline.WithoutKeyLine(v.Meta.Description),
			Duration: v.Duration, Video: filepath.Join(vdir, v.Video), Tracks: t.tracks(vdir, v.Meta.DefaultLanguage)}
		if v.Sign != "" {
			l.SignVideo = filepath.Join(vdir, v.Sign)
		}
		if th, _ := filepath.Glob(filepath.Join(vdir, "thumbnail.*")); len(th) > 0 {
			l.Thumbnail = th[0]
		}
		c.Lessons = append(c.Lessons, l)
	}
	if c.Language == "" {
		c.Language = "en"
	}
	return c
}

// tracks reads the video's caption tracks, the course's language first.
func (t *Target) tracks(vdir, first string) []Track {
	files, _ := filepath.Glob(filepath.Join(vdir, "captions", "*.srt"))
	sort.Strings(files)
	var out []Track
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			continue
		}
		cf, _ := captions.Parse(b, captions.SRT)
		tr := Track{Language: strings.TrimSuffix(filepath.Base(f), ".srt"), Cues: cf.Plain().Cues}
		if tr.Language == first {
			out = append([]Track{tr}, out...)
		} else {
			out = append(out, tr)
		}
	}
	return out
}

// slugFor is the page folder of a lesson: the last part of its key, kept
// to letters, digits, dashes, dots and underscores.
func slugFor(key string) string {
	if i := strings.LastIndexByte(key, '/'); i >= 0 {
		key = key[i+1:]
	}
	s := strings.Map(func(r rune) rune {
		if r == '-' || r == '_' || r == '.' || r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' {
			return r
		}
		return '-'
	}, key)
	if s == "" || s[0] == '.' || s == assetsDir {
		s = "lesson-" + s
	}
	return s
}

// slugOf is the page folder of a video: its id without the random suffix.
func slugOf(videoID string) string {
	if i := strings.LastIndexByte(videoID, '-'); i > 0 {
		return videoID[:i]
	}
	return videoID
}

// putFile puts src at dst atomically: a hard link where the file system
// allows (the render is not changed after it is made), else a copy that
// reports progress and stops when ctx is cancelled.
func putFile(ctx context.Context, src, dst string, progress func(sent, total int64)) error {
	fi, err := os.Stat(src)
	if err != nil {
		return err
	}
	tmp := filepath.Join(filepath.Dir(dst), "."+filepath.Base(dst)+".link")
	os.Remove(tmp)
	if err := link(src, tmp); err == nil {
		if err := os.Rename(tmp, dst); err != nil {
			os.Remove(tmp)
			return err
		}
		if progress != nil {
			progress(fi.Size(), fi.Size())
		}
		return nil
	}
	return atomicfile.Copy(ctx, src, dst, 0o644, progress)
}

// Dir is the site's folder.
func (t *Target) Dir() string { return t.dir }

// Course is the site as it stands: the course and the lessons that have a
// page, in order. A caller may set each lesson's Status and the Notes and
// give it to WriteIndex (lessonpub preview does).
func (t *Target) Course() (*Course, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	s, err := t.readState()
	if err != nil {
		return nil, err
	}
	return t.course(s), nil
}

// LessonSlug is the folder of the page of the lesson with the given key.
func LessonSlug(key string) string { return slugFor(key) }
