module github.com/lessonpub/lessonpub/bench/captions

go 1.26.8

require (
	github.com/asticode/go-astisub v0.34.0
	github.com/lessonpub/lessonpub v0.0.0
)

require (
	github.com/asticode/go-astikit v0.20.0 // indirect
	github.com/asticode/go-astits v1.8.0 // indirect
	golang.org/x/net v0.62.0 // indirect
	golang.org/x/text v0.44.0 // indirect
)

replace github.com/lessonpub/lessonpub => ../..
