#!/usr/bin/env bash
# Benchmark of upload while rendering (issue 12): one lesson (3 minutes of
# 720p with a green-screen interpreter, so a full encode) published with
# --stream to the fake YouTube throttled so that the upload alone takes
# about as long as the render alone; its wall time against render alone +
# upload alone, measured side by side in one run (target: at most 0.6 ×).
# Then `course publish` of three such lessons, with the same ratio.
#
# Usage: bench/stream/run.sh                  (about 25 minutes on 2 cores)
#        DURATION=20 bench/stream/run.sh      a shorter lesson, to try it out
#        LESSONPUB=/path/to/lessonpub bench/stream/run.sh   to use a built binary
#        bench/stream/run.sh -baseline        also time publish --stream=false
#        bench/stream/run.sh -publish-flags '' -skip-course   today's publish, before --stream exists
# Extra arguments go to bench/stream/main.go (see its comment). Needs
# ffmpeg >= 5.1 and Go.
set -euo pipefail

duration=${DURATION:-180}
root=$(cd "$(dirname "$0")/../.." && pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/lessonpub-bench-XXXXXX")
trap 'rm -rf "$work"' EXIT

if [ -n "${LESSONPUB:-}" ]; then
	cp "$LESSONPUB" "$work/lessonpub"
else
	echo "building lessonpub…" >&2
	(cd "$root" && go build -o "$work/lessonpub" ./cmd/lessonpub)
fi

echo "making a ${duration}-second 720p lesson and interpreter clip…" >&2
course=$work/course
mkdir -p "$course/01-lesson-1"
cat >"$course/course.yaml" <<'YAML'
title: Bench
language: az
sign:
  key: green
YAML
# A noisy picture, so the render is as large as a camera lesson's.
ffmpeg -hide_banner -loglevel error -nostdin -y \
	-f lavfi -i "testsrc2=s=1280x720:r=30:d=$duration,noise=alls=6:allf=t" \
	-f lavfi -i "anoisesrc=c=pink:a=0.03:d=$duration:r=48000,volume='0.2+0.8*abs(sin(2*PI*1.7*t))':eval=frame,lowpass=f=4000" \
	-c:v libx264 -preset ultrafast -crf 23 -pix_fmt yuv420p -c:a aac -ac 1 -shortest \
	"$course/01-lesson-1/lesson.mp4"
ffmpeg -hide_banner -loglevel error -nostdin -y \
	-f lavfi -i "color=c=0x00FF00:s=480x640:r=30:d=$duration,drawbox=x=120:y=100:w=240:h=440:color=red:t=fill" \
	-c:v libx264 -preset ultrafast -pix_fmt yuv420p "$course/01-lesson-1/sign.mp4"
awk -v d="$duration" 'BEGIN {
	for (i = 0; i * 3 + 3 < d; i++) {
		s = i * 3
		printf "%d\n00:%02d:%02d,000 --> 00:%02d:%02d,500\nDərs %d: şüşə muncuqları ipə düzürük\n\n", i + 1, s / 60, s % 60, s / 60, s % 60 + 2, i + 1
	}
}' >"$course/01-lesson-1/lesson.az.srt"
# Three lessons alike; a different last byte keeps their recordings apart.
for n in 2 3; do
	mkdir -p "$course/0$n-lesson-$n"
	cp "$course/01-lesson-1/sign.mp4" "$course/01-lesson-1/lesson.az.srt" "$course/0$n-lesson-$n/"
	{ cat "$course/01-lesson-1/lesson.mp4"; printf '%d' "$n"; } >"$course/0$n-lesson-$n/lesson.mp4"
done

cd "$root"
go run ./bench/stream -lessonpub "$work/lessonpub" -course "$course" "$@"
