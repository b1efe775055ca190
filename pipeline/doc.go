// Package pipeline publishes lessons: it plans what each lesson of a course
// needs (nothing, new captions, new metadata, a new upload), renders what must
// be rendered while earlier lessons upload, sends everything to a Target (a
// YouTube playlist or a local folder) in course order, and keeps a record of
// what was published in the course folder so that any run can be stopped and
// started again without publishing anything twice.
package pipeline
