package ffmpeg

import (
	"path/filepath"
	"strings"
)

// FilterPath is a file path in the form to give as a filter option value
// (subtitles' filename, fontsdir): on Windows, backslashes become slashes,
// which ffmpeg accepts, so "C:\Users\x\sub.ass" reads "C:/Users/x/sub.ass".
// Filter.String then escapes the drive's colon like any other.
func FilterPath(path string) string { return filterPath(path, filepath.Separator) }

// filterPath is FilterPath for a path of the OS whose separator is sep, so
// that Windows paths are tested on any OS.
func filterPath(path string, sep byte) string {
	if sep != '\\' {
		return path
	}
	return strings.ReplaceAll(path, `\`, "/")
}

// EscapeValue applies ffmpeg's first level of escaping to a filter option
// value: a backslash before \ ' and :.
func EscapeValue(v string) string {
	return escapeChars(v, `\':`)
}

// escapeFilter applies the second level of escaping, for a filter's
// arguments inside a graph: a backslash before \ ' [ ] , and ;.
func escapeFilter(s string) string {
	return escapeChars(s, `\'[],;`)
}

func escapeChars(s, special string) string {
	if !strings.ContainsAny(s, special) {
		return s
	}
	var b strings.Builder
	for _, r := range s {
		if strings.ContainsRune(special, r) {
			b.WriteByte('\\')
		}
		b.WriteRune(r)
	}
	return b.String()
}

// Filter is one filter with its options, e.g. overlay with x=W-w-20.
// Option values are plain text: String escapes them.
type Filter struct {
	Name string
	Opts []Opt
}

// Opt is one filter option. An empty Key makes a positional value.
type Opt struct {
	Key, Value string
}

// F builds a filter from its name and key, value pairs:
// F("scale", "w", "640", "h", "-2").
func F(name string, kv ...string) Filter {
	if len(kv)%2 != 0 {
		panic("ffmpeg.F: odd number of key/value arguments for " + name)
	}
	f := Filter{Name: name}
	for i := 0; i < len(kv); i += 2 {
		f.Opts = append(f.Opts, Opt{Key: kv[i], Value: kv[i+1]})
	}
	return f
}

// String is the filter as it goes into -filter_complex, every value escaped
// by both levels.
func (f Filter) String() string {
	if len(f.Opts) == 0 {
		return f.Name
	}
	parts := make([]string, len(f.Opts))
	for i, o := range f.Opts {
		v := EscapeValue(o.Value)
		if o.Key != "" {
			v = o.Key + "=" + v
		}
		parts[i] = v
	}
	return f.Name + "=" + escapeFilter(strings.Join(parts, ":"))
}

// Chain is a linear chain of filters from labelled inputs to labelled
// outputs, e.g. [1:v]chromakey=…,scale=…[pip].
type Chain struct {
	In      []string // stream specifiers or labels, without brackets
	Filters []Filter
	Out     []string
}

// Graph is a filter graph for -filter_complex.
type Graph struct {
	Chains []Chain
}

// Add appends a chain to the graph.
func (g *Graph) Add(in []string, out []string, filters ...Filter) {
	g.Chains = append(g.Chains, Chain{In: in, Filters: filters, Out: out})
}

// String is the graph as one argv element for -filter_complex.
func (g *Graph) String() string {
	var b strings.Builder
	for i, c := range g.Chains {
		if i > 0 {
			b.WriteByte(';')
		}
		for _, l := range c.In {
			b.WriteString("[" + l + "]")
		}
		for j, f := range c.Filters {
			if j > 0 {
				b.WriteByte(',')
			}
			b.WriteString(f.String())
		}
		for _, l := range c.Out {
			b.WriteString("[" + l + "]")
		}
	}
	return b.String()
}

// Empty reports whether the graph has no chains.
func (g *Graph) Empty() bool { return g == nil || len(g.Chains) == 0 }
