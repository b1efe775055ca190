package youtube

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"strings"
	"syscall"
	"time"

	"golang.org/x/oauth2"
	"google.golang.org/api/googleapi"

	"github.com/lessonpub/lessonpub/captions"
	"github.com/lessonpub/lessonpub/pipeline"
)

// Retry is the jittered exponential backoff for transient failures.
type Retry struct {
	Initial  time.Duration // first wait; 1 s by default
	Max      time.Duration // longest wait; 1 min by default
	Attempts int           // tries of one call (or, for uploads, without progress) before giving up; 8 by default
}

// DefaultRetry is used when Config.Retry is zero.
func DefaultRetry() Retry { return Retry{Initial: time.Second, Max: time.Minute, Attempts: 8} }

func (r Retry) orDefault() Retry {
	d := DefaultRetry()
	if r.Initial <= 0 {
		r.Initial = d.Initial
	}
	if r.Max <= 0 {
		r.Max = d.Max
	}
	if r.Attempts <= 0 {
		r.Attempts = d.Attempts
	}
	return r
}

// wait returns the pause after the n-th failed attempt (n from 1): the
// doubled delay capped at Max, jittered into its upper half.
func (r Retry) wait(n int) time.Duration {
	d := r.Initial
	for i := 1; i < n && d < r.Max; i++ {
		d *= 2
	}
	d = min(d, r.Max)
	return d/2 + rand.N(d/2+1)
}

func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// callTimeout bounds one attempt of an API call (a thumbnail of 50 MB on a
// slow connection included).
const callTimeout = 5 * time.Minute

// stallTimeout is how long an upload chunk may send nothing before the
// connection is given up as dead and the upload resumed.
const stallTimeout = time.Minute

// errStalled ends an upload request that sent nothing for stallTimeout.
var errStalled = captions.Errorf("the connection stalled")

// verdict is what to do about a failed call.
type verdict int

const (
	fail      verdict = iota // give up: the request itself is wrong
	retry                    // transient: wait and try again
	limit                    // a daily limit: stop the run
	expired                  // the access token was refused: renew it once and try again
	signedOut                // the user must sign in again
)

// classify is the one place that decides whether a failure is retried.
func classify(method string, err error) verdict {
	if errors.Is(err, ErrNotSignedIn) {
		return signedOut
	}
	if errors.Is(err, errStalled) || errors.Is(err, context.DeadlineExceeded) {
		return retry // an attempt's own time limit; the caller checks its context first
	}
	if errors.Is(err, context.Canceled) {
		return fail
	}
	var re *oauth2.RetrieveError
	if errors.As(err, &re) && re.Response != nil && (re.Response.StatusCode >= 500 || re.Response.StatusCode == http.StatusTooManyRequests) {
		return retry // the token endpoint is having trouble
	}
	var ge *googleapi.Error
	if errors.As(err, &ge) {
		return classifyHTTP(method, ge)
	}
	if isNetworkError(err) {
		return retry
	}
	return fail
}

func classifyHTTP(method string, ge *googleapi.Error) verdict {
	reasons := reasonsOf(ge)
	switch {
	case reasons["quotaExceeded"], reasons["dailyLimitExceeded"], reasons["uploadLimitExceeded"]:
		return limit
	case ge.Code == http.StatusTooManyRequests && isDailyUploadLimit(ge):
		return limit
	case ge.Code == http.StatusUnauthorized && (reasons["authError"] || len(reasons) == 0):
		return expired
	case ge.Code >= 500, ge.Code == http.StatusRequestTimeout, ge.Code == http.StatusTooManyRequests:
		return retry
	case ge.Code == http.StatusForbidden && (reasons["rateLimitExceeded"] || reasons["userRateLimitExceeded"]):
		return retry
	case method == "playlistItems.insert" && ge.Code == http.StatusNotFound && reasons["videoNotFound"]:
		// A fresh upload is not yet visible to playlists; retried after
		// looking whether the item was added anyway.
		return retry
	}
	return fail
}

