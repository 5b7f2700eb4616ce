package templates

import (
	"embed"
	"errors"
	"fmt"
	htmltemplate "html/template"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	texttemplate "text/template"
)

// defaults holds the shipped templates. embed needs a package-level
// variable; it is read-only.
//
//go:embed default/*.txt default/*.html
var defaults embed.FS

// EmbeddedSource is Info.Source for templates that come from the binary.
const EmbeddedSource = "embedded"

// FileError is a template file that could not be read, parsed or rendered.
// Path is the file on disk, or "embedded:default/NAME.LANG.EXT".
type FileError struct {
	Path string
	Err  error
}

// Error names the file.
func (e *FileError) Error() string { return "template " + e.Path + ": " + e.Err.Error() }

// Unwrap returns the parse or execution error.
func (e *FileError) Unwrap() error { return e.Err }

// fileKind is the body variant a file provides.
type fileKind int

const (
	kindText fileKind = iota
	kindHTML
)

// fileName is a parsed template file name: NAME.LANG.txt / NAME.LANG.html,
// where a NAME starting with "_" marks a partial.
type fileName struct {
	name    string
	lang    string
	kind    fileKind
	partial bool
}

// parseFileName splits a base file name. ok is false for names that are not
// template files at all (other extensions); err reports a .txt/.html file
// whose name does not follow the NAME.LANG.EXT pattern.
func parseFileName(base string) (fn fileName, ok bool, err error) {
	var stem string
	switch {
	case strings.HasSuffix(base, ".txt"):
		stem, fn.kind = strings.TrimSuffix(base, ".txt"), kindText
	case strings.HasSuffix(base, ".html"):
		stem, fn.kind = strings.TrimSuffix(base, ".html"), kindHTML
	default:
		return fileName{}, false, nil
	}
	i := strings.LastIndexByte(stem, '.')
	if i <= 0 {
		return fileName{}, true, fmt.Errorf("file name %q is not NAME.LANG.txt or NAME.LANG.html", base)
	}
	fn.name, fn.lang = stem[:i], stem[i+1:]
	if NormalizeLang(fn.lang) != fn.lang {
		return fileName{}, true, fmt.Errorf("file name %q: language %q must be a bare lower-case tag such as en or zh", base, fn.lang)
	}
	for _, r := range fn.name {
		if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '.' || r == '_' || r == '-') {
			return fileName{}, true, fmt.Errorf("file name %q: template name %q may use only a-z, 0-9, '.', '_' and '-'", base, fn.name)
		}
	}
	fn.partial = strings.HasPrefix(fn.name, "_")
	if fn.name == "_" || strings.HasSuffix(fn.name, ".") || strings.HasPrefix(fn.name, ".") || strings.Contains(fn.name, "..") {
		return fileName{}, true, fmt.Errorf("file name %q: malformed template name %q", base, fn.name)
	}
	return fn, true, nil
}

// source is one template file's text and where it came from.
type source struct {
	fileName
	base    string // file base name, the template's name in parse errors
	path    string // for error messages and Info.Source
	origin  string // EmbeddedSource or the override directory
	content string
}

// fileSet is every template file after overrides were applied, keyed by
// base file name.
type fileSet map[string]source

// readEmbedded loads the shipped files.
func readEmbedded() (fileSet, error) {
	entries, err := fs.ReadDir(defaults, "default")
	if err != nil {
		return nil, fmt.Errorf("reading embedded templates: %w", err)
	}
	files := fileSet{}
	for _, e := range entries {
		fn, ok, err := parseFileName(e.Name())
		if !ok {
			continue
		}
		path := "embedded:default/" + e.Name()
		if err != nil {
			return nil, &FileError{Path: path, Err: err}
		}
		b, err := defaults.ReadFile("default/" + e.Name())
		if err != nil {
			return nil, &FileError{Path: path, Err: err}
		}
		files[e.Name()] = source{fileName: fn, base: e.Name(), path: path, origin: EmbeddedSource, content: string(b)}
	}
	return files, nil
}

