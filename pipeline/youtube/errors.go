package youtube

import "errors"

// ErrNotSignedIn is wrapped by every error that means the user must sign in
// again (no token, or a refresh token that expired or was revoked).
var ErrNotSignedIn = errors.New("not signed in to YouTube")

// ErrLimit is wrapped by every error that means a YouTube daily limit was
// reached: the work so far is recorded and a later run continues.
var ErrLimit = errors.New("YouTube daily limit reached")