// isDailyUploadLimit tells the 429 of the exhausted "Video Uploads per day"
// bucket from a transient 429.
func isDailyUploadLimit(ge *googleapi.Error) bool {
	text := strings.ToLower(ge.Message + " " + ge.Body)
	for _, e := range ge.Errors {
		text += " " + strings.ToLower(e.Message)
	}
	return strings.Contains(text, "per day")
}

func reasonsOf(ge *googleapi.Error) map[string]bool {
	r := map[string]bool{}
	for _, e := range ge.Errors {
		r[e.Reason] = true
	}
	return r
}

func hasReason(err error, reason string) bool {
	var ge *googleapi.Error
	return errors.As(err, &ge) && reasonsOf(ge)[reason]
}

func isNetworkError(err error) bool {
	if errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF) || errors.Is(err, net.ErrClosed) ||
		errors.Is(err, syscall.ECONNRESET) || errors.Is(err, syscall.ECONNREFUSED) ||
		errors.Is(err, syscall.ECONNABORTED) || errors.Is(err, syscall.EPIPE) ||
		errors.Is(err, syscall.ETIMEDOUT) || errors.Is(err, syscall.ENETUNREACH) || errors.Is(err, syscall.EHOSTUNREACH) {
		return true
	}
	var ne net.Error
	if errors.As(err, &ne) && ne.Timeout() {
		return true
	}
	var oe *net.OpError
	var de *net.DNSError
	return errors.As(err, &oe) || errors.As(err, &de)
}

// LimitError reports a YouTube daily limit. It wraps pipeline.ErrDailyLimit.
type LimitError struct {
	Method  string    // the call that hit it, e.g. "captions.insert"
	Reason  string    // YouTube's reason, e.g. "quotaExceeded"
	RetryAt time.Time // when running again makes sense
	Err     error     // YouTube's answer
}

func (e *LimitError) text() *captions.Text {
	var what *captions.Text
	switch e.Reason {
	case "uploadLimitExceeded":
		what = captions.Textf("the channel reached YouTube's upload limit (a per-channel limit, lifted after about a day)")
	case "dailyUploadLimit":
		what = captions.Textf("the project used up its uploads for today (the videos.insert bucket; ask for more in the Google Cloud console, then set LESSONPUB_QUOTA_UPLOADS)")
	default:
		what = captions.Textf("the project used up today's YouTube API quota (ask for more with the YouTube quota extension form, then set LESSONPUB_QUOTA_UNITS)")
	}
	return captions.Textf("YouTube daily limit reached: %s on %s; what was done is kept: run the same command again after %s",
		what, e.Method, captions.Time{Time: e.RetryAt})
}

// Parts returns the English format of the message and its arguments.
func (e *LimitError) Parts() (string, []any) { return e.text().Parts() }

func (e *LimitError) Error() string { return e.text().String() }

// Unwrap lets errors.Is find pipeline.ErrDailyLimit and errors.As YouTube's answer.
func (e *LimitError) Unwrap() []error { return []error{pipeline.ErrDailyLimit, e.Err} }

func (c *Client) limitError(method string, err error) error {
	reason := "quotaExceeded"
	var ge *googleapi.Error
	if errors.As(err, &ge) {
		switch {
		case reasonsOf(ge)["uploadLimitExceeded"]:
			reason = "uploadLimitExceeded"
		case ge.Code == http.StatusTooManyRequests:
			reason = "dailyUploadLimit"
		}
	}
	at := c.quota.NextReset()
	if reason == "uploadLimitExceeded" {
		at = c.cfg.now().Add(24 * time.Hour)
	}
	if err := c.quota.exhausted(method); err != nil {
		c.cfg.log(captions.Textf("warning: %v; today's quota use may be counted short", err))
	}
	return &LimitError{Method: method, Reason: reason, RetryAt: at, Err: err}
}

// call runs one API call of method with the retries of its verdicts, counting
// every attempt against the quota.
func (c *Client) call(ctx context.Context, method string, do func(context.Context) error) error {
	return c.invoke(ctx, method, do, nil)
}