// applyOverrides reads dir (not recursively) and lets its files replace the
// embedded ones of the same name. Dot files and files with other extensions
// are ignored, so a README or an editor backup does not break start-up.
//
// A text file overriding NAME.LANG also drops the embedded NAME.LANG.html
// unless the directory provides that too: the shipped HTML would otherwise
// go out beside a rewritten text part and say something different.
func applyOverrides(files fileSet, dir string) error {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return fmt.Errorf("reading template directory: %w", err)
	}
	over := fileSet{}
	for _, e := range entries {
		name := e.Name()
		if strings.HasPrefix(name, ".") {
			continue
		}
		path := filepath.Join(dir, name)
		fn, ok, err := parseFileName(name)
		if !ok {
			continue
		}
		if err != nil {
			return &FileError{Path: path, Err: err}
		}
		info, err := os.Stat(path) // follows symlinks, as admins use them
		if err != nil {
			return &FileError{Path: path, Err: err}
		}
		if !info.Mode().IsRegular() {
			continue
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return &FileError{Path: path, Err: err}
		}
		over[name] = source{fileName: fn, base: name, path: path, origin: dir, content: string(b)}
	}
	for name, src := range over {
		if old, ok := files[name]; ok && src.partial {
			if err := sameBlocks(old, src); err != nil {
				return &FileError{Path: src.path, Err: err}
			}
		}
		if src.kind == kindText && !src.partial {
			htmlName := src.name + "." + src.lang + ".html"
			if _, ok := over[htmlName]; !ok {
				delete(files, htmlName)
			}
		}
		files[name] = src
	}
	return nil
}

// variant is one template in one language, parsed and ready to execute.
type variant struct {
	name, lang string
	text       *texttemplate.Template
	html       *htmltemplate.Template // nil: text only
	textSrc    source
	htmlSrc    source   // zero when html is nil
	partials   []source // the language's partial files, to attribute errors
}

// parseAll builds every variant from files. Partials of a language
// (_*.LANG.txt, _*.LANG.html) are parsed into every template of that
// language; a template redefining a partial's block wins.
func parseAll(files fileSet) (map[string]map[string]*variant, error) {
	names := make([]string, 0, len(files))
	for n := range files {
		names = append(names, n)
	}
	// Embedded files first, then overrides, each by name: a brand's extra
	// partial (say _brand.en.txt redefining "signature") is parsed after
	// the shipped ones and so replaces just that block.
	sort.Slice(names, func(i, j int) bool {
		ei, ej := files[names[i]].origin == EmbeddedSource, files[names[j]].origin == EmbeddedSource
		if ei != ej {
			return ei
		}
		return names[i] < names[j]
	})

	textBase := map[string]*texttemplate.Template{}
	htmlBase := map[string]*htmltemplate.Template{}
	for _, n := range names {
		src := files[n]
		if !src.partial {
			continue
		}
		var err error
		if src.kind == kindText {
			err = addTextPartial(textBase, src)
		} else {
			err = addHTMLPartial(htmlBase, src)
		}
		if err != nil {
			return nil, &FileError{Path: src.path, Err: err}
		}
	}

	out := map[string]map[string]*variant{}
	for _, n := range names {
		src := files[n]
		if src.partial || src.kind != kindText {
			continue
		}
		t, err := parseText(textBase[src.lang], src)
		if err != nil {
			return nil, &FileError{Path: src.path, Err: err}
		}
		v := &variant{name: src.name, lang: src.lang, text: t, textSrc: src, partials: partialsOf(files, src.lang)}
		if hsrc, ok := files[src.name+"."+src.lang+".html"]; ok {
			h, err := parseHTML(htmlBase[src.lang], hsrc)
			if err != nil {
				return nil, &FileError{Path: hsrc.path, Err: err}
			}
			v.html, v.htmlSrc = h, hsrc
		}
		if out[src.name] == nil {
			out[src.name] = map[string]*variant{}
		}
		out[src.name][src.lang] = v
	}
	// An HTML file needs its text twin: the subject and the text part come
	// from there.
	for _, n := range names {
		src := files[n]
		if src.partial || src.kind != kindHTML {
			continue
		}
		if out[src.name][src.lang] == nil {
			return nil, &FileError{Path: src.path, Err: errors.New("HTML template without its text file " + src.name + "." + src.lang + ".txt")}
		}
	}
	return out, nil
}

