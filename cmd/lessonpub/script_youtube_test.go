package main

import (
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/rogpeppe/go-internal/testscript"

	"github.com/lessonpub/lessonpub/pipeline/youtube"
	"github.com/lessonpub/lessonpub/pipeline/youtube/youtubetest"
)

// fakeServers holds the fake YouTube of each running script.
var fakeServers sync.Map // *testscript.TestScript → *youtubetest.Server

// addYouTubeScriptCmds adds the testscript commands of its area.
func addYouTubeScriptCmds(cmds map[string]func(ts *testscript.TestScript, neg bool, args []string)) {
	cmds["fakeyt"] = fakeyt
}

const fakeytUsage = `usage:
  fakeyt start [signed-out] [lock-private] [quota=UNITS,UPLOADS]
      start a fake YouTube for this script; sets LESSONPUB_YOUTUBE_ENDPOINT,
      LESSONPUB_CLIENT_SECRETS, LESSONPUB_TOKEN (signed in unless signed-out)
      and a fast LESSONPUB_RETRY_INITIAL
  fakeyt fail METHOD KIND|HTTPCODE [TIMES] [offset=N] [code=N] [reason=R]
      inject a fault (see youtubetest.ParseFault); an HTTP code such as 503
      stands for an error answer with that code
  fakeyt videos N                 the channel has N videos
  fakeyt playlists N              the channel has N playlists
  fakeyt items TITLE N            the playlist TITLE has N items
  fakeyt captions LANG...         the only/last video has exactly these caption languages
  fakeyt calls METHOD N           the server got N calls of METHOD
  fakeyt quota-used UNITS UPLOADS set the server's count of today's use
  fakeyt expire-tokens | revoke   expire access tokens | revoke refresh tokens
  fakeyt faults-left N            N injected faults have not fired
  fakeyt wait-stalled             wait (up to a minute) until a Stall fault holds an upload
  fakeyt save-video FILE          write the only video's bytes to FILE
  fakeyt resent-at-most N         the server received at most N bytes more than the
                                  size of the only video: an upload that resumed did
                                  not start again from zero`

func fakeyt(ts *testscript.TestScript, neg bool, args []string) {
	if len(args) == 0 {
		ts.Fatalf("%s", fakeytUsage)
	}
	if args[0] == "start" {
		if neg {
			ts.Fatalf("unsupported: ! fakeyt start")
		}
		fakeytStart(ts, args[1:])
		return
	}
	v, ok := fakeServers.Load(ts)
	if !ok {
		ts.Fatalf("fakeyt %s: run 'fakeyt start' first", args[0])
	}
	srv := v.(*youtubetest.Server)
	check := func(what string, got, want int) {
		if (got == want) == neg {
			ts.Fatalf("%s: got %d, want %s%d", what, got, map[bool]string{true: "not ", false: ""}[neg], want)
		}
	}
	num := func(s string) int {
		n, err := strconv.Atoi(s)
		if err != nil {
			ts.Fatalf("fakeyt %s: %q is not a number", args[0], s)
		}
		return n
	}
	need := func(n int) {
		if len(args) != n+1 {
			ts.Fatalf("%s", fakeytUsage)
		}
	}
	switch args[0] {
	case "fail":
		f, err := parseScriptFault(args[1:])
		ts.Check(err)
		srv.Fail(f)
	case "videos":
		need(1)
		check("videos", len(srv.Videos()), num(args[1]))
	case "playlists":
		need(1)
		check("playlists", len(srv.Playlists()), num(args[1]))
	case "items":
		need(2)
		n := -1
		for _, p := range srv.Playlists() {
			if p.Title == args[1] {
				n = len(p.VideoIDs)
			}
		}
		if n < 0 {
			ts.Fatalf("no playlist titled %q", args[1])
		}
		check("items of "+args[1], n, num(args[2]))
	case "captions":
		vs := srv.Videos()
		if len(vs) == 0 {
			ts.Fatalf("the channel has no video")
		}
		var got []string
		for _, c := range srv.Captions(vs[len(vs)-1].ID) {
			got = append(got, c.Language)
		}
		slices.Sort(got)
		want := slices.Sorted(slices.Values(args[1:]))
		if slices.Equal(got, want) == neg {
			ts.Fatalf("caption languages: got %v, want %v", got, want)
		}
	case "calls":
		need(2)
		check("calls of "+args[1], srv.Calls(args[1]), num(args[2]))
	case "quota-used":
		need(2)
		srv.SetQuotaUsed(num(args[1]), num(args[2]))
	case "expire-tokens":
		srv.ExpireAccessTokens()
	case "revoke":
		srv.RevokeRefreshTokens()
	case "faults-left":
		need(1)
		check("faults left", len(srv.PendingFaults()), num(args[1]))
	case "wait-stalled":
		need(0)
		deadline := time.Now().Add(time.Minute)
		for srv.Stalled() == 0 {
			if time.Now().After(deadline) {
				ts.Fatalf("no upload stalled within a minute")
			}
			time.Sleep(20 * time.Millisecond)
		}
	case "save-video":
		need(1)
		videos := srv.Videos()
		if len(videos) != 1 {
			ts.Fatalf("save-video: the channel has %d videos, want 1", len(videos))
		}
		data, err := videos[0].Content()
		ts.Check(err)
		ts.Check(os.WriteFile(ts.MkAbs(args[1]), data, 0o644))
	case "resent-at-most":
		need(1)
		videos := srv.Videos()
		if len(videos) != 1 {
			ts.Fatalf("resent-at-most: the channel has %d videos, want 1", len(videos))
		}
		extra := srv.UploadedBytes() - videos[0].Size
		if (extra <= int64(num(args[1]))) == neg {
			ts.Fatalf("the server received %d bytes more than the video's %d", extra, videos[0].Size)
		}
		ts.Logf("received %d bytes for a video of %d", srv.UploadedBytes(), videos[0].Size)
	default:
		ts.Fatalf("fakeyt: unknown subcommand %q\n%s", args[0], fakeytUsage)
	}
}

