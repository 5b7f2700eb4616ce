package imaptest

import (
	"context"
	"crypto/tls"
	"fmt"
	"io"
	"net"
	"os"
	"path/filepath"
	"strconv"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapclient"

	"helpdesk/mailbox/imapsource"
)

// BareFetchToDir copies every message in opts.Folder to dir, one file per
// message named UID.eml, using go-imap directly: one login, one SELECT, one
// UID FETCH 1:* BODY.PEEK[] whose literals are copied straight to the files.
// It is the reference an ingest benchmark is measured against: nothing is
// parsed, stored in a database or checkpointed. Only password login is
// supported. It returns the number of messages written.
func BareFetchToDir(ctx context.Context, opts imapsource.Options, dir string) (n int, err error) {
	folder := opts.Folder
	if folder == "" {
		folder = imapsource.DefaultFolder
	}
	c, err := bareDial(ctx, opts)
	if err != nil {
		return 0, err
	}
	defer c.Close()
	stop := context.AfterFunc(ctx, func() { c.Close() })
	defer stop()

	if err := c.Login(opts.Username, opts.Password).Wait(); err != nil {
		return 0, fmt.Errorf("login: %w", err)
	}
	sel, err := c.Select(folder, &imap.SelectOptions{ReadOnly: true}).Wait()
	if err != nil {
		return 0, fmt.Errorf("select %q: %w", folder, err)
	}
	if sel.NumMessages == 0 {
		return 0, c.Logout().Wait()
	}

	all := imap.UIDSet{imap.UIDRange{Start: 1, Stop: 0}}
	cmd := c.Fetch(all, &imap.FetchOptions{
		UID:         true,
		BodySection: []*imap.FetchItemBodySection{{Peek: true}},
	})
	defer cmd.Close()
	for {
		msg := cmd.Next()
		if msg == nil {
			break
		}
		var uid imap.UID
		for {
			item := msg.Next()
			if item == nil {
				break
			}
			switch item := item.(type) {
			case imapclient.FetchItemDataUID:
				uid = item.UID
			case imapclient.FetchItemDataBodySection:
				if item.Literal == nil {
					continue
				}
				// go-imap asks for UID first, so it is known here.
				if err := writeFile(filepath.Join(dir, strconv.FormatUint(uint64(uid), 10)+".eml"), item.Literal); err != nil {
					return n, err
				}
				n++
			}
		}
	}
	if err := cmd.Close(); err != nil {
		return n, fmt.Errorf("uid fetch: %w", err)
	}
	return n, c.Logout().Wait()
}

func writeFile(path string, r io.Reader) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if _, err := io.Copy(f, r); err != nil {
		f.Close()
		return fmt.Errorf("writing %s: %w", path, err)
	}
	return f.Close()
}

func bareDial(ctx context.Context, opts imapsource.Options) (*imapclient.Client, error) {
	port := opts.Port
	if port == 0 {
		port = 143
		if opts.Security == imapsource.SecurityTLS || opts.Security == "" {
			port = 993
		}
	}
	addr := net.JoinHostPort(opts.Host, strconv.Itoa(port))
	tlsCfg := opts.TLSConfig
	if tlsCfg == nil {
		tlsCfg = &tls.Config{}
	}
	tlsCfg = tlsCfg.Clone()
	if tlsCfg.ServerName == "" {
		tlsCfg.ServerName = opts.Host
	}
	var d net.Dialer
	conn, err := d.DialContext(ctx, "tcp", addr)
	if err != nil {
		return nil, err
	}
	switch opts.Security {
	case imapsource.SecurityNone:
		return imapclient.New(conn, nil), nil
	case imapsource.SecurityStartTLS:
		return imapclient.NewStartTLS(conn, &imapclient.Options{TLSConfig: tlsCfg})
	default:
		tc := tls.Client(conn, tlsCfg)
		if err := tc.HandshakeContext(ctx); err != nil {
			conn.Close()
			return nil, err
		}
		return imapclient.New(tc, nil), nil
	}
}
