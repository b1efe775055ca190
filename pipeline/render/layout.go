package render

import (
	"math"
	"strings"

	"github.com/lessonpub/lessonpub/captions"
	"github.com/lessonpub/lessonpub/lessons"
)

// rect is a box in output pixels.
type rect struct{ X, Y, W, H int }

func (r rect) area() int { return r.W * r.H }

// layout is where the lesson and the interpreter go on the output picture.
type layout struct {
	W, H   int  // output picture
	Lesson rect // the lesson's picture, scaled
	Sign   rect // the interpreter's box; zero without a sign clip
	Left   bool // the interpreter is on the left side
}

// even rounds n to the nearest even number, at least 2.
func even(n float64) int {
	e := 2 * int(math.Round(n/2))
	return max(e, 2)
}

// evenUp rounds n up to an even number, at least 2.
func evenUp(n float64) int {
	e := 2 * int(math.Ceil(n/2-1e-9))
	return max(e, 2)
}

// fit scales w×h to fit inside maxW×maxH, keeping the aspect ratio, with
// even sides.
func fit(w, h, maxW, maxH int) (int, int) {
	s := math.Min(float64(maxW)/float64(w), float64(maxH)/float64(h))
	return even(float64(w) * s), even(float64(h) * s)
}

// signDefaults fills the zero values of a course's sign settings.
func signDefaults(s lessons.Sign) lessons.Sign {
	if s.Layout == "" {
		s.Layout = lessons.LayoutPiP
	}
	if s.Position == "" {
		s.Position = "bottom-right"
	}
	if s.Size == 0 {
		s.Size = lessons.MinSignAreaFactor
	}
	if s.Margin == 0 {
		s.Margin = 0.03
	}
	return s
}

// keyColour is the ffmpeg colour for a course's sign.key.
func keyColour(k string) (string, error) {
	switch k = strings.ToLower(strings.TrimSpace(k)); {
	case k == "":
		return "", nil
	case k == "green":
		return "0x00FF00", nil
	case k == "blue":
		return "0x0000FF", nil
	case strings.HasPrefix(k, "#") && len(k) == 7:
		return "0x" + strings.ToUpper(k[1:]), nil
	case strings.HasPrefix(k, "0x") && len(k) == 8:
		return "0x" + strings.ToUpper(k[2:]), nil
	}
	return "", captions.Errorf("sign key %q is not green, blue or a colour such as 0x00FF00", k)
}

// pipLayout puts the interpreter's box over the lesson (w×h). The box has
// the sign clip's aspect ratio and covers s.Size of the picture, shrunk
// only when the picture cannot hold it. It returns warnings for a box
// smaller than one sixth of the picture.
func pipLayout(w, h, signW, signH int, s lessons.Sign) (layout, []*captions.Text) {
	var warns []*captions.Text
	lay := layout{W: w, H: h, Lesson: rect{W: w, H: h}}
	if s.Size < lessons.MinSignAreaFactor-1e-9 {
		warns = append(warns, captions.Textf("the course's sign size %.3g is smaller than one sixth of the picture (0.167), the least Ofcom's guidance for in-vision signing allows; deaf viewers may not read the signs: raise sign.size in course.yaml", s.Size))
	}
	aspect := float64(signW) / float64(signH)
	area := s.Size * float64(w*h)
	bh := math.Sqrt(area / aspect)
	bw := bh * aspect
	m := float64(even(s.Margin * float64(h)))
	if shrink := math.Min(1, math.Min((float64(h)-2*m)/bh, (float64(w)-2*m)/bw)); shrink < 1 {
		bh *= shrink
		bw *= shrink
	}
	box := rect{W: evenUp(bw), H: evenUp(bh)}
	if box.W > w-int(2*m) || box.H > h-int(2*m) {
		box.W, box.H = even(bw), even(bh)
	}
	if float64(box.area()) < lessons.MinSignAreaFactor*float64(w*h)-1 && s.Size >= lessons.MinSignAreaFactor-1e-9 {
		warns = append(warns, captions.Textf("the interpreter's box can only cover %.0f%% of this picture (one sixth, 17%%, is the least recommended): use layout: side-by-side under sign: in course.yaml", 100*float64(box.area())/float64(w*h)))
	}
	mi := int(m)
	lay.Left = strings.HasSuffix(s.Position, "left")
	box.X = w - box.W - mi
	if lay.Left {
		box.X = mi
	}
	box.Y = h - box.H - mi
	if strings.HasPrefix(s.Position, "top") {
		box.Y = mi
	}
	lay.Sign = box
	return lay, warns
}

// sideBySideLayout puts the lesson (lw×lh) and the interpreter next to each
// other on a 16:9 picture maxH high at most (and no higher than the lesson).
func sideBySideLayout(lw, lh, signW, signH, maxH int, s lessons.Sign) (layout, []*captions.Text) {
	var warns []*captions.Text
	// A multiple of 18 high makes an exact, even 16:9 picture.
	h := max(18, min(lh, maxH)/18*18)
	w := h * 16 / 9
	aspect := float64(signW) / float64(signH)
	sh := float64(h)
	sw := sh * aspect
	if sw > float64(w)/2 {
		sw = float64(w) / 2
		sh = sw / aspect
	}
	box := rect{W: even(sw), H: even(sh)}
	left := strings.HasSuffix(s.Position, "left")
	lessonW, lessonH := fit(lw, lh, w-box.W, h)
	lay := layout{W: w, H: h, Left: left}
	lay.Lesson = rect{W: lessonW, H: lessonH, Y: (h - lessonH) / 2 &^ 1}
	box.Y = (h - box.H) / 2 &^ 1
	if left {
		box.X = 0
		lay.Lesson.X = box.W + (w-box.W-lessonW)/2&^1
	} else {
		box.X = w - box.W
		lay.Lesson.X = (w - box.W - lessonW) / 2 &^ 1
	}
	lay.Sign = box
	if float64(box.area()) < s.Size*float64(w*h)-1 {
		warns = append(warns, captions.Textf("the interpreter covers %.0f%% of the side-by-side picture, less than the %.0f%% asked for in course.yaml", 100*float64(box.area())/float64(w*h), 100*s.Size))
	}
	return lay, warns
}
