//go:build !unix

package imapsource

import "errors"

func mapAnon(int) ([]byte, error) { return nil, errors.New("no anonymous mappings on this platform") }

func unmap([]byte) {}
