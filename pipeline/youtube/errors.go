package youtube

import "github.com/lessonpub/lessonpub/captions"

// ErrNotSignedIn is wrapped by every error that means the user must sign in
// again (no token, or a refresh token that expired or was revoked). It is
// compared with errors.Is; people read the NotSignedInError around it.
var ErrNotSignedIn = captions.Errorf("not signed in to YouTube")
