package folder

import (
	"crypto/rand"
	"encoding/hex"
	"slices"

	"github.com/lessonpub/lessonpub/pipeline"
)

// A playlist kept as files (by this target and by the course site) is its
// items in order. These functions are its changes, in one place.

// NewID returns a random id for a playlist, an item or (shortened) a video.
func NewID() string {
	b := make([]byte, 8)
	rand.Read(b)
	return hex.EncodeToString(b)
}

// InsertItem puts a new item for video at position (0 first; past the end
// is last) and returns the items and the new one.
func InsertItem(items []pipeline.Item, video string, position int) ([]pipeline.Item, pipeline.Item) {
	it := pipeline.Item{ID: "PLI" + NewID(), Video: video}
	return slices.Insert(items, max(0, min(position, len(items))), it), it
}

// RemoveItem takes the item id out; ok is false when it is not there.
func RemoveItem(items []pipeline.Item, id string) (_ []pipeline.Item, removed pipeline.Item, ok bool) {
	i := slices.IndexFunc(items, func(it pipeline.Item) bool { return it.ID == id })
	if i < 0 {
		return items, pipeline.Item{}, false
	}
	removed = items[i]
	return slices.Delete(items, i, i+1), removed, true
}

// MoveItem moves the item id to position (0 first; past the end is last);
// ok is false when it is not there.
func MoveItem(items []pipeline.Item, id string, position int) (_ []pipeline.Item, ok bool) {
	items, it, ok := RemoveItem(items, id)
	if !ok {
		return items, false
	}
	return slices.Insert(items, max(0, min(position, len(items))), it), true
}