func addTextPartial(base map[string]*texttemplate.Template, src source) error {
	t := base[src.lang]
	if t == nil {
		t = newText("_partials." + src.lang)
		base[src.lang] = t
	}
	_, err := t.New(src.base).Parse(src.content)
	return err
}

func addHTMLPartial(base map[string]*htmltemplate.Template, src source) error {
	t := base[src.lang]
	if t == nil {
		t = newHTML("_partials." + src.lang)
		base[src.lang] = t
	}
	_, err := t.New(src.base).Parse(src.content)
	return err
}

func parseText(base *texttemplate.Template, src source) (*texttemplate.Template, error) {
	var t *texttemplate.Template
	if base == nil {
		t = newText(src.base)
	} else {
		c, err := base.Clone()
		if err != nil {
			return nil, err
		}
		t = c.New(src.base)
	}
	if _, err := t.Parse(src.content); err != nil {
		return nil, err
	}
	if t.Lookup("subject") == nil {
		return nil, errors.New(`missing {{define "subject"}}...{{end}}`)
	}
	return t, nil
}

func parseHTML(base *htmltemplate.Template, src source) (*htmltemplate.Template, error) {
	var t *htmltemplate.Template
	if base == nil {
		t = newHTML(src.base)
	} else {
		c, err := base.Clone()
		if err != nil {
			return nil, err
		}
		t = c.New(src.base)
	}
	_, err := t.Parse(src.content)
	return t, err
}

func newText(name string) *texttemplate.Template {
	return texttemplate.New(name).Option("missingkey=error").Funcs(textFuncs())
}

func newHTML(name string) *htmltemplate.Template {
	return htmltemplate.New(name).Option("missingkey=error").Funcs(htmlFuncs())
}

// partialsOf lists the partial files of lang.
func partialsOf(files fileSet, lang string) []source {
	var out []source
	for _, src := range files {
		if src.partial && src.lang == lang {
			out = append(out, src)
		}
	}
	return out
}

// sameBlocks reports the blocks a replacement partial file no longer
// defines. Replacing _partials.en.txt wholesale is allowed, but forgetting
// one block would otherwise surface as "template "ref" not defined" in
// some unrelated template; this names the file at fault instead.
func sameBlocks(old, repl source) error {
	defined := func(src source) (map[string]bool, error) {
		var names []string
		if src.kind == kindText {
			t, err := newText(src.base).Parse(src.content)
			if err != nil {
				return nil, err
			}
			for _, d := range t.Templates() {
				names = append(names, d.Name())
			}
		} else {
			t, err := newHTML(src.base).Parse(src.content)
			if err != nil {
				return nil, err
			}
			for _, d := range t.Templates() {
				names = append(names, d.Name())
			}
		}
		m := map[string]bool{}
		for _, n := range names {
			if n != src.base {
				m[n] = true
			}
		}
		return m, nil
	}
	want, err := defined(old)
	if err != nil {
		return fmt.Errorf("parsing the embedded %s: %w", old.base, err)
	}
	got, err := defined(repl)
	if err != nil {
		return err
	}
	var missing []string
	for n := range want {
		if !got[n] {
			missing = append(missing, n)
		}
	}
	if len(missing) == 0 {
		return nil
	}
	sort.Strings(missing)
	return fmt.Errorf("replaces the embedded %s but does not define %s; copy them over, or put only your changes in a separate partial such as _brand.%s%s",
		old.base, strings.Join(missing, ", "), repl.lang, extOf(repl.kind))
}

func extOf(k fileKind) string {
	if k == kindHTML {
		return ".html"
	}
	return ".txt"
}
