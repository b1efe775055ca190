// Package ffmpeg runs ffmpeg and ffprobe for lessonpub: Probe reads what a
// media file holds, Command builds an ffmpeg argument list (inputs, a filter
// graph with every value escaped, explicit maps, outputs) and runs it with
// progress events, clean cancellation (SIGINT before SIGKILL) and the tail
// of ffmpeg's own messages in every error. ffmpeg is always called with an
// argument vector, never through a shell.
package ffmpeg
