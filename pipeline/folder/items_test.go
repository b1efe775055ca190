package folder

import (
	"slices"
	"testing"

	"github.com/lessonpub/lessonpub/pipeline"
)

func videos(items []pipeline.Item) []string {
	out := make([]string, len(items))
	for i, it := range items {
		out[i] = it.Video
	}
	return out
}

func TestItemList(t *testing.T) {
	var items []pipeline.Item
	var a, b, c pipeline.Item
	items, a = InsertItem(items, "a", 0)
	items, c = InsertItem(items, "c", 99) // past the end: last
	items, b = InsertItem(items, "b", 1)
	items, _ = InsertItem(items, "z", -3) // before the start: first
	if got, want := videos(items), []string{"z", "a", "b", "c"}; !slices.Equal(got, want) {
		t.Fatalf("after inserts: %v, want %v", got, want)
	}
	if a.ID == b.ID || a.ID == c.ID || a.ID[:3] != "PLI" {
		t.Errorf("item ids %q %q %q: want distinct PLI… ids", a.ID, b.ID, c.ID)
	}
	items, ok := MoveItem(items, c.ID, 1)
	if got, want := videos(items), []string{"z", "c", "a", "b"}; !ok || !slices.Equal(got, want) {
		t.Errorf("after moving c to 1: %v (%v), want %v", got, ok, want)
	}
	items, ok = MoveItem(items, a.ID, 10)
	if got, want := videos(items), []string{"z", "c", "b", "a"}; !ok || !slices.Equal(got, want) {
		t.Errorf("after moving a past the end: %v (%v), want %v", got, ok, want)
	}
	if _, ok := MoveItem(items, "PLInone", 0); ok {
		t.Error("moving an item that is not there reports ok")
	}
	items, removed, ok := RemoveItem(items, b.ID)
	if got, want := videos(items), []string{"z", "c", "a"}; !ok || removed.Video != "b" || !slices.Equal(got, want) {
		t.Errorf("after removing b: %v, removed %v (%v), want %v", got, removed, ok, want)
	}
	if again, _, ok := RemoveItem(items, b.ID); ok || len(again) != 3 {
		t.Errorf("removing b twice: ok %v, %d items", ok, len(again))
	}
}
