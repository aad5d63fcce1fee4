package main

import (
	"bytes"
	"io"
	"os"
	"regexp"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// amazonpaytest/SERVER.md names every flag that --help lists.
func TestServerMDDocumentsEveryFlag(t *testing.T) {
	var help bytes.Buffer
	_, err := parseFlags([]string{"--help"}, &help, io.Discard)
	require.ErrorIs(t, err, errHelp)
	doc, err := os.ReadFile("../../amazonpaytest/SERVER.md")
	require.NoError(t, err)
	flags := regexp.MustCompile(`(?m)^  -([a-z-]+)`).FindAllStringSubmatch(help.String(), -1)
	require.Greater(t, len(flags), 20, "--help lists the flags")
	for _, f := range flags {
		assert.Regexp(t, "`--"+regexp.QuoteMeta(f[1])+"[` ]", string(doc), "SERVER.md documents --%s", f[1])
	}
}
