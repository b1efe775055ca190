// Package render turns a lesson into the video file a destination needs:
// the youtube profile (H.264 High, AAC 48 kHz, -16 LUFS, caption tracks)
// or the share profile (WhatsApp: burned-in captions, 720p, a size cap),
// with the sign-language interpreter placed over or beside the lesson.
//
// NewPlan probes the inputs and picks the cheapest path that gives a
// correct result (the video copied when nothing is added to the picture,
// one full encode otherwise); Plan.Run carries it out, writing a temporary
// file that is renamed only when ffmpeg succeeded. Plan.Start runs it in
// the background instead; with Options.Fragmented the file it writes can
// be uploaded while it grows (youtube.Client.UploadGrowing).
package render
