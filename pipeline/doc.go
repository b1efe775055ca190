// Package pipeline is the publishing core: it plans what each lesson of a
// course needs (nothing, new captions, new metadata, a new upload), renders
// what must be rendered while earlier lessons upload, sends everything to a
// Target in course order, and keeps a record of what was published in the
// course folder so that any run can be stopped and started again without
// publishing anything twice.
//
// Data flows from a lesson folder to a playlist like this: package lessons
// reads the course; Publisher.Publish locks it, reads the record
// (record.go), hashes each lesson's inputs and runs the caption gate
// (package check) to decide what it needs (plan.go); reconcile.go matches
// the record with the playlist on the target by the lesson keys in the
// videos' descriptions (identity.go); schedule.go renders ahead and
// publishes in order; steps.go does one lesson's steps, writing the record
// after each.
//
// The core knows no destination. A destination (YouTube, a local folder, a
// web site) is a package implementing Target, wraps its daily-limit errors
// with ErrDailyLimit, and is registered by cmd/lessonpub in a Targets
// registry under the scheme of its --target value.
package pipeline
