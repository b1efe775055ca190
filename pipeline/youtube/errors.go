package youtube

import "errors"

// ErrNotSignedIn is wrapped by every error that means the user must sign in
// again (no token, or a refresh token that expired or was revoked).
var ErrNotSignedIn = errors.New("not signed in to YouTube")
