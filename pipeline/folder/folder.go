// Package folder is the destination `--target dir:PATH`: it publishes into a
// local folder exactly what would be sent to YouTube, with no account and no
// limits. It implements pipeline.Target and is registered by cmd/lessonpub.
package folder

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

	"github.com/lessonpub/lessonpub/captions"
	"github.com/lessonpub/lessonpub/pipeline"
	"github.com/lessonpub/lessonpub/pipeline/atomicfile"
)

// Target publishes into a local folder exactly what would go to YouTube:
//
//	playlist.json                   the playlist: title, and its items in order
//	videos/ID/video.mp4             the rendered video as uploaded
//	videos/ID/metadata.json         title, description, tags, privacy...
//	videos/ID/captions/LANG.srt     each caption track as uploaded
//	videos/ID/thumbnail.EXT         the thumbnail
//
// It needs no account and has no limits: `make demo` uses it, and so can
// people who prepare lessons offline.
type Target struct {
	dir       string
	mu        sync.Mutex
	sweepOnce sync.Once
}

// New returns a target writing into dir (created when needed).
func New(dir string) (*Target, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, err
	}
	if fi, err := os.Stat(abs); err == nil && !fi.IsDir() {
		return nil, captions.Errorf("%s is a file; give a folder for --target dir:PATH", dir)
	}
	return &Target{dir: abs}, nil
}

type dirPlaylist struct {
	pipeline.Playlist
	Items []pipeline.Item `json:"items"`
}

// Name implements pipeline.Target.
func (t *Target) Name() string { return "dir:" + t.dir }

func (t *Target) playlistPath() string { return filepath.Join(t.dir, "playlist.json") }

func (t *Target) videoDir(id string) string { return filepath.Join(t.dir, "videos", id) }

// tempPrefix starts the name of a video folder being written; a run
// renames it into place complete, and sweeps those a killed run left.
const tempPrefix = ".tmp-"

// checkID refuses a video id that is not one this target makes (letters,
// digits, dashes, underscores and dots, not starting with a dot): an id
// read from the record or playlist.json is a path inside the target only
// then, whatever was written there.
func (t *Target) checkID(id string) error {
	ok := id != "" && len(id) <= 200 && id[0] != '.'
	for i := 0; ok && i < len(id); i++ {
		c := id[i]
		ok = c == '-' || c == '_' || c == '.' || '0' <= c && c <= '9' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z'
	}
	if !ok {
		return captions.Errorf("%q is not a video of %s (the record or playlist.json names it; fix or delete %s in the course folder)", id, t.dir, filepath.Join(pipeline.RecordDir, pipeline.RecordFile))
	}
	return nil
}

// sweep removes the video folders a killed run left half-written.
func (t *Target) sweep() {
	entries, _ := os.ReadDir(filepath.Join(t.dir, "videos"))
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), tempPrefix) {
			os.RemoveAll(filepath.Join(t.dir, "videos", e.Name()))
		}
	}
}

func (t *Target) readPlaylist() (*dirPlaylist, error) {
	data, err := os.ReadFile(t.playlistPath())
	if err != nil {
		return nil, err
	}
	var p dirPlaylist
	if err := json.Unmarshal(data, &p); err != nil {
		return nil, captions.Errorf("%s is damaged: %v; delete the folder %s and publish again", t.playlistPath(), err, t.dir)
	}
	return &p, nil
}

func (t *Target) writePlaylist(p *dirPlaylist) error {
	for i := range p.Items {
		p.Items[i].Position = i
		p.Items[i].Key = "" // keys live in each video's description, as on YouTube
	}
	return writeJSON(t.playlistPath(), p)
}

func writeJSON(path string, v any) error {
	data, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	return atomicfile.WriteFile(path, append(data, '\n'), 0o644)
}

// Playlist implements pipeline.Target. The folder holds one course's
// playlist, found by its id or by the course key line of its description.
func (t *Target) Playlist(ctx context.Context, knownID string, meta pipeline.PlaylistMeta, create bool) (*pipeline.Playlist, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	p, err := t.readPlaylist()
	key := pipeline.CourseKeyOf(meta.Description)
	switch {
	case err == nil && ((knownID != "" && p.ID == knownID) || (key != "" && pipeline.CourseKeyOf(p.Description) == key)):
		return &p.Playlist, nil
	case err == nil:
		return nil, captions.Errorf("%s already holds another course, %q (its playlist.json has no %q line); publish %q into another folder, or, if it is this course's, make that line the last of its description and run again",
			t.dir, p.Title, pipeline.CourseKeyPrefix+key, meta.Title)
	case !errors.Is(err, fs.ErrNotExist):
		return nil, err
	case !create:
		return nil, nil
	}
	p = &dirPlaylist{Playlist: pipeline.Playlist{ID: "PL" + NewID(), PlaylistMeta: meta}, Items: []pipeline.Item{}}
	if err := t.writePlaylist(p); err != nil {
		return nil, err
	}
	return &p.Playlist, nil
}

