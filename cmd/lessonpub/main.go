// Command lessonpub turns a recorded craft lesson into an accessible,
// published lesson: transcoded with ffmpeg, with caption tracks and a
// sign-language interpreter overlay, uploaded into one YouTube playlist per
// course. See README.md for the commands and the course folder layout.
package main

import (
	"os"
)

func main() {
	os.Exit(run(os.Args[1:], newSystemEnv()))
}
