package whois

import (
	"html"
	"regexp"
	"strings"
	"unicode/utf8"
)

// normalize turns CRLF and CR line ends into LF, drops a UTF-8 byte-order
// mark, and removes the indentation common to all non-blank lines (answers
// pasted from source code often carry it).
func normalize(s string) string {
	s = strings.TrimPrefix(s, "\ufeff")
	if strings.IndexByte(s, '\r') >= 0 {
		s = strings.ReplaceAll(s, "\r\n", "\n")
		s = strings.ReplaceAll(s, "\r", "\n")
	}
	indent := -1
	for line := range strings.SplitSeq(s, "\n") {
		if strings.TrimSpace(line) == "" {
			continue
		}
		n := len(line) - len(strings.TrimLeft(line, " \t"))
		if indent < 0 || n < indent {
			indent = n
		}
		if indent == 0 {
			return s
		}
	}
	if indent <= 0 {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	for line := range strings.SplitSeq(s, "\n") {
		if len(line) >= indent {
			line = line[indent:]
		} else {
			line = strings.TrimLeft(line, " \t")
		}
		b.WriteString(line)
		b.WriteByte('\n')
	}
	return strings.TrimSuffix(b.String(), "\n")
}

var reHTML = regexp.MustCompile(`(?i)<(html|body|pre|head|title|!doctype|div|table|script)\b`)

// looksHTML reports whether s is (or contains) an HTML page.
func looksHTML(s string) bool {
	if len(s) > 4096 {
		s = s[:4096]
	}
	return reHTML.MatchString(s)
}

// stripHTML removes scripts, styles, comments and tags and decodes
// entities, keeping the line structure of the text inside <pre> blocks.
// <br> becomes a line break. It runs in one pass, in time linear in the
// input; a "<" that does not open a tag is kept as text.
func stripHTML(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); {
		c := s[i]
		if c != '<' || i+1 >= len(s) {
			b.WriteByte(c)
			i++
			continue
		}
		next := s[i+1]
		isTag := next == '/' || next == '!' || next == '?' || next >= 'a' && next <= 'z' || next >= 'A' && next <= 'Z'
		if !isTag {
			b.WriteByte(c)
			i++
			continue
		}
		if strings.HasPrefix(s[i:], "<!--") {
			end := strings.Index(s[i+4:], "-->")
			if end < 0 {
				break
			}
			i += 4 + end + 3
			continue
		}
		end := strings.IndexByte(s[i:], '>')
		if end < 0 {
			b.WriteString(s[i:])
			break
		}
		tag := strings.ToLower(s[i+1 : i+end])
		i += end + 1
		name := tag
		if k := strings.IndexAny(name, " \t\r\n/"); k >= 0 && !strings.HasPrefix(name, "/") {
			name = name[:k]
		}
		switch name {
		case "script", "style":
			// Skip to the matching close tag.
			closeAt := indexFold(s[i:], "</"+name)
			if closeAt < 0 {
				i = len(s)
				continue
			}
			i += closeAt
			if gt := strings.IndexByte(s[i:], '>'); gt >= 0 {
				i += gt + 1
			} else {
				i = len(s)
			}
		case "br":
			b.WriteByte('\n')
		}
	}
	return html.UnescapeString(b.String())
}

// indexFold is strings.Index ignoring ASCII case in s; sub must be lower
// case.
func indexFold(s, sub string) int {
	n := len(sub)
	for i := 0; i+n <= len(s); i++ {
		if s[i] == '<' && strings.EqualFold(s[i:i+n], sub) {
			return i
		}
	}
	return -1
}

// isBinary reports whether s looks like binary data: a NUL byte, or more
// than 10% of its first 4 KiB being invalid UTF-8 or control characters
// other than tab, CR, LF and form feed.
func isBinary(s string) bool {
	if len(s) > 4096 {
		s = s[:4096]
	}
	if strings.IndexByte(s, 0) >= 0 {
		return true
	}
	bad, n := 0, 0
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		i += size
		n++
		if r == utf8.RuneError && size == 1 {
			bad++
		} else if r < 0x20 && r != '\t' && r != '\n' && r != '\r' && r != '\f' {
			bad++
		}
	}
	return n > 0 && bad*10 > n
}

// splitKV splits "name: value" at the first colon. ok is false when there
// is no colon or the name is empty or has characters not found in
// attribute names.
func splitKV(line string) (name, value string, ok bool) {
	i := strings.IndexByte(line, ':')
	if i <= 0 {
		return "", "", false
	}
	name = strings.TrimSpace(line[:i])
	if name == "" || len(name) > 64 {
		return "", "", false
	}
	for _, c := range name {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_' || c == ' ' || c == '.') {
			return "", "", false
		}
	}
	return name, strings.TrimSpace(line[i+1:]), true
}

// firstLine returns s up to its first line break.
func firstLine(s string) string {
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i]
	}
	return s
}
