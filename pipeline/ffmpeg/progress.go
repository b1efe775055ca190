package ffmpeg

import (
	"bytes"
	"strconv"
	"strings"
	"time"
)

// Progress is one report of a running ffmpeg.
type Progress struct {
	OutTime  time.Duration // how much of the output is written; never goes back
	Duration time.Duration // expected output length; 0 when unknown
	Percent  float64       // 0-100; 0 when Duration is unknown
	Speed    float64       // times real time; 0 when unknown
	ETA      time.Duration // estimated time left; -1 when unknown
	Frame    int64
	Size     int64 // bytes written so far
	Done     bool  // ffmpeg finished successfully
}

// progressParser reads ffmpeg's -progress key=value blocks and emits one
// Progress per block. out_time is clamped to be monotonic and not beyond
// the duration: ffmpeg reports N/A or negative values at the start, and
// jumps ahead to the next subtitle packet when subtitles are muxed.
type progressParser struct {
	duration time.Duration
	emit     func(Progress)

	partial []byte
	cur     Progress
}

func (p *progressParser) Write(b []byte) (int, error) {
	n := len(b)
	p.partial = append(p.partial, b...)
	for {
		i := bytes.IndexByte(p.partial, '\n')
		if i < 0 {
			break
		}
		p.line(string(bytes.TrimRight(p.partial[:i], "\r")))
		p.partial = p.partial[i+1:]
	}
	return n, nil
}

func (p *progressParser) line(l string) {
	key, val, ok := strings.Cut(l, "=")
	if !ok {
		return
	}
	val = strings.TrimSpace(val)
	switch key {
	case "out_time_us":
		us, err := strconv.ParseInt(val, 10, 64)
		if err != nil || us < 0 {
			return // N/A, or negative at the start
		}
		t := time.Duration(us) * time.Microsecond
		if p.duration > 0 && t > p.duration {
			t = p.duration
		}
		if t > p.cur.OutTime {
			p.cur.OutTime = t
		}
	case "frame":
		if n, err := strconv.ParseInt(val, 10, 64); err == nil {
			p.cur.Frame = n
		}
	case "total_size":
		if n, err := strconv.ParseInt(val, 10, 64); err == nil {
			p.cur.Size = n
		}
	case "speed":
		if f, err := strconv.ParseFloat(strings.TrimSuffix(val, "x"), 64); err == nil && f >= 0 {
			p.cur.Speed = f
		}
	case "progress":
		p.send(false)
	}
}

func (p *progressParser) send(done bool) {
	if p.emit == nil {
		return
	}
	pr := p.cur
	pr.Duration = p.duration
	pr.ETA = -1
	if done {
		pr.Done = true
		if p.duration > 0 {
			pr.OutTime = p.duration
		}
	}
	if p.duration > 0 {
		pr.Percent = 100 * float64(pr.OutTime) / float64(p.duration)
		switch {
		case done:
			pr.ETA = 0
		case pr.Speed > 0:
			pr.ETA = time.Duration(float64(p.duration-pr.OutTime) / pr.Speed)
		}
	}
	p.emit(pr)
}

// finish emits the final report after ffmpeg exited successfully.
func (p *progressParser) finish() { p.send(true) }
