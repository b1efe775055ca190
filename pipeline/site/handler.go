package site

import (
	"net/http"
	"path"
	"strings"
)

// Handler serves the site in dir over http, as lessonpub preview does:
// WebVTT files as text/vtt (some browsers want it), every response marked
// no-cache so that a rebuilt page shows on reload, and no folder listings.
// Serve it on 127.0.0.1 only: the site is not meant for the network.
func Handler(dir string) http.Handler {
	files := http.FileServer(http.Dir(dir))
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p := path.Clean("/" + r.URL.Path)
		if strings.HasSuffix(r.URL.Path, "/") && p != "/" {
			p += "/"
		}
		if strings.HasSuffix(p, "/") {
			// a folder: its index.html or nothing
			f, err := http.Dir(dir).Open(p + pageName)
			if err != nil {
				http.NotFound(w, r)
				return
			}
			f.Close()
		}
		if strings.HasSuffix(p, ".vtt") {
			w.Header().Set("Content-Type", "text/vtt; charset=utf-8")
		}
		w.Header().Set("Cache-Control", "no-cache")
		files.ServeHTTP(w, r)
	})
}
