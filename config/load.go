package config

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"reflect"
	"strings"
	"time"

	"gopkg.in/yaml.v3"
)

// Defaults returns a configuration with every optional value set.
func Defaults() *Config {
	return &Config{
		Database: Database{Driver: "sqlite", DSN: "helpdesk.db"},
		DataDir:  "./data",
		Log:      Log{Level: "info", Format: "text"},
		HTTP:     HTTP{Listen: "127.0.0.1:8025"},
		Outbox:   Outbox{Workers: 4, MaxAttempts: 8, AutoPerHour: 3, AutoPerDay: 10},
		Ingest: Ingest{
			BatchSize:       300,
			BatchInterval:   Duration(time.Second),
			MaxMessageBytes: 64 << 20,
		},
		Calendar: Calendar{
			Timezone: "Asia/Shanghai",
			Preset:   "cn",
			Hours: map[string]string{
				"mon": "09:00-18:00", "tue": "09:00-18:00", "wed": "09:00-18:00",
				"thu": "09:00-18:00", "fri": "09:00-18:00",
			},
		},
		Agents: Agents{WarnBefore: "2bh"},
	}
}

// DefaultPolicy is used for any target a brand leaves out. The numbers
// follow the stricter of the two shops' policies (see README).
func DefaultPolicy() Policy {
	return Policy{
		FirstResponse: "1bd",
		Resolution:    map[string]string{"product": "3bd", "logistics": "3bd", "other": "5bd"},
		Rights: map[string]string{
			"access": "3bd", "correction": "3bd", "deletion": "15bd",
			"consent_withdrawal": "3bd", "complaint": "5bd",
		},
		NoticeDays: 30,
	}
}

// Load reads the file at path over Defaults(), expands ${ENV} references
// with getenv (os.Getenv when nil), fills per-brand defaults and validates.
func Load(path string, getenv func(string) string) (*Config, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("reading config: %w", err)
	}
	return Parse(data, getenv)
}

// Parse is Load on bytes already read.
func Parse(data []byte, getenv func(string) string) (*Config, error) {
	if getenv == nil {
		getenv = os.Getenv
	}
	var root yaml.Node
	if err := yaml.Unmarshal(data, &root); err != nil {
		return nil, fmt.Errorf("config: %w", err)
	}
	cfg := Defaults()
	if len(root.Content) == 0 {
		return nil, errors.New("config: file is empty")
	}
	doc := root.Content[0]
	var problems []string
	checkKeys(doc, reflect.TypeOf(*cfg), "", &problems)
	expandEnv(doc, "", getenv, &problems)
	if len(problems) > 0 {
		return nil, fmt.Errorf("config: %s", strings.Join(problems, "; "))
	}
	var buf bytes.Buffer
	enc := yaml.NewEncoder(&buf)
	if err := enc.Encode(doc); err != nil {
		return nil, fmt.Errorf("config: %w", err)
	}
	dec := yaml.NewDecoder(&buf)
	dec.KnownFields(true)
	if err := dec.Decode(cfg); err != nil {
		return nil, fmt.Errorf("config: %w", err)
	}
	cfg.fillDefaults()
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	return cfg, nil
}

// checkKeys reports every mapping key that has no field in t, by its path.
func checkKeys(n *yaml.Node, t reflect.Type, path string, problems *[]string) {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch n.Kind {
	case yaml.MappingNode:
		if t.Kind() == reflect.Map {
			for i := 0; i+1 < len(n.Content); i += 2 {
				checkKeys(n.Content[i+1], t.Elem(), join(path, n.Content[i].Value), problems)
			}
			return
		}
		if t.Kind() != reflect.Struct {
			return
		}
		fields := map[string]reflect.Type{}
		for i := 0; i < t.NumField(); i++ {
			f := t.Field(i)
			name, _, _ := strings.Cut(f.Tag.Get("yaml"), ",")
			if name != "" && name != "-" {
				fields[name] = f.Type
			}
		}
		for i := 0; i+1 < len(n.Content); i += 2 {
			key := n.Content[i].Value
			ft, ok := fields[key]
			if !ok {
				*problems = append(*problems, fmt.Sprintf("%s: unknown key (line %d)", join(path, key), n.Content[i].Line))
				continue
			}
			checkKeys(n.Content[i+1], ft, join(path, key), problems)
		}
	case yaml.SequenceNode:
		if t.Kind() != reflect.Slice {
			return
		}
		for i, c := range n.Content {
			checkKeys(c, t.Elem(), fmt.Sprintf("%s[%d]", path, i), problems)
		}
	}
}

