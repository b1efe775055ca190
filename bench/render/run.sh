#!/usr/bin/env bash
# Benchmark of lessonpub render against hand-written ffmpeg commands.
#
#  1. A 2-minute 720p lesson with a green-screen interpreter and burned-in
#     Azerbaijani captions, rendered by `lessonpub render` and by the
#     equivalent ffmpeg commands typed by hand (loudness measurement, then
#     one encode with the same filters and settings). Target: lessonpub
#     within 5% of the hand-written commands.
#  2. The same lesson without interpreter or burn-in, where lessonpub copies
#     the video and treats only the sound, against the full encode of (1).
#     Target: at least 20x faster.
#
# Usage: bench/render/run.sh [ROUNDS]   (default 2; rounds alternate which goes first)
#        LESSONPUB=/path/to/lessonpub bench/render/run.sh   to use a built binary
# Needs ffmpeg >= 5.1 and Go. Takes a few minutes on 2 cores.
set -euo pipefail

rounds=${1:-2}
root=$(cd "$(dirname "$0")/../.." && pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/lessonpub-bench-XXXXXX")
trap 'rm -rf "$work"' EXIT

now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", b - a }'; }

if [ -n "${LESSONPUB:-}" ]; then
	cp "$LESSONPUB" "$work/lessonpub"
else
	echo "building lessonpub…" >&2
	(cd "$root" && go build -o "$work/lessonpub" ./cmd/lessonpub)
fi

# The sound is speech-like (pink noise in syllable-rate bursts, mono like a
# phone): a pure tone is a pathological case for ffmpeg's AAC encoder.
echo "making a 2-minute 720p lesson and interpreter clip…" >&2
course=$work/course
mkdir -p "$course/01-overlay" "$course/02-copy"
cat >"$course/course.yaml" <<'YAML'
title: Bench
language: az
sign:
  key: green
YAML
ffmpeg -hide_banner -loglevel error -nostdin -y \
	-f lavfi -i "testsrc2=s=1280x720:r=30:d=120" \
	-f lavfi -i "anoisesrc=c=pink:a=0.03:d=120:r=48000,volume='0.2+0.8*abs(sin(2*PI*1.7*t))':eval=frame,lowpass=f=4000" \
	-c:v libx264 -preset ultrafast -crf 23 -pix_fmt yuv420p -c:a aac -ac 1 -shortest \
	"$course/01-overlay/lesson.mp4"
ffmpeg -hide_banner -loglevel error -nostdin -y \
	-f lavfi -i "color=c=0x00FF00:s=480x640:r=30:d=120,drawbox=x=120:y=100:w=240:h=440:color=red:t=fill" \
	-c:v libx264 -preset ultrafast -pix_fmt yuv420p "$course/01-overlay/sign.mp4"
awk 'BEGIN {
	for (i = 0; i < 40; i++) {
		s = i * 3
		printf "%d\n00:%02d:%02d,000 --> 00:%02d:%02d,500\nDərs %d: şüşə muncuqları ipə düzürük, ğ ı İ ə\n\n", i + 1, s / 60, s % 60, s / 60, s % 60 + 2, i + 1
	}
}' >"$course/01-overlay/lesson.az.srt"
cp "$course/01-overlay/lesson.mp4" "$course/01-overlay/lesson.az.srt" "$course/02-copy/"

# The font lessonpub writes to its cache folder (doctor writes it, and says where).
"$work/lessonpub" doctor >/dev/null 2>&1 || true
font_dir=${XDG_CACHE_HOME:-$HOME/.cache}/lessonpub/fonts
lesson=$course/01-overlay

