package ffmpeg

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"math"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/lessonpub/lessonpub/captions"
)

// Errors Probe wraps, for callers that react to the kind of problem
// (errors.Is). Their English is kept to be translated (captions.Errorf).
var (
	ErrEmpty     = captions.Errorf("file is empty")
	ErrNotMedia  = captions.Errorf("not a video or audio file")
	ErrTruncated = captions.Errorf("file is cut short (no moov atom: the recording was not finished or the copy was interrupted)")
	ErrNoVideo   = captions.Errorf("no video stream")
)

// Media is what ffprobe reports about one file.
type Media struct {
	Path     string
	Duration time.Duration // of the container; 0 when unknown
	Format   string        // ffprobe format_name, e.g. "mov,mp4,m4a,3gp,3g2,mj2"
	Size     int64         // bytes
	BitRate  int64         // bits per second; 0 when unknown
	// Video is the first video stream that is not a cover picture; nil when none.
	Video *Stream
	// Audio is the first audio stream ffmpeg can decode; nil when none.
	Audio     *Stream
	Subtitles []Stream
	Streams   []Stream // every stream, in file order
	// FastStart is true for MP4/MOV files whose moov atom precedes mdat.
	FastStart bool
}

// Stream is one stream of a media file.
type Stream struct {
	Index     int    // stream index in the file (as in -map 0:INDEX)
	Type      string // video, audio, subtitle, data, attachment
	Codec     string // codec_name, e.g. h264, hevc, aac, mov_text; "" when ffmpeg has no decoder
	Profile   string // e.g. High, Main, LC
	Language  string // the language tag, e.g. "aze"; "" when undefined
	Duration  time.Duration
	Frames    int64 // nb_frames when the container knows it
	BitRate   int64
	Decodable bool // ffmpeg knows the codec and, for audio, its layout

	// Video.
	Width, Height  int
	FrameRate      float64 // average frame rate
	RealFrameRate  float64 // r_frame_rate: the lowest rate all timestamps fit
	Rate           string  // r_frame_rate as ffmpeg writes it, e.g. "30000/1001"
	VFR            bool    // the average and base rates differ: variable frame rate
	PixFmt         string  // e.g. yuv420p, yuv420p10le, yuvj422p
	BitDepth       int     // bits per sample (8, 10...), 0 when unknown
	Rotation       int     // display rotation in degrees: 0, 90, 180 or 270
	ColorTransfer  string  // e.g. bt709, arib-std-b67 (HLG), smpte2084 (PQ)
	ColorPrimaries string
	FieldOrder     string // progressive, tt, bb...
	CoverArt       bool   // an attached picture, not a moving video

	// Audio.
	Channels      int
	ChannelLayout string
	SampleRate    int
}

// DisplaySize is the picture size after rotation is applied.
func (s *Stream) DisplaySize() (w, h int) {
	if s.Rotation == 90 || s.Rotation == 270 {
		return s.Height, s.Width
	}
	return s.Width, s.Height
}

// HDR reports whether the stream uses an HDR transfer (PQ or HLG).
func (s *Stream) HDR() bool {
	return s.ColorTransfer == "smpte2084" || s.ColorTransfer == "arib-std-b67"
}

// Interlaced reports whether the stream is interlaced.
func (s *Stream) Interlaced() bool {
	switch s.FieldOrder {
	case "tt", "bb", "tb", "bt":
		return true
	}
	return false
}

// RequireVideo returns an error naming the file when it has no video stream.
func (m *Media) RequireVideo() error {
	if m.Video == nil {
		return captions.Errorf("%s: %w: it holds only %s; give a video recording", m.Path, ErrNoVideo, m.StreamList())
	}
	return nil
}

// StreamList says for people what streams the file holds, e.g.
// "video (h264), audio (aac)"; "no streams" when none.
func (m *Media) StreamList() *captions.Text {
	if len(m.Streams) == 0 {
		return captions.Textf("no streams")
	}
	var parts []*captions.Text
	for _, s := range m.Streams {
		var c any = s.Codec
		if s.Codec == "" {
			c = captions.Textf("unknown codec")
		}
		var t *captions.Text
		switch s.Type {
		case "video":
			t = captions.Textf("video (%s)", c)
		case "audio":
			t = captions.Textf("audio (%s)", c)
		case "subtitle":
			t = captions.Textf("subtitle (%s)", c)
		case "data":
			t = captions.Textf("data (%s)", c)
		case "attachment":
			t = captions.Textf("attachment (%s)", c)
		default:
			t = captions.Textf("%s (%s)", s.Type, c)
		}
		parts = append(parts, t)
	}
	return captions.Join(", ", parts)
}

