package imapsource

import "github.com/emersion/go-sasl"

// oauthClient is the client side of the two OAuth2 SASL mechanisms. Both
// send everything in one initial response; the only challenge a server ever
// sends back is a base64 JSON error report ({"status":"401",...}), which the
// client must acknowledge with a dummy response so that the server finishes
// the command with a tagged NO. go-sasl's OAUTHBEARER client returns an error
// instead, which would abandon the AUTHENTICATE command mid-exchange, so
// both mechanisms go through this type.
type oauthClient struct {
	mech        string
	ir          []byte
	dummy       []byte // the reply to an error challenge
	serverError string // the JSON error challenge, if any; holds no secret
}

// NewXOAuth2Client returns a SASL client for XOAUTH2, the mechanism Google
// and Microsoft mail servers accept for OAuth2 access tokens. The initial
// response is
//
//	"user=" {User} "\x01auth=Bearer " {Token} "\x01\x01"
//
// and an error challenge is answered with an empty response, as Google's
// documentation prescribes.
func NewXOAuth2Client(username, token string) sasl.Client {
	return &oauthClient{
		mech:  "XOAUTH2",
		ir:    []byte("user=" + username + "\x01auth=Bearer " + token + "\x01\x01"),
		dummy: []byte{},
	}
}

// NewOAuthBearerClient returns a SASL client for OAUTHBEARER (RFC 7628). The
// initial response comes from go-sasl; an error challenge is answered with
// the single byte %x01 (RFC 7628 section 3.2.3).
func NewOAuthBearerClient(username, token, host string, port int) sasl.Client {
	_, ir, _ := sasl.NewOAuthBearerClient(&sasl.OAuthBearerOptions{
		Username: username, Token: token, Host: host, Port: port,
	}).Start() // never fails
	return &oauthClient{mech: sasl.OAuthBearer, ir: ir, dummy: []byte{0x01}}
}

func (c *oauthClient) Start() (mech string, ir []byte, err error) {
	return c.mech, c.ir, nil
}

func (c *oauthClient) Next(challenge []byte) ([]byte, error) {
	c.serverError = string(challenge)
	return c.dummy, nil
}
