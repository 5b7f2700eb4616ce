package config

import (
	"strings"
	"testing"
)

// FuzzParse: any YAML gives a valid configuration or an error, never a
// panic; an accepted configuration passes Validate again.
func FuzzParse(f *testing.F) {
	f.Add(minimal)
	f.Add(minimal + "colour: blue\n")
	f.Add("brands: [{id: x, imap: {port: 99999}}]\n")
	f.Add("calendar: {timezone: UTC+08:00, hours: {mon: \"09:00-12:00,13:30-18:00\"}}\n" + minimal)
	f.Add("{{{")
	f.Fuzz(func(t *testing.T, y string) {
		c, err := Parse([]byte(y), func(string) string { return "x" })
		if err != nil {
			if strings.TrimSpace(err.Error()) == "" {
				t.Fatal("empty error")
			}
			return
		}
		if err := c.Validate(); err != nil {
			t.Fatalf("accepted config fails Validate: %v", err)
		}
	})
}
