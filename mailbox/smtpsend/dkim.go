package smtpsend

import (
	"crypto"
	"errors"
	"fmt"

	"github.com/emersion/go-msgauth/dkim"
	gomail "github.com/wneessen/go-mail"
)

// signedHeaders are the fields every DKIM signature covers (h=). go-mail's
// default list leaves out the threading fields, Reply-To and the list
// headers; a forwarder could then rewrite them without breaking the
// signature. Fields absent from a message are still listed, which also
// forbids adding them later (RFC 6376 section 5.4).
var signedHeaders = []string{
	"From", "To", "Cc", "Subject", "Date", "Message-ID",
	"In-Reply-To", "References", "Reply-To", "Auto-Submitted",
	"MIME-Version", "Content-Type", "Content-Transfer-Encoding",
	"List-Unsubscribe", "List-Unsubscribe-Post", // RFC 8058 section 4 requires both signed
}

// oversignedHeaders are listed once more in h= so that a second instance
// added in transit breaks the signature.
var oversignedHeaders = []string{"From", "Subject", "Reply-To", "To", "Cc"}

// dkimSigner signs rendered messages. It uses go-msgauth rather than
// go-mail's signer: go-mail folds the DKIM-Signature field inside tag
// values, which breaks relaxed header canonicalization as soon as h= is
// longer than one line (as it is with our header list).
type dkimSigner struct {
	opts dkim.SignOptions
}

// newDKIMSigner parses the key and fixes the signing parameters:
// relaxed/relaxed canonicalization, SHA-256, our header list.
func newDKIMSigner(o *DKIMOptions) (*dkimSigner, error) {
	if o.Domain == "" || o.Selector == "" {
		return nil, errors.New("dkim needs a domain and a selector")
	}
	key, err := gomail.PrivKeyFromPEM(o.PrivateKeyPEM)
	if err != nil {
		return nil, fmt.Errorf("dkim private key: %w", err)
	}
	keys := append(append([]string{}, signedHeaders...), oversignedHeaders...)
	return &dkimSigner{opts: dkim.SignOptions{
		Domain:                 o.Domain,
		Selector:               o.Selector,
		Signer:                 key,
		Hash:                   crypto.SHA256,
		HeaderCanonicalization: dkim.CanonicalizationRelaxed,
		BodyCanonicalization:   dkim.CanonicalizationRelaxed,
		HeaderKeys:             keys,
	}}, nil
}

// sign returns raw with a DKIM-Signature field prepended.
func (s *dkimSigner) sign(raw []byte) ([]byte, error) {
	opts := s.opts
	signer, err := dkim.NewSigner(&opts)
	if err != nil {
		return nil, fmt.Errorf("dkim: %w", err)
	}
	if _, err := signer.Write(raw); err != nil {
		_ = signer.Close()
		return nil, fmt.Errorf("dkim signing: %w", err)
	}
	if err := signer.Close(); err != nil {
		return nil, fmt.Errorf("dkim signing: %w", err)
	}
	field := signer.Signature()
	out := make([]byte, 0, len(field)+len(raw))
	out = append(out, field...)
	return append(out, raw...), nil
}

// BuildMessage renders m and, when opts.DKIM is set, signs it: the bytes a
// Sender with opts would put on the wire (the signature's t= differs).
func BuildMessage(m *Mail, opts Options) ([]byte, error) {
	raw, err := Render(m)
	if err != nil || opts.DKIM == nil {
		return raw, err
	}
	s, err := newDKIMSigner(opts.DKIM)
	if err != nil {
		return nil, err
	}
	return s.sign(raw)
}