// remove is call for a call that deletes something: a thing already gone
// (404) counts as deleted, so a retry after a lost answer, or a rerun, ends
// well.
func (c *Client) remove(ctx context.Context, method string, do func(context.Context) error) error {
	err := c.call(ctx, method, do)
	var ge *googleapi.Error
	if errors.As(err, &ge) && ge.Code == http.StatusNotFound && !errors.Is(err, pipeline.ErrDailyLimit) {
		return nil
	}
	return err
}

// invoke runs one API call of method, the way every call goes: each attempt
// is counted against the quota and bounded in time, and failures are
// retried, stopped or reported by their verdict (classify). For a call that
// creates something, happened (nil for others) says, before repeating it
// after a failure whose answer may have been lost, whether the first attempt
// took effect anyway (and fills in the result), so nothing is created twice.
func (c *Client) invoke(ctx context.Context, method string, do func(context.Context) error, happened func() (bool, error)) error {
	renewed := false
	for attempt := 1; ; attempt++ {
		if err := c.quota.Spend(method); err != nil {
			c.cfg.log(captions.Textf("warning: %v; today's quota use may be counted short", err))
		}
		// A connection that went silent fails the attempt instead of
		// hanging the run.
		actx, cancel := context.WithTimeout(ctx, callTimeout)
		err := do(actx)
		cancel()
		if err == nil {
			return nil
		}
		if ctx.Err() != nil {
			return ctx.Err()
		}
		switch classify(method, err) {
		case limit:
			return c.limitError(method, err)
		case signedOut:
			var ns *NotSignedInError
			if errors.As(err, &ns) {
				return ns // without the URL the HTTP client put around it
			}
			return err
		case expired:
			if renewed {
				return &NotSignedInError{Reason: captions.Textf("YouTube refused the sign-in even after renewing it"), Err: err}
			}
			renewed = true
			c.tokens.expire(c.tokens.current().AccessToken)
			attempt--
			continue
		case retry:
		default:
			return describe(method, err)
		}
		if attempt >= c.retry.Attempts {
			return captions.Errorf("%s failed %d times, last: %w; %s", method, attempt, err, giveUpHint(err))
		}
		c.cfg.log(captions.Textf("%s failed (%v); trying again", method, shortError(err)))
		if err := sleep(ctx, c.retry.wait(attempt)); err != nil {
			return err
		}
		if happened != nil {
			ok, err := happened()
			if err != nil {
				return err
			}
			if ok {
				return nil
			}
		}
	}
}

// giveUpHint says what to do after a call failed on every try.
func giveUpHint(err error) *captions.Text {
	switch {
	case hasReason(err, "videoNotFound"):
		return captions.Textf("YouTube does not find the video: if it was deleted on YouTube, run the same command again to publish the lesson anew; else wait a few minutes and run it again")
	case errors.As(err, new(*googleapi.Error)):
		return captions.Textf("YouTube kept failing: run the same command again later")
	}
	return captions.Textf("check the internet connection and run the same command again")
}

// describe adds what to do to an error YouTube answered.
func describe(method string, err error) error {
	var ge *googleapi.Error
	if !errors.As(err, &ge) {
		return fmt.Errorf("%s: %w", method, err)
	}
	r := reasonsOf(ge)
	switch {
	case r["youtubeSignupRequired"]:
		return captions.Errorf("%s: the Google account has no YouTube channel: create one at https://m.youtube.com/create_channel?chromeless=1&next=/channel_creation_done, then run the command again: %w", method, err)
	case r["invalidVideoMetadata"] || r["invalidLanguage"]:
		return captions.Errorf("%s: YouTube refused the metadata (a language code it does not know, e.g. \"cn\" or \"nb\", or a title too long?): fix the course or lesson YAML: %w", method, err)
	case r["forbidden"] || r["insufficientPermissions"]:
		return captions.Errorf("%s: YouTube refused the request for this account: check you signed in with the channel's account (lessonpub auth status): %w", method, err)
	}
	return fmt.Errorf("%s: %w", method, err)
}

// shortError is what went wrong, for a note that a call is tried again:
// the HTTP status and YouTube's message, else the error itself.
func shortError(err error) any {
	var ge *googleapi.Error
	if errors.As(err, &ge) {
		return fmt.Sprintf("HTTP %d %s", ge.Code, ge.Message)
	}
	return err
}