// UpdatePlaylist implements pipeline.Target.
func (t *Target) UpdatePlaylist(ctx context.Context, id string, meta pipeline.PlaylistMeta) error {
	t.mu.Lock()
	defer t.mu.Unlock()
	p, err := t.playlist(id)
	if err != nil {
		return err
	}
	p.PlaylistMeta = meta
	return t.writePlaylist(p)
}

// Items implements pipeline.Target. The first call of a run sweeps the
// video folders a killed run left half-written.
func (t *Target) Items(ctx context.Context, playlistID string) ([]pipeline.Item, error) {
	t.sweepOnce.Do(t.sweep)
	t.mu.Lock()
	defer t.mu.Unlock()
	p, err := t.playlist(playlistID)
	if err != nil {
		return nil, err
	}
	for i := range p.Items {
		if t.checkID(p.Items[i].Video) != nil {
			continue // not a video of this folder: no key, so never a lesson's
		}
		var m pipeline.VideoMeta
		if data, err := os.ReadFile(filepath.Join(t.videoDir(p.Items[i].Video), "metadata.json")); err == nil && json.Unmarshal(data, &m) == nil {
			p.Items[i].Key = pipeline.KeyOf(m.Description)
			p.Items[i].Title = m.Title
		}
	}
	return p.Items, nil
}

func (t *Target) playlist(id string) (*dirPlaylist, error) {
	p, err := t.readPlaylist()
	if err != nil {
		return nil, err
	}
	if p.ID != id {
		return nil, captions.Errorf("%s: playlist %s not found (the folder holds %s)", t.dir, id, p.ID)
	}
	return p, nil
}

// Upload implements pipeline.Target: the file and its metadata are written
// into a temporary folder, renamed into place complete. A run killed before
// the rename leaves a temporary folder, which the next run sweeps; one
// killed after it leaves a complete video, which FindUploads finds.
func (t *Target) Upload(ctx context.Context, u pipeline.Upload) (string, error) {
	t.sweepOnce.Do(t.sweep)
	file, meta := u.File, u.Meta
	name := meta.LessonKey
	if i := strings.LastIndexByte(name, '/'); i >= 0 {
		name = name[i+1:]
	}
	id := safeName(name) + "-" + NewID()[:6]
	dir, tmp := t.videoDir(id), t.videoDir(tempPrefix+id)
	if err := os.MkdirAll(tmp, 0o755); err != nil {
		return "", err
	}
	if err := atomicfile.Copy(ctx, file, filepath.Join(tmp, "video"+strings.ToLower(filepath.Ext(file))), 0o644, u.Progress); err != nil {
		os.RemoveAll(tmp)
		return "", err
	}
	if err := writeJSON(filepath.Join(tmp, "metadata.json"), meta); err != nil {
		os.RemoveAll(tmp)
		return "", err
	}
	if err := os.Rename(tmp, dir); err != nil {
		os.RemoveAll(tmp)
		return "", err
	}
	if err := u.Saved(id); err != nil {
		return "", err
	}
	return id, nil
}

// Recover implements pipeline.Target: a folder never loses an answer; a
// video written but not recorded is found by FindUploads.
func (t *Target) Recover(ctx context.Context, key string, saved func(string) error) (string, error) {
	return "", nil
}

// FindUploads implements pipeline.Target: every complete video folder's
// metadata is read.
func (t *Target) FindUploads(ctx context.Context, keys []string) (map[string]string, error) {
	want := map[string]bool{}
	for _, k := range keys {
		want[k] = true
	}
	found := map[string]string{}
	newest := map[string]int64{}
	entries, err := os.ReadDir(filepath.Join(t.dir, "videos"))
	if errors.Is(err, fs.ErrNotExist) {
		return found, nil
	}
	if err != nil {
		return nil, err
	}
	for _, e := range entries {
		if t.checkID(e.Name()) != nil || !e.IsDir() {
			continue
		}
		path := filepath.Join(t.videoDir(e.Name()), "metadata.json")
		data, err := os.ReadFile(path)
		if err != nil {
			continue
		}
		var m pipeline.VideoMeta
		if json.Unmarshal(data, &m) != nil {
			continue
		}
		k := pipeline.KeyOf(m.Description)
		if !want[k] {
			k = pipeline.NormalizeLegacy(k) // written by an earlier lessonpub
		}
		fi, err := os.Stat(path)
		if !want[k] || err != nil {
			continue
		}
		if _, ok := found[k]; !ok || fi.ModTime().UnixNano() > newest[k] {
			found[k], newest[k] = e.Name(), fi.ModTime().UnixNano()
		}
	}
	return found, nil
}

// MoveItem implements pipeline.Target.
func (t *Target) MoveItem(ctx context.Context, playlistID string, it pipeline.Item, position int) error {
	t.mu.Lock()
	defer t.mu.Unlock()
	p, err := t.playlist(playlistID)
	if err != nil {
		return err
	}
	var ok bool
	if p.Items, ok = MoveItem(p.Items, it.ID, position); !ok {
		return captions.Errorf("%s: the playlist has no item %s", t.dir, it.ID)
	}
	return t.writePlaylist(p)
}

