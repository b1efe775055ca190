package render

import "strconv"

// fragmentDuration bounds a fragment (in microseconds) when the video's
// keyframes are far apart (a copied screen recording): ffmpeg holds a
// whole fragment in memory, and nothing can be sent before it is written.
const fragmentDuration = "5000000"

// fragmentedOptions are the output options of a fragmented, reproducible
// MP4: the movie header first (empty_moov), a fragment at each keyframe or
// after fragmentDuration, each fragment's offsets relative to itself
// (default_base_moof, as in DASH and CMAF), and nothing that differs from
// one run to the next: no encoder version strings (bitexact) and a fixed
// number of encoder threads. encoded says the video is encoded (not
// copied); sound that the output has sound.
func fragmentedOptions(encoded, sound bool, threads int) []string {
	opts := []string{
		"-movflags", "+frag_keyframe+empty_moov+default_base_moof",
		"-frag_duration", fragmentDuration,
		"-fflags", "+bitexact",
	}
	if encoded {
		opts = append(opts, "-flags:v", "+bitexact", "-threads", strconv.Itoa(threads))
	}
	if sound {
		opts = append(opts, "-flags:a", "+bitexact")
	}
	return opts
}
