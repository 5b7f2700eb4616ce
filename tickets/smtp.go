package tickets

import (
	"crypto/tls"
	"fmt"
	"log/slog"
	"os"

	"helpdesk/config"
	"helpdesk/mailbox/smtpsend"
)

// SMTPOptions turns a brand's smtp settings into sender options, reading
// the DKIM key file.
func SMTPOptions(b *config.Brand) (smtpsend.Options, error) {
	sm := b.SMTP
	o := smtpsend.Options{Host: sm.Host, Port: sm.Port, Security: sm.Security, Username: sm.Username,
		Password: sm.Password, Auth: sm.Auth, Token: sm.Token}
	if sm.InsecureTLS {
		o.TLSConfig = &tls.Config{InsecureSkipVerify: true, ServerName: sm.Host}
	}
	if sm.DKIM != nil {
		key, err := os.ReadFile(sm.DKIM.KeyFile)
		if err != nil {
			return o, fmt.Errorf("brand %s dkim key: %w", b.ID, err)
		}
		o.DKIM = &smtpsend.DKIMOptions{Domain: sm.DKIM.Domain, Selector: sm.DKIM.Selector, PrivateKeyPEM: key}
	}
	return o, nil
}

// SMTPSenders is the SenderFactory for the brands' real SMTP servers.
func SMTPSenders(log *slog.Logger) SenderFactory {
	return func(b *config.Brand) (RawSender, error) {
		o, err := SMTPOptions(b)
		if err != nil {
			return nil, err
		}
		return smtpsend.NewSender(o, log.With("brand", b.ID))
	}
}

// CheckConfig builds everything the daemon derives from the configuration
// (calendars, policies, templates, DKIM keys) without touching the
// database, so `config check` fails where start-up would.
func CheckConfig(cfg *config.Config) error {
	if _, err := buildPolicies(cfg); err != nil {
		return err
	}
	if _, err := loadTemplates(cfg); err != nil {
		return err
	}
	for i := range cfg.Brands {
		o, err := SMTPOptions(&cfg.Brands[i])
		if err != nil {
			return err
		}
		if _, err := smtpsend.NewSender(o, nil); err != nil {
			return fmt.Errorf("brand %s smtp: %w", cfg.Brands[i].ID, err)
		}
	}
	return nil
}
