package mailbox

import (
	"sort"
	"strconv"
	"strings"
)

// parseMediaHeader splits a Content-Type or Content-Disposition value into
// its lower-cased first token and parameters (keys lower-cased). Unlike
// mime.ParseMediaType it never gives up: junk parameters are skipped, and
// RFC 2231 continuations and charset'lang' prefixes are decoded for every
// charset, not only UTF-8. RFC 2047 encoded-words in name/filename values
// (against the rules, but what many clients send) are decoded too.
func parseMediaHeader(v string, nt *notes) (string, map[string]string) {
	semi := strings.IndexByte(v, ';')
	first := v
	if semi >= 0 {
		first = v[:semi]
	}
	first = strings.ToLower(strings.TrimSpace(first))
	if semi < 0 {
		return first, nil
	}
	params := make(map[string]string, 2)
	type segment struct {
		val     string
		encoded bool
	}
	var ext map[string]map[int]segment // RFC 2231 parameters by base name

	rest := v[semi+1:]
	for len(rest) > 0 {
		rest = strings.TrimLeft(rest, " \t\r\n;")
		if rest == "" {
			break
		}
		eq := strings.IndexAny(rest, "=;")
		if eq < 0 || rest[eq] == ';' {
			// Attribute without value: skip it.
			if eq < 0 {
				break
			}
			rest = rest[eq+1:]
			continue
		}
		name := strings.ToLower(strings.TrimSpace(rest[:eq]))
		rest = strings.TrimLeft(rest[eq+1:], " \t")
		var val string
		if strings.HasPrefix(rest, "\"") {
			val, rest = unquote(rest)
		} else {
			end := strings.IndexByte(rest, ';')
			if end < 0 {
				end = len(rest)
			}
			val, rest = strings.TrimSpace(rest[:end]), rest[end:]
		}
		if name == "" {
			continue
		}
		star := strings.IndexByte(name, '*')
		if star < 0 {
			if _, dup := params[name]; !dup {
				params[name] = val
			}
			continue
		}
		// RFC 2231: name*, name*N, name*N*.
		base, suffix := name[:star], name[star+1:]
		idx, encoded := 0, false
		switch {
		case suffix == "":
			encoded = true
		default:
			if strings.HasSuffix(suffix, "*") {
				encoded = true
				suffix = suffix[:len(suffix)-1]
			}
			n, err := strconv.Atoi(suffix)
			if err != nil || n < 0 || n > 999 {
				continue
			}
			idx = n
		}
		if ext == nil {
			ext = make(map[string]map[int]segment)
		}
		if ext[base] == nil {
			ext[base] = make(map[int]segment)
		}
		ext[base][idx] = segment{val, encoded}
	}

	// Parameters in name order, so that their notes come out the same way
	// on every parse of the same header.
	bases := make([]string, 0, len(ext))
	for base := range ext {
		bases = append(bases, base)
	}
	sort.Strings(bases)
	for _, base := range bases {
		segs := ext[base]
		idxs := make([]int, 0, len(segs))
		for i := range segs {
			idxs = append(idxs, i)
		}
		sort.Ints(idxs)
		charset := ""
		var raw []byte
		for k, i := range idxs {
			s := segs[i]
			if !s.encoded {
				raw = append(raw, s.val...)
				continue
			}
			val := s.val
			if k == 0 {
				// charset'language'value; only the first segment carries it.
				if a := strings.IndexByte(val, '\''); a >= 0 {
					if b := strings.IndexByte(val[a+1:], '\''); b >= 0 {
						charset = val[:a]
						val = val[a+1+b+1:]
					}
				}
			}
			raw = appendPercentDecoded(raw, val)
		}
		dec, note := decodeCharset(raw, charset)
		nt.add(note)
		params[base] = dec // the RFC 2231 form wins over a plain duplicate
	}
	for _, k := range [...]string{"name", "filename"} {
		if p, ok := params[k]; ok {
			params[k] = decodeWords(p, nt)
		}
	}
	return first, params
}

// unquote reads a quoted-string at the start of s (which begins with '"')
// and returns its content and the remainder. An unterminated string runs
// to the next ';' or the end.
func unquote(s string) (string, string) {
	var b strings.Builder
	for i := 1; i < len(s); i++ {
		switch c := s[i]; c {
		case '\\':
			if i+1 < len(s) {
				i++
				b.WriteByte(s[i])
			}
		case '"':
			return b.String(), s[i+1:]
		default:
			b.WriteByte(c)
		}
	}
	// Unterminated: give back what we have.
	v := b.String()
	if semi := strings.IndexByte(v, ';'); semi >= 0 {
		return v[:semi], s[1+semi:]
	}
	return v, ""
}

func appendPercentDecoded(dst []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		if s[i] == '%' && i+2 < len(s) {
			h, ok1 := unhex(s[i+1])
			l, ok2 := unhex(s[i+2])
			if ok1 && ok2 {
				dst = append(dst, h<<4|l)
				i += 2
				continue
			}
		}
		dst = append(dst, s[i])
	}
	return dst
}