// Probe runs ffprobe on path. Its errors name the file and say what is wrong
// with it (ErrEmpty, ErrNotMedia, ErrTruncated). A file without video is not
// an error here: call RequireVideo when video matters.
func Probe(ctx context.Context, path string) (*Media, error) {
	fi, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	if fi.IsDir() {
		return nil, captions.Errorf("%s: is a folder, not a video file", path)
	}
	if fi.Size() == 0 {
		return nil, captions.Errorf("%s: %w: record or copy it again", path, ErrEmpty)
	}
	bin, err := lookTool("ffprobe")
	if err != nil {
		return nil, err
	}
	cmd := exec.CommandContext(ctx, bin, "-v", "error", "-print_format", "json",
		"-show_format", "-show_streams", safeInput(path))
	var stdout, stderr bytes.Buffer
	cmd.Stdout = &stdout
	cmd.Stderr = &stderr
	if err := cmd.Run(); err != nil {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		return nil, probeError(path, bin, stderr.String(), err)
	}
	var raw probeJSON
	if err := json.Unmarshal(stdout.Bytes(), &raw); err != nil {
		return nil, captions.Errorf("%s: reading ffprobe's report: %w", path, err)
	}
	m := raw.media(path)
	m.Size = fi.Size()
	if len(m.Streams) == 0 {
		return nil, captions.Errorf("%s: %w: ffmpeg finds no streams in it; use the real recording", path, ErrNotMedia)
	}
	if strings.Contains(m.Format, "mp4") || strings.Contains(m.Format, "mov") {
		m.FastStart = moovBeforeMdat(path)
	}
	return m, nil
}

// probeError turns ffprobe's complaint into an error that says what is wrong.
func probeError(path, bin, stderr string, runErr error) error {
	var exited *exec.ExitError
	switch {
	case !errors.As(runErr, &exited):
		return startError("ffprobe", bin, runErr)
	case looksLikeText(path):
		return captions.Errorf("%s: %w: it is a text file, perhaps a caption or a note renamed; use the real recording", path, ErrNotMedia)
	case strings.Contains(stderr, "moov atom not found"):
		return captions.Errorf("%s: %w: copy it again from the camera or phone and let the copy finish; if the recording itself was never finished, record the lesson again", path, ErrTruncated)
	case strings.Contains(stderr, "Invalid data found"):
		return captions.Errorf("%s: %w: ffmpeg cannot read it (%s); save or export the recording again as an MP4 video", path, ErrNotMedia, lastLine(stderr))
	}
	return captions.Errorf("%s: ffprobe failed: %w: %s", path, runErr, lastLine(stderr))
}

// looksLikeText reports whether the first kilobytes of the file are text.
func looksLikeText(path string) bool {
	f, err := os.Open(path)
	if err != nil {
		return false
	}
	defer f.Close()
	buf := make([]byte, 4096)
	n, _ := io.ReadFull(f, buf)
	buf = buf[:n]
	if n == 0 || bytes.IndexByte(buf, 0) >= 0 {
		return false
	}
	// Allow a rune cut at the end of a full buffer.
	for i := 0; i < utf8.UTFMax-1 && n == cap(buf) && len(buf) > 0 && !utf8.Valid(buf); i++ {
		buf = buf[:len(buf)-1]
	}
	return utf8.Valid(buf)
}

// moovBeforeMdat walks the top-level MP4 boxes and reports whether moov
// comes before mdat (fast start).
func moovBeforeMdat(path string) bool {
	f, err := os.Open(path)
	if err != nil {
		return false
	}
	defer f.Close()
	var off int64
	hdr := make([]byte, 16)
	for {
		if _, err := f.ReadAt(hdr[:8], off); err != nil {
			return false
		}
		size := int64(uint32(hdr[0])<<24 | uint32(hdr[1])<<16 | uint32(hdr[2])<<8 | uint32(hdr[3]))
		typ := string(hdr[4:8])
		switch typ {
		case "moov":
			return true
		case "mdat":
			return false
		}
		if size == 1 {
			if _, err := f.ReadAt(hdr[8:16], off+8); err != nil {
				return false
			}
			size = 0
			for _, b := range hdr[8:16] {
				size = size<<8 | int64(b)
			}
		}
		if size < 8 {
			return false
		}
		off += size
	}
}

func lastLine(s string) string {
	s = strings.TrimSpace(s)
	if i := strings.LastIndexByte(s, '\n'); i >= 0 {
		s = s[i+1:]
	}
	return s
}

type probeJSON struct {
	Streams []struct {
		Index          int               `json:"index"`
		CodecName      string            `json:"codec_name"`
		CodecType      string            `json:"codec_type"`
		Profile        string            `json:"profile"`
		Width          int               `json:"width"`
		Height         int               `json:"height"`
		PixFmt         string            `json:"pix_fmt"`
		RFrameRate     string            `json:"r_frame_rate"`
		AvgFrameRate   string            `json:"avg_frame_rate"`
		ColorTransfer  string            `json:"color_transfer"`
		ColorPrimaries string            `json:"color_primaries"`
		FieldOrder     string            `json:"field_order"`
		BitsPerRaw     string            `json:"bits_per_raw_sample"`
		Channels       int               `json:"channels"`
		ChannelLayout  string            `json:"channel_layout"`
		SampleRate     string            `json:"sample_rate"`
		Duration       string            `json:"duration"`
		NbFrames       string            `json:"nb_frames"`
		BitRate        string            `json:"bit_rate"`
		Tags           map[string]string `json:"tags"`
		Disposition    map[string]int    `json:"disposition"`
		SideData       []struct {
			Type     string  `json:"side_data_type"`
			Rotation float64 `json:"rotation"`
		} `json:"side_data_list"`
	} `json:"streams"`
	Format struct {
		FormatName string `json:"format_name"`
		Duration   string `json:"duration"`
		BitRate    string `json:"bit_rate"`
	} `json:"format"`
}

