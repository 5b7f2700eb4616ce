package tickets

import (
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"time"

	"helpdesk/config"
	"helpdesk/mailbox"
	"helpdesk/templates"
)

// Service is the ticket domain: it owns the store and applies the brands'
// configuration to everything that happens to a ticket.
type Service struct {
	store      *Store
	cfg        *config.Config
	classifier Classifier
	log        *slog.Logger
	now        func() time.Time
	own        []string
	policies   map[string]*brandPolicy
	templates  map[string]*templates.Set
	priv       privacyState // the keyed-hash key, loaded on first use
	// serviceHours caches the worded service hours per brand and zone
	// label (brand + "\x00" + zone -> language -> text): every mail's
	// template data carries them, and the calendar never changes while
	// the Service lives.
	serviceHours sync.Map
}

// ServiceOptions wires a Service.
type ServiceOptions struct {
	Store      *Store
	Config     *config.Config
	Classifier Classifier // default: the trained model from data_dir, else the embedded one
	Logger     *slog.Logger
	Now        func() time.Time // default time.Now; tests inject a clock
}

// NewService builds the Service. It fails when a brand's calendar or
// policy cannot be built.
func NewService(opts ServiceOptions) (*Service, error) {
	s := &Service{store: opts.Store, cfg: opts.Config, classifier: opts.Classifier, log: opts.Logger, now: opts.Now}
	if s.classifier == nil {
		c, err := OpenClassifier(s.cfg.DataDir)
		if err != nil {
			return nil, fmt.Errorf("loading classifier: %w", err)
		}
		s.classifier = c
	}
	if s.log == nil {
		s.log = slog.New(slog.DiscardHandler)
	}
	if s.now == nil {
		s.now = time.Now
	}
	for _, b := range s.cfg.Brands {
		s.own = append(s.own, mailbox.NormalizeEmail(b.Address), mailbox.NormalizeEmail(b.PrivacyContact))
		for _, a := range b.Aliases {
			s.own = append(s.own, mailbox.NormalizeEmail(a))
		}
	}
	if s.cfg.Agents.Address != "" {
		s.own = append(s.own, mailbox.NormalizeEmail(s.cfg.Agents.Address))
	}
	var err error
	if s.policies, err = buildPolicies(s.cfg); err != nil {
		return nil, err
	}
	if s.templates, err = loadTemplates(s.cfg); err != nil {
		return nil, err
	}
	return s, nil
}

// Store returns the underlying store.
func (s *Service) Store() *Store { return s.store }

// Config returns the configuration the service runs with.
func (s *Service) Config() *config.Config { return s.cfg }

func (s *Service) ownAddresses() []string { return s.own }

func (s *Service) isOwnAddress(email string) bool {
	email = mailbox.NormalizeEmail(email)
	for _, o := range s.own {
		if strings.EqualFold(o, email) {
			return true
		}
	}
	return false
}
