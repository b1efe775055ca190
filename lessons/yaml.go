package lessons

import (
	"bytes"
	"errors"
	"io"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"
)

var (
	yamlLineRe     = regexp.MustCompile(`^(?:yaml: )?line (\d+): (.*)$`)
	unknownKeyRe   = regexp.MustCompile(`^field (\S+) not found in type .*$`)
	cannotDecodRe  = regexp.MustCompile("^cannot unmarshal !!(\\w+) `(.*)` into (\\S+)$")
	duplicateKeyRe = regexp.MustCompile(`^mapping key ".*" already defined at line \d+$`)
)

// checkDuplicates reports every key given twice in one mapping, at any
// depth: YAML allows only one, and which one counts would be a guess. It
// drops the later ones from n and reports whether there were any.
func checkDuplicates(file string, n *yaml.Node, ps *Problems) bool {
	found := false
	if n.Kind == yaml.MappingNode {
		first := map[string]int{}
		kept := n.Content[:0:0]
		for i := 0; i+1 < len(n.Content); i += 2 {
			k := n.Content[i]
			if line, dup := first[k.Value]; dup {
				ps.add(file, k.Line, "key %q is given twice (first at line %d); keep one", k.Value, line)
				found = true
				continue
			}
			first[k.Value] = k.Line
			kept = append(kept, k, n.Content[i+1])
		}
		n.Content = kept
	}
	for _, c := range n.Content {
		if checkDuplicates(file, c, ps) {
			found = true
		}
	}
	return found
}

// decodeStrict decodes a YAML document into v, rejecting unknown keys, and
// reports every problem yaml finds with its line. It also returns the
// document's node so that later checks can point at the line of a value.
func decodeStrict(file string, data []byte, v any, known []string, ps *Problems) *yaml.Node {
	var doc yaml.Node
	docs := yaml.NewDecoder(bytes.NewReader(data))
	if err := docs.Decode(&doc); err != nil && !errors.Is(err, io.EOF) {
		addYAMLError(file, err, known, ps)
		return nil
	}
	var next yaml.Node
	if err := docs.Decode(&next); err == nil {
		ps.add(file, next.Line, "a second YAML document starts here (after a --- line); a %s holds one: remove the --- and keep the keys of one lesson or course", filepath.Base(file))
	} else if !errors.Is(err, io.EOF) {
		addYAMLError(file, err, known, ps)
	}
	if len(doc.Content) == 0 {
		return nil // an empty file: every key takes its default
	}
	dups := checkDuplicates(file, doc.Content[0], ps)
	if doc.Content[0].Kind != yaml.MappingNode {
		ps.add(file, doc.Content[0].Line, "expected keys such as %q, found %s; see the course folder layout in the README", known[0], kindName(doc.Content[0]))
		return nil
	}
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(v); err != nil && !errors.Is(err, io.EOF) {
		addYAMLError(file, err, known, ps)
	}
	if dups {
		// yaml stops at a duplicate: take the values again, the first of
		// each key counting, so that later checks see what the user wrote.
		doc.Content[0].Decode(v)
	}
	return doc.Content[0]
}

func addYAMLError(file string, err error, known []string, ps *Problems) {
	var te *yaml.TypeError
	msgs := []string{err.Error()}
	if errors.As(err, &te) {
		msgs = te.Errors
	}
	for _, m := range msgs {
		line := 0
		if sub := yamlLineRe.FindStringSubmatch(m); sub != nil {
			line, _ = strconv.Atoi(sub[1])
			m = sub[2]
		}
		switch {
		case duplicateKeyRe.MatchString(m):
			// reported by checkDuplicates, with both lines
		case unknownKeyRe.MatchString(m):
			key := unknownKeyRe.FindStringSubmatch(m)[1]
			if s := closest(key, known); s != "" {
				ps.add(file, line, "unknown key %q; did you mean %q?", key, s)
			} else {
				ps.add(file, line, "unknown key %q; known keys are %s", key, strings.Join(known, ", "))
			}
		case cannotDecodRe.MatchString(m):
			sub := cannotDecodRe.FindStringSubmatch(m)
			ps.add(file, line, "%q is not %s", sub[2], typeName(sub[3]))
		default:
			ps.add(file, line, "%s (check the YAML syntax: indentation with spaces, a colon after each key)", strings.TrimPrefix(m, "yaml: "))
		}
	}
}

func typeName(goType string) *Text {
	switch {
	case goType == "bool":
		return textf("true or false")
	case goType == "string":
		return textf("text")
	case strings.HasPrefix(goType, "[]"):
		return textf("a list, like [a, b]")
	case goType == "float64" || goType == "int":
		return textf("a number")
	case goType == "time.Duration":
		return textf("a duration, like 2.5s or -1s")
	default:
		return textf("the expected kind of value")
	}
}

func kindName(n *yaml.Node) *Text {
	switch n.Kind {
	case yaml.SequenceNode:
		return textf("a list")
	case yaml.ScalarNode:
		return textf("a single value")
	default:
		return textf("something else")
	}
}

// lineOf returns the line of the value at the dotted key path, or of the
// nearest parent that exists, or 0.
func lineOf(n *yaml.Node, path string) int {
	if n == nil {
		return 0
	}
	line := 0
	for _, key := range strings.Split(path, ".") {
		if n.Kind != yaml.MappingNode {
			return line
		}
		found := false
		for i := 0; i+1 < len(n.Content); i += 2 {
			if n.Content[i].Value == key {
				n = n.Content[i+1]
				line = n.Line
				found = true
				break
			}
		}
		if !found {
			return line
		}
	}
	return line
}

// closest returns the known key nearest to key by edit distance, when it is
// near enough to be a likely misspelling.
func closest(key string, known []string) string {
	best, bestD := "", 3
	for _, k := range known {
		if d := editDistance(key, k); d < bestD {
			best, bestD = k, d
		}
	}
	return best
}

func editDistance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(rb)]
}
