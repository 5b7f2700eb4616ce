package tickets

import (
	"strings"
	"testing"
	"time"

	"helpdesk/config"
)

// TemplateBrand's cached service hours belong to their brand and follow
// the zone's daylight-saving label, however often they are asked for.
func TestTemplateBrandServiceHoursPerBrandAndZone(t *testing.T) {
	cfg := testConfig(t)
	berlin := config.Calendar{Timezone: "Europe/Berlin", Hours: map[string]string{"mon": "08:00-16:00", "tue": "08:00-16:00"}}
	other := cfg.Brands[0]
	other.ID, other.Name, other.Address, other.TicketPrefix = "home", "Home Goods", "help@home.example", "HG"
	other.PrivacyContact = "privacy@home.example"
	other.Calendar = &berlin
	cfg.Brands = append(cfg.Brands, other)
	svc := newTestService(t, openTestStore(t, "sqlite"), cfg)
	now := time.Date(2026, 7, 1, 10, 0, 0, 0, time.UTC)
	svc.now = func() time.Time { return now }

	for round := 0; round < 2; round++ { // the second round comes from the cache
		xy := svc.TemplateBrand(&svc.cfg.Brands[0])
		hg := svc.TemplateBrand(&svc.cfg.Brands[1])
		if !strings.Contains(xy.ServiceHours, "09:00") || !strings.Contains(xy.ServiceHours, "UTC+8") {
			t.Errorf("round %d: xiyue hours %q, want 09:00 and UTC+8", round, xy.ServiceHours)
		}
		if !strings.Contains(hg.ServiceHours, "08:00") || !strings.Contains(hg.ServiceHours, "UTC+2") {
			t.Errorf("round %d: home hours %q, want 08:00 and summer time UTC+2", round, hg.ServiceHours)
		}
		if xy.ServiceHoursByLang["zh"] == hg.ServiceHoursByLang["zh"] {
			t.Errorf("round %d: both brands share the Chinese wording %q", round, xy.ServiceHoursByLang["zh"])
		}
	}
	now = time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC)
	if hg := svc.TemplateBrand(&svc.cfg.Brands[1]); !strings.Contains(hg.ServiceHours, "UTC+1") {
		t.Errorf("winter: home hours %q, want UTC+1", hg.ServiceHours)
	}
}
