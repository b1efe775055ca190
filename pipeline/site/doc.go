// Package site writes a course as a static web site that students can open
// from a USB stick (file://) or from any static web server, with no request
// outside its folder: DIR/index.html lists the lessons in order, and
// DIR/LESSON/index.html plays one lesson with a caption track per language,
// an interactive transcript and, where the course has one, the sign-language
// interpreter as a second video the viewer can move, resize or hide.
//
// A site folder holds:
//
//	index.html                   the course and its lessons in order
//	assets/site.css, player.js   shared by every page
//	LESSON/index.html            one lesson's page
//	LESSON/video.mp4             the rendered lesson (a hard link or a copy)
//	LESSON/sign.mp4              the interpreter, for the sign window
//	LESSON/thumb.jpg             its picture on the index, and the poster
//	LESSON/captions.LANG.vtt     one WebVTT file per language
//
// The package has its own small input types (Course, Lesson, Track) so that
// it does not depend on the publishing core: a target adapter fills them in.
// Every file is written atomically (a temporary file renamed into place) and
// only when its content changes, so writing the same course twice changes
// nothing, and a site interrupted half way still shows the old pages or the
// new ones, never half a page.
package site