func fakeytStart(ts *testscript.TestScript, args []string) {
	var opts []youtubetest.Option
	signedIn := true
	for _, a := range args {
		switch {
		case a == "signed-out":
			signedIn = false
		case a == "lock-private":
			opts = append(opts, youtubetest.WithLockToPrivate())
		case strings.HasPrefix(a, "quota="):
			u, up, ok := strings.Cut(strings.TrimPrefix(a, "quota="), ",")
			units, err1 := strconv.Atoi(u)
			uploads, err2 := strconv.Atoi(up)
			if !ok || err1 != nil || err2 != nil {
				ts.Fatalf("fakeyt start: bad %q, want quota=UNITS,UPLOADS", a)
			}
			opts = append(opts, youtubetest.WithQuota(units, uploads))
		default:
			ts.Fatalf("fakeyt start: unknown option %q\n%s", a, fakeytUsage)
		}
	}
	srv := youtubetest.NewServer(opts...)
	fakeServers.Store(ts, srv)
	ts.Defer(func() {
		fakeServers.Delete(ts)
		srv.Close()
	})
	dir := ts.MkAbs("youtube")
	ts.Check(os.MkdirAll(dir, 0o700))
	secrets := filepath.Join(dir, "client_secret.json")
	ts.Check(os.WriteFile(secrets, srv.ClientSecretsJSON(), 0o600))
	token := filepath.Join(dir, "token.json")
	if signedIn {
		ts.Check(youtube.SaveToken(token, srv.IssueToken()))
	} else {
		_, err := youtube.DeleteToken(token)
		ts.Check(err)
	}
	ts.Setenv("LESSONPUB_YOUTUBE_ENDPOINT", srv.URL+"/")
	ts.Setenv("LESSONPUB_CLIENT_SECRETS", secrets)
	ts.Setenv("LESSONPUB_TOKEN", token)
	ts.Setenv("LESSONPUB_RETRY_INITIAL", "1ms")
	ts.Setenv("FAKEYT_URL", srv.URL)
}

// parseScriptFault is youtubetest.ParseFault, also taking an HTTP status code
// for the kind ("fakeyt fail playlistItems.insert 503 1").
func parseScriptFault(args []string) (youtubetest.Fault, error) {
	if len(args) >= 2 {
		if code, err := strconv.Atoi(args[1]); err == nil {
			kind := "http"
			switch code {
			case 503:
				kind = "unavailable"
			case 429:
				kind = "too-many-requests"
			}
			rest := append([]string{args[0], kind}, args[2:]...)
			if kind == "http" {
				rest = append(rest, "code="+args[1])
			}
			args = rest
		}
	}
	return youtubetest.ParseFault(strings.Join(args, " "))
}