func join(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

// expandEnv replaces ${NAME} in scalar values. Expanding after parsing, not
// in the raw text, means a secret containing YAML syntax stays a value.
func expandEnv(n *yaml.Node, path string, getenv func(string) string, problems *[]string) {
	switch n.Kind {
	case yaml.DocumentNode, yaml.SequenceNode:
		for i, c := range n.Content {
			p := path
			if n.Kind == yaml.SequenceNode {
				p = fmt.Sprintf("%s[%d]", path, i)
			}
			expandEnv(c, p, getenv, problems)
		}
	case yaml.MappingNode:
		for i := 0; i+1 < len(n.Content); i += 2 {
			expandEnv(n.Content[i+1], join(path, n.Content[i].Value), getenv, problems)
		}
	case yaml.ScalarNode:
		if !strings.Contains(n.Value, "${") {
			return
		}
		var missing []string
		n.Value = os.Expand(n.Value, func(name string) string {
			v := getenv(name)
			if v == "" {
				missing = append(missing, name)
			}
			return v
		})
		// A quoted style keeps "123456" a string after expansion.
		if n.Tag == "!!str" || n.Tag == "" {
			n.Style = yaml.DoubleQuotedStyle
			n.Tag = "!!str"
		}
		for _, m := range missing {
			*problems = append(*problems, fmt.Sprintf("%s: environment variable %s is not set", path, m))
		}
	}
}

func (c *Config) fillDefaults() {
	def := DefaultPolicy()
	for i := range c.Brands {
		b := &c.Brands[i]
		if b.Language == "" {
			b.Language = "en"
		}
		if b.PrivacyContact == "" {
			b.PrivacyContact = b.Address
		}
		if b.TicketPrefix == "" && b.ID != "" {
			b.TicketPrefix = strings.ToUpper(b.ID[:min(2, len(b.ID))])
		}
		im := &b.IMAP
		if im.Security == "" {
			im.Security = "tls"
		}
		if im.Auth == "" {
			im.Auth = "password"
		}
		if im.Folder == "" {
			im.Folder = "INBOX"
		}
		if im.AfterImport == "" {
			im.AfterImport = "none"
		}
		if im.PollInterval == 0 {
			im.PollInterval = Duration(60 * time.Second)
		}
		if im.Port == 0 {
			im.Port = map[string]int{"tls": 993, "starttls": 143, "none": 143}[im.Security]
		}
		sm := &b.SMTP
		if sm.Security == "" {
			sm.Security = "starttls"
		}
		if sm.Auth == "" {
			sm.Auth = "password"
		}
		if sm.Port == 0 {
			sm.Port = map[string]int{"tls": 465, "starttls": 587, "none": 25}[sm.Security]
		}
		p := &b.Policy
		if p.FirstResponse == "" {
			p.FirstResponse = def.FirstResponse
		}
		p.Resolution = mergeTargets(p.Resolution, def.Resolution)
		p.Rights = mergeTargets(p.Rights, def.Rights)
		if p.NoticeDays == 0 {
			p.NoticeDays = def.NoticeDays
		}
		b.Privacy.fill(b)
	}
}

func mergeTargets(set, def map[string]string) map[string]string {
	out := make(map[string]string, len(def))
	for k, v := range def {
		out[k] = v
	}
	for k, v := range set {
		out[k] = v
	}
	return out
}

// Brand returns the brand with the given id.
func (c *Config) Brand(id string) (*Brand, bool) {
	for i := range c.Brands {
		if c.Brands[i].ID == id {
			return &c.Brands[i], true
		}
	}
	return nil, false
}
