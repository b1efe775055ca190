// Package youtubetest provides a fake YouTube Data API v3 server for tests,
// like net/http/httptest: an in-process server on a loopback address that
// speaks the API as google.golang.org/api/youtube/v3 and Google's OAuth 2.0
// endpoints expect, written from Google's documentation.
//
// Start one with NewServer and point a client at it:
//
//	s := youtubetest.NewServer()
//	defer s.Close()
//	svc, err := youtube.NewService(ctx,
//		option.WithEndpoint(s.URL+"/"), option.WithHTTPClient(s.Client()))
//
// API calls go to {URL}/youtube/v3/..., uploads to {URL}/upload/youtube/v3/...
// Every API call needs a valid "Authorization: Bearer" access token (401
// with WWW-Authenticate otherwise). Client returns an HTTP client with one;
// IssueToken returns a token pair; OAuthConfig and ClientSecretsJSON describe
// the OAuth client. The OAuth endpoints are:
//
//   - {URL}/auth: the authorization endpoint. It approves at once and
//     redirects to redirect_uri with code and state (or error=access_denied
//     with a Denied fault). AuthRequests shows what clients asked for.
//   - {URL}/token: authorization_code (with the PKCE verifier checked against
//     the S256 challenge sent to /auth) and refresh_token grants, answering
//     invalid_grant for revoked refresh tokens (RevokeRefreshTokens).
//     ExpireAccessTokens makes current access tokens fail with 401.
//   - {URL}/revoke: token revocation.
//
// Methods: channels.list (mine), videos.insert/list/update/delete,
// playlists.list/insert/update/delete, playlistItems.list/insert/update/delete
// (also of the channel's uploads playlist, newest first),
// captions.list/insert/update/delete/download and thumbnails.set. Lists page
// with maxResults (default 5) and pageToken. Metadata is checked as YouTube
// does (titles, categories, language codes, caption formats). Errors use
// Google's JSON error format, so googleapi.Error.Errors[].Reason carries the
// reason. WithoutChannel makes an account without a channel
// (youtubeSignupRequired).
//
// Uploads (videos.insert, captions.insert/update, thumbnails.set) take
// uploadType=multipart, uploadType=media, or uploadType=resumable: the
// initiation answers 200 with a Location session URI; chunks go there by PUT
// (documented) or POST (the Go client) with Content-Range "bytes a-b/TOTAL"
// or "bytes a-b/*"; every chunk but the last must be a multiple of 256 KiB.
// An incomplete upload answers 308 with "Range: bytes=0-N" (no Range when
// nothing is stored), or 200 with X-HTTP-Status-Code-Override: 308 when the
// request has "X-GUploader-No-308: yes". An empty request with
// "Content-Range: bytes */TOTAL" (or "bytes */*" while the total is
// unknown) asks for the status. A refused chunk (400) changes nothing. A chunk that starts
// before the stored end has its known bytes ignored; one that starts after
// it is answered with the current Range. The last chunk answers 201 with the
// video; later requests to the session get that answer again. A single PUT
// of the whole file without Content-Range is a complete upload. Media is
// streamed to a temporary directory (or only hashed, WithoutMediaContent).
//
// Quota is counted as YouTube does (Costs; videos.insert in its own bucket
// of calls a day, WithQuota): past the limit, calls fail with 403
// quotaExceeded, and videos.insert with 429 rateLimitExceeded naming the
// "Video Uploads per day" limit. QuotaUsed, SetQuotaUsed and SetQuotaLimits
// read and change the counters, which reset at midnight Pacific time.
//
// Fail injects faults into the next calls of a method (Fault, FaultKind;
// ParseFault reads them from text for test scripts): 503s, transient 429s,
// connection resets (mid-chunk on uploads, keeping only the bytes received),
// stalls (an upload that hangs at a known byte until the client is killed),
// lost responses (the call happened, the answer is lost), the
// playlistItems.insert 404-after-add quirk, lost upload sessions, 401s,
// quotaExceeded and uploadLimitExceeded. WithUploadRate
// throttles uploads for benchmarks; WithUploadGranularity makes an
// interrupted upload keep only whole blocks.
//
// GrowingFile is a file written bit by bit, for tests of uploads that send
// a file while it is written (youtube.Client.UploadGrowing).
//
// Inspection: Videos (metadata, privacy, size and SHA-256 of the content,
// thumbnail), Playlists (items in order), Captions (tracks and content),
// Calls (requests per method, "upload" for session URIs), UploadedBytes,
// UploadSessions. AddVideo and SetVideoStatus prepare state; SetNextOutcomes
// and WithLockToPrivate script what YouTube decides after an upload.
package youtubetest
