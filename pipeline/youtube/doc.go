// Package youtube publishes lessons to YouTube through the Data API v3: sign-in
// with OAuth 2.0, resumable video uploads that survive restarts, playlists,
// captions and thumbnails, retries and the daily quota in one place.
package youtube
