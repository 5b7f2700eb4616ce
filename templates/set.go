package templates

import (
	"bytes"
	"errors"
	"fmt"
	"sort"
	"strings"
)

// ErrNotFound is returned (wrapped) by Render and Preview for a template
// name the Set does not have.
var ErrNotFound = errors.New("no such template")

// Set is a loaded, validated collection of templates for one brand. It is
// immutable and safe for concurrent use.
type Set struct {
	variants map[string]map[string]*variant // name -> lang -> variant
}

// Info describes one template name for listings (`helpdesk config check`,
// the agents' template picker).
type Info struct {
	Name    string
	Langs   []string // sorted
	HasHTML bool     // at least one language has an HTML variant
	// Source is EmbeddedSource when every file comes from the binary, else
	// the override directory that supplied at least one of them.
	Source   string
	Variants []Variant
}

// Variant is one language of a template.
type Variant struct {
	Lang       string
	HasHTML    bool
	TextSource string // file path, "embedded:default/..." for shipped files
	HTMLSource string // "" without HTML
}

// Load parses the embedded templates, lets the files in overrideDir (if not
// "") replace them, and renders every template in every language with
// SampleData and with sparse data, so that a broken template fails here,
// at start-up or in `helpdesk config check`, and never at send time. Errors
// are *FileError naming the offending file.
func Load(overrideDir string) (*Set, error) {
	files, err := readEmbedded()
	if err != nil {
		return nil, err
	}
	if overrideDir != "" {
		if err := applyOverrides(files, overrideDir); err != nil {
			return nil, err
		}
	}
	variants, err := parseAll(files)
	if err != nil {
		return nil, err
	}
	s := &Set{variants: variants}
	if err := s.validate(); err != nil {
		return nil, err
	}
	return s, nil
}

// validate renders each variant twice: with full sample data, and with
// only the brand and ticket reference set, which catches templates that
// assume an optional field is present.
func (s *Set) validate() error {
	for _, name := range s.names() {
		for _, lang := range s.langs(name) {
			v := s.variants[name][lang]
			full := SampleData(name, lang)
			sparse := Data{Brand: full.Brand, TicketRef: full.TicketRef}
			for _, d := range []Data{full, sparse} {
				if _, err := s.execute(v, d); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

// Render executes template name for a customer whose detected language is
// lang. The language used is the first of lang, d.Brand.DefaultLanguage
// and "en" (each normalized) that the template exists in; failing all
// three, the alphabetically first language it has. Render sets d.Lang to
// that language and, when d.DueText is empty and d.Due is set, fills
// DueText with FormatDue(d.Due, lang).
//
// The subject is one line (control characters become spaces) and, when
// d.TicketRef is set, is guaranteed to contain "[REF]": templates place
// the tag themselves, and Render prepends it if a custom template forgot.
func (s *Set) Render(name, lang string, d Data) (Rendered, error) {
	langs := s.variants[name]
	if len(langs) == 0 {
		return Rendered{}, fmt.Errorf("rendering %q: %w", name, ErrNotFound)
	}
	v := langs[s.pickLang(name, lang, d.Brand.DefaultLanguage)]
	return s.execute(v, d)
}

// Preview renders like Render; with d nil it uses SampleData(name, lang).
func (s *Set) Preview(name, lang string, d *Data) (Rendered, error) {
	if d == nil {
		sd := SampleData(name, lang)
		d = &sd
	}
	return s.Render(name, lang, *d)
}

// Has reports whether the Set has template name in any language.
func (s *Set) Has(name string) bool { return len(s.variants[name]) > 0 }

// List describes every template, sorted by name.
func (s *Set) List() []Info {
	var out []Info
	for _, name := range s.names() {
		info := Info{Name: name, Source: EmbeddedSource}
		for _, lang := range s.langs(name) {
			v := s.variants[name][lang]
			vi := Variant{Lang: lang, HasHTML: v.html != nil, TextSource: v.textSrc.path}
			if v.html != nil {
				vi.HTMLSource = v.htmlSrc.path
				info.HasHTML = true
			}
			for _, o := range []string{v.textSrc.origin, v.htmlSrc.origin} {
				if o != "" && o != EmbeddedSource {
					info.Source = o
				}
			}
			info.Langs = append(info.Langs, lang)
			info.Variants = append(info.Variants, vi)
		}
		out = append(out, info)
	}
	return out
}

func (s *Set) pickLang(name, lang, brandDefault string) string {
	langs := s.variants[name]
	for _, l := range []string{NormalizeLang(lang), NormalizeLang(brandDefault), "en"} {
		if _, ok := langs[l]; ok && l != "" {
			return l
		}
	}
	return s.langs(name)[0]
}

func (s *Set) execute(v *variant, d Data) (Rendered, error) {
	d.Lang = v.lang
	if d.DueText == "" && !d.Due.IsZero() {
		d.DueText = FormatDue(d.Due, v.lang)
	}
	var b bytes.Buffer
	if err := v.text.ExecuteTemplate(&b, "subject", d); err != nil {
		return Rendered{}, v.fileError(v.textSrc, err)
	}
	r := Rendered{Lang: v.lang, Subject: cleanSubject(b.String(), d.TicketRef)}
	b.Reset()
	if err := v.text.Execute(&b, d); err != nil {
		return Rendered{}, v.fileError(v.textSrc, err)
	}
	r.Text = tidyText(b.String())
	if v.html != nil {
		b.Reset()
		if err := v.html.Execute(&b, d); err != nil {
			return Rendered{}, v.fileError(v.htmlSrc, err)
		}
		r.HTML = strings.TrimSpace(b.String()) + "\n"
	}
	return r, nil
}

func (s *Set) names() []string {
	names := make([]string, 0, len(s.variants))
	for n := range s.variants {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

func (s *Set) langs(name string) []string {
	langs := make([]string, 0, len(s.variants[name]))
	for l := range s.variants[name] {
		langs = append(langs, l)
	}
	sort.Strings(langs)
	return langs
}

// fileError blames the file an execution error points into: the template
// itself, or one of the partials it calls ("template: _brand.en.txt:3:9:
// executing ..."), so an admin is sent to the file that needs fixing.
func (v *variant) fileError(main source, err error) error {
	msg := err.Error()
	for _, p := range v.partials {
		if p.kind == main.kind && strings.Contains(msg, "template: "+p.base+":") {
			return &FileError{Path: p.path, Err: fmt.Errorf("while rendering %s: %w", main.base, err)}
		}
	}
	return &FileError{Path: main.path, Err: err}
}
