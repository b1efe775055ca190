package captions

import "time"

// Profile holds every threshold the caption lint applies. DefaultProfile
// follows the Netflix timed-text guide (see README); a course overrides any
// field under `captions.profile` in course.yaml.
type Profile struct {
	MaxCPS        float64       `yaml:"max_cps"`         // reading speed, characters per second, spaces and punctuation counted
	MaxLineLength int           `yaml:"max_line_length"` // characters per line
	MaxLines      int           `yaml:"max_lines"`       // lines per cue
	MinDuration   time.Duration `yaml:"min_duration"`    // shortest cue
	MaxDuration   time.Duration `yaml:"max_duration"`    // longest cue
	MinGapFrames  int           `yaml:"min_gap_frames"`  // smallest gap between cues, in frames (0 gap is allowed: back-to-back cues)
	FrameRate     float64       `yaml:"frame_rate"`      // frames per second used for the gap when the video's rate is unknown
}

// DefaultProfile returns the thresholds used when a course sets none.
func DefaultProfile() Profile {
	return Profile{
		MaxCPS:        17,
		MaxLineLength: 42,
		MaxLines:      2,
		MinDuration:   833 * time.Millisecond, // 5/6 s
		MaxDuration:   7 * time.Second,
		MinGapFrames:  2,
		FrameRate:     25,
	}
}