# The hand-written equivalent of what lessonpub plans for this lesson
# (see `lessonpub render … --dry-run`): measure the loudness, then one encode.
# Box: 1/6 of 1280x720 at the clip's 3:4 aspect = 340x454, 22 px from the
# bottom-right corner; captions kept left of it with MarginR.
hand() {
	local out=$1 gain
	gain=$(ffmpeg -hide_banner -nostats -nostdin -i "$lesson/lesson.mp4" -map 0:a:0 \
		-af ebur128=peak=true:framelog=verbose:dualmono=true -f null - 2>&1 |
		awk '/Integrated loudness:/ { getline; i = $2 } END { printf "%.2f", -16 - i }')
	ffmpeg -hide_banner -loglevel error -nostdin -y \
		-i "$lesson/lesson.mp4" -i "$lesson/sign.mp4" -i "$lesson/lesson.az.srt" \
		-filter_complex "[0:0]scale=w=1280:h=720,setsar=1[base];[1:0]chromakey=color=0x00FF00:similarity=0.15:blend=0.05,scale=w=340:h=454,setsar=1[sign];[base][sign]overlay=x=918:y=244:eof_action=pass,subtitles=filename=$lesson/lesson.az.srt:charenc=UTF-8:fontsdir=$font_dir:force_style=FontName=DejaVu Sans\,FontSize=18\,PrimaryColour=&H00FFFFFF\,OutlineColour=&H80000000\,BorderStyle=1\,Outline=1.5\,Shadow=0\,MarginL=20\,MarginR=120\,MarginV=14,format=yuv420p[v];[0:1]volume=volume=${gain}dB,pan=stereo|c0=c0|c1=c0[a]" \
		-map "[v]" -map "[a]" -map 2:0 \
		-fps_mode cfr -r 30 -c:v libx264 -preset veryfast -crf 20 -profile:v high -pix_fmt yuv420p -bf 2 -g 15 \
		-c:a aac -b:a 192k -ar 48000 -ac 2 -aac_coder fast -metadata:s:s:0 language=aze -c:s mov_text \
		-map_metadata -1 -map_chapters -1 -dn -t 120.000 -max_muxing_queue_size 4096 -movflags +faststart -f mp4 "$out"
}

run_lp() {
	echo "round $r/$rounds: lessonpub render (overlay + burned captions)…" >&2
	local a b
	a=$(now)
	"$work/lessonpub" render "$lesson" --burn-captions az -o "$work/lp.mp4" >/dev/null 2>"$work/lp.log"
	b=$(now)
	lp=$(elapsed "$a" "$b")
}
run_hand() {
	echo "round $r/$rounds: hand-written ffmpeg…" >&2
	local a b
	a=$(now)
	hand "$work/hand.mp4"
	b=$(now)
	hd=$(elapsed "$a" "$b")
}

sum_lp=0 sum_hand=0 sum_copy=0
for r in $(seq 1 "$rounds"); do
	# Alternate which goes first, so drift in the machine's load evens out.
	if [ $((r % 2)) -eq 1 ]; then run_lp; run_hand; else run_hand; run_lp; fi
	t2=$(now)
	echo "round $r/$rounds: lessonpub render, nothing added to the picture (copy path)…" >&2
	"$work/lessonpub" render "$course/02-copy" -o "$work/copy.mp4" >/dev/null 2>"$work/copy.log"
	t3=$(now)
	cp=$(elapsed "$t2" "$t3")
	printf 'round %d: lessonpub %ss, hand-written %ss, copy path %ss\n' "$r" "$lp" "$hd" "$cp"
	sum_lp=$(awk -v a="$sum_lp" -v b="$lp" 'BEGIN { print a + b }')
	sum_hand=$(awk -v a="$sum_hand" -v b="$hd" 'BEGIN { print a + b }')
	sum_copy=$(awk -v a="$sum_copy" -v b="$cp" 'BEGIN { print a + b }')
done

grep -q '(copy) ->' "$work/copy.log" || { echo "the copy-path lesson was not rendered by copying:" >&2; cat "$work/copy.log" >&2; exit 1; }
awk -v lp="$sum_lp" -v hd="$sum_hand" -v cp="$sum_copy" -v n="$rounds" 'BEGIN {
	printf "\n2-minute 720p lesson, overlay + burned captions, %d round(s)\n", n
	printf "  lessonpub render        %7.2f s\n", lp / n
	printf "  hand-written ffmpeg     %7.2f s\n", hd / n
	printf "  ratio lessonpub/hand    %7.3f   (target <= 1.05)\n", lp / hd
	printf "\nnothing added to the picture (video copied, sound treated)\n"
	printf "  lessonpub copy path     %7.2f s\n", cp / n
	printf "  full encode (above)     %7.2f s\n", lp / n
	printf "  speed-up                %7.1fx  (target >= 20x)\n", lp / cp
}'