func (p *probeJSON) media(path string) *Media {
	m := &Media{
		Path:     path,
		Format:   p.Format.FormatName,
		Duration: seconds(p.Format.Duration),
		BitRate:  atoi64(p.Format.BitRate),
	}
	for _, r := range p.Streams {
		s := Stream{
			Index:          r.Index,
			Type:           r.CodecType,
			Codec:          r.CodecName,
			Profile:        r.Profile,
			Language:       r.Tags["language"],
			Duration:       seconds(r.Duration),
			Frames:         atoi64(r.NbFrames),
			BitRate:        atoi64(r.BitRate),
			Width:          r.Width,
			Height:         r.Height,
			PixFmt:         r.PixFmt,
			FrameRate:      rational(r.AvgFrameRate),
			RealFrameRate:  rational(r.RFrameRate),
			Rate:           r.RFrameRate,
			ColorTransfer:  r.ColorTransfer,
			ColorPrimaries: r.ColorPrimaries,
			FieldOrder:     r.FieldOrder,
			BitDepth:       int(atoi64(r.BitsPerRaw)),
			Channels:       r.Channels,
			ChannelLayout:  r.ChannelLayout,
			SampleRate:     int(atoi64(r.SampleRate)),
			CoverArt:       r.Disposition["attached_pic"] == 1,
		}
		if s.Language == "und" {
			s.Language = ""
		}
		if s.BitDepth == 0 {
			s.BitDepth = pixFmtDepth(s.PixFmt)
		}
		s.Decodable = s.Codec != "" && s.Codec != "none"
		if s.Type == "audio" {
			s.Decodable = s.Decodable && s.Channels > 0 && s.SampleRate > 0
		}
		if s.Type == "video" {
			s.Rotation = rotation(r.Tags["rotate"])
			for _, sd := range r.SideData {
				if sd.Type == "Display Matrix" {
					s.Rotation = normalizeRotation(int(math.Round(sd.Rotation)))
				}
			}
			if s.FrameRate == 0 {
				s.FrameRate = s.RealFrameRate
			}
			s.VFR = s.RealFrameRate > 0 && s.FrameRate > 0 &&
				math.Abs(s.FrameRate-s.RealFrameRate)/s.RealFrameRate > 0.002
		}
		m.Streams = append(m.Streams, s)
	}
	for i := range m.Streams {
		s := &m.Streams[i]
		switch s.Type {
		case "video":
			if m.Video == nil && !s.CoverArt && s.Decodable {
				m.Video = s
			}
		case "audio":
			if m.Audio == nil && s.Decodable {
				m.Audio = s
			}
		case "subtitle":
			m.Subtitles = append(m.Subtitles, *s)
		}
	}
	if m.Duration == 0 && m.Video != nil {
		m.Duration = m.Video.Duration
	}
	return m
}

func seconds(s string) time.Duration {
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || f < 0 || math.IsNaN(f) || math.IsInf(f, 0) {
		return 0
	}
	return time.Duration(f * float64(time.Second))
}

func atoi64(s string) int64 {
	n, _ := strconv.ParseInt(s, 10, 64)
	return n
}

// rational parses "30000/1001"; 0 for "0/0" or garbage.
func rational(s string) float64 {
	num, den, ok := strings.Cut(s, "/")
	if !ok {
		f, _ := strconv.ParseFloat(s, 64)
		return f
	}
	n, err1 := strconv.ParseFloat(num, 64)
	d, err2 := strconv.ParseFloat(den, 64)
	if err1 != nil || err2 != nil || d == 0 {
		return 0
	}
	return n / d
}

func rotation(tag string) int {
	n, err := strconv.Atoi(tag)
	if err != nil {
		return 0
	}
	return normalizeRotation(n)
}

// normalizeRotation maps any multiple of 90 degrees into 0, 90, 180, 270.
func normalizeRotation(deg int) int {
	deg %= 360
	if deg < 0 {
		deg += 360
	}
	return (deg + 45) / 90 * 90 % 360
}

// pixFmtDepth guesses the bit depth from a pixel format name.
func pixFmtDepth(pf string) int {
	switch {
	case pf == "":
		return 0
	case strings.Contains(pf, "p10"), strings.Contains(pf, "10le"), strings.Contains(pf, "10be"):
		return 10
	case strings.Contains(pf, "p12"):
		return 12
	case strings.Contains(pf, "p16"):
		return 16
	}
	return 8
}
