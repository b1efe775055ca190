// Package youtube publishes lessons to YouTube through the Data API v3: sign-in
// with OAuth 2.0, resumable video uploads that survive restarts, playlists,
// captions and thumbnails, retries and the daily quota in one place
// (Client.invoke, classify, Quota).
//
// Target is the destination `--target youtube`: it implements
// pipeline.Target over a Client, and its limit errors (LimitError) wrap
// pipeline.ErrDailyLimit. The lesson key in each video's description is the
// core's (pipeline.WithKey, pipeline.KeyOf).
package youtube
