// Package lessons is the course and lesson model: a course is a folder with
// course.yaml, each lesson a sub-folder ordered by name holding the recording,
// an optional sign-language clip, caption files and a thumbnail. Loading is
// strict and reports every problem in one go, each naming its file and line.
package lessons

import (
	"time"

	"github.com/lessonpub/lessonpub/captions"
)

// Course is one craft course: one YouTube playlist.
type Course struct {
	Dir         string // the course folder, as given (cleaned)
	PinnedKey   string // key: in course.yaml, "" when none (see checkKey for what a key may be)
	Title       string // playlist title
	Description string
	Language    string   // BCP 47 tag of the spoken language; default "az"
	Required    []string // caption languages every lesson must have; default [Language]
	Privacy     string   // private (default), unlisted or public
	MadeForKids bool
	Tags        []string
	Sign        Sign             // overlay defaults for every lesson
	Profile     captions.Profile // caption lint thresholds
	CaptionSync string           // captions.sync: SyncError, SyncWarn (default) or SyncOff
	Lessons     []*Lesson        // in course order (folder name order)
}

// What publishing does when captions do not match the lesson's speech
// (course.yaml captions.sync).
const (
	SyncError = "error" // stop: the captions must be fixed first
	SyncWarn  = "warn"  // publish, and say which files are out of sync
	SyncOff   = "off"   // do not listen to the sound
)

// Sign layouts.
const (
	LayoutPiP        = "pip"
	LayoutSideBySide = "side-by-side"
	// LayoutWindow keeps the interpreter out of the picture where a player
	// can show it in a window of its own (the course site); a video that
	// has no such window (YouTube, a folder) gets it picture-in-picture.
	LayoutWindow      = "window"
	MinSignAreaFactor = 1.0 / 6 // Ofcom: the signer covers at least 1/6 of the picture
)

// Sign describes how the interpreter's clip is placed over the lesson.
type Sign struct {
	Layout   string  // pip (default), side-by-side or window
	Position string  // bottom-right (default), bottom-left, top-right, top-left
	Size     float64 // fraction of the picture's area the interpreter's box covers; default 1/6
	Margin   float64 // margin from the picture's edges, fraction of its height; default 0.03
	Key      string  // chroma key: "" (none), "green", "blue" or a colour "0xRRGGBB"
}

// Lesson is one lesson folder.
type Lesson struct {
	Course      *Course
	Dir         string // the lesson folder, inside Course.Dir
	Name        string // folder name, e.g. "01-tools-and-beads"; also the lesson's key within the course
	PinnedKey   string // key: in lesson.yaml, "" when none; unique within the course
	Title       string
	Description string
	Tags        []string
	SignOffset  time.Duration // when the interpreter clip starts in the lesson's timeline (may be negative)
	Recording   string        // path of the recording; "" when missing
	Sign        string        // path of sign.*; "" when none
	Captions    []CaptionFile // sorted by language
	Thumbnail   string        // path; "" when none

	keyLine int // line of key: in lesson.yaml
}

// CaptionFile is one caption file of a lesson.
type CaptionFile struct {
	Path     string // inside the lesson folder
	Language string // BCP 47 tag from the file name (NAME.LANG.EXT), canonical form
	Format   string // "srt" or "vtt"
}