// VideoExists implements pipeline.Target.
func (t *Target) VideoExists(ctx context.Context, videoID string) (bool, error) {
	if t.checkID(videoID) != nil {
		return false, nil // never one of ours: the lesson is published anew
	}
	_, err := os.Stat(filepath.Join(t.videoDir(videoID), "metadata.json"))
	if errors.Is(err, fs.ErrNotExist) {
		return false, nil
	}
	return err == nil, err
}

// UpdateMetadata implements pipeline.Target.
func (t *Target) UpdateMetadata(ctx context.Context, videoID string, meta pipeline.VideoMeta) error {
	if err := t.exists(videoID); err != nil {
		return err
	}
	return writeJSON(filepath.Join(t.videoDir(videoID), "metadata.json"), meta)
}

func (t *Target) exists(videoID string) error {
	if err := t.checkID(videoID); err != nil {
		return err
	}
	if _, err := os.Stat(filepath.Join(t.videoDir(videoID), "metadata.json")); err != nil {
		return captions.Errorf("video %s is no longer in %s: run the same command again to publish the lesson anew", videoID, t.dir)
	}
	return nil
}

// InsertItem implements pipeline.Target.
func (t *Target) InsertItem(ctx context.Context, playlistID, videoID string, position int) (string, error) {
	if err := t.exists(videoID); err != nil {
		return "", err
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	p, err := t.playlist(playlistID)
	if err != nil {
		return "", err
	}
	var it pipeline.Item
	p.Items, it = InsertItem(p.Items, videoID, position)
	return it.ID, t.writePlaylist(p)
}

// RemoveItem implements pipeline.Target.
func (t *Target) RemoveItem(ctx context.Context, itemID string) error {
	t.mu.Lock()
	defer t.mu.Unlock()
	p, err := t.readPlaylist()
	if err != nil {
		return err
	}
	var ok bool
	if p.Items, _, ok = RemoveItem(p.Items, itemID); !ok {
		return nil // already gone
	}
	return t.writePlaylist(p)
}

// DeleteVideo implements pipeline.Target.
func (t *Target) DeleteVideo(ctx context.Context, videoID string) error {
	if err := t.checkID(videoID); err != nil {
		return err
	}
	return os.RemoveAll(t.videoDir(videoID))
}

// Captions implements pipeline.Target.
func (t *Target) Captions(ctx context.Context, videoID string) (map[string]string, error) {
	if err := t.checkID(videoID); err != nil {
		return nil, err
	}
	return Tracks(t.videoDir(videoID), videoID)
}

// SetCaption implements pipeline.Target.
func (t *Target) SetCaption(ctx context.Context, videoID string, c pipeline.Caption, trackID string) (string, error) {
	if err := t.exists(videoID); err != nil {
		return "", err
	}
	return WriteTrack(t.videoDir(videoID), videoID, c)
}

// DeleteCaption implements pipeline.Target: the track's file is removed.
func (t *Target) DeleteCaption(ctx context.Context, videoID, lang, trackID string) error {
	if err := t.checkID(videoID); err != nil {
		return err
	}
	return RemoveTrack(t.videoDir(videoID), lang)
}

// SetThumbnail implements pipeline.Target.
func (t *Target) SetThumbnail(ctx context.Context, videoID, file string) error {
	if err := t.exists(videoID); err != nil {
		return err
	}
	return atomicfile.Copy(ctx, file, filepath.Join(t.videoDir(videoID), "thumbnail"+strings.ToLower(filepath.Ext(file))), 0o644, nil)
}

// URL implements pipeline.Target: the video's file.
func (t *Target) URL(videoID string) string {
	if t.checkID(videoID) != nil {
		return "file://" + filepath.ToSlash(filepath.Join(t.dir, "videos")) + "/?" + pipeline.EscapeKey(videoID)
	}
	matches, _ := filepath.Glob(filepath.Join(t.videoDir(videoID), "video.*"))
	sort.Strings(matches)
	if len(matches) > 0 {
		return "file://" + filepath.ToSlash(matches[0])
	}
	return "file://" + filepath.ToSlash(t.videoDir(videoID))
}

// Cost implements pipeline.Target: a folder costs nothing.
func (t *Target) Cost(pipeline.Op) pipeline.Cost { return pipeline.Cost{} }

// Budget implements pipeline.Target: a folder has no limits.
func (t *Target) Budget(context.Context) (pipeline.Budget, error) { return pipeline.Budget{}, nil }

// safeName keeps letters, digits, dashes and dots of a name for a folder.
func safeName(s string) string {
	s = strings.Map(func(r rune) rune {
		if r == '-' || r == '_' || r == '.' || r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' {
			return r
		}
		return '-'
	}, s)
	if s == "" || s[0] == '.' {
		s = "v" + s
	}
	return s
}

var _ pipeline.Target = (*Target)(nil)
