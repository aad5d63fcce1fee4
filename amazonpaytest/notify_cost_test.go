package amazonpaytest_test

import (
	"context"
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"
	"io"
	"testing"

	"github.com/amazonpay-go/amazonpay"
	"github.com/amazonpay-go/amazonpay/amazonpaytest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The sandbox signs notifications with a 1024-bit RSA key (a sixth of the
// cost of 2048 bits per notification), and what it signs still passes the
// SDK's real verifier, through the certificate served at SigningCertURL,
// in both SNS signature versions.
func TestNotificationKeyVerifiesThroughTheSDK(t *testing.T) {
	t.Parallel()
	for _, version := range []int{1, 2} {
		srv := newServer(t, amazonpaytest.WithFrozenClock())
		srv.SetNotificationSignatureVersion(version)
		shop := newIPNShop(t, srv)
		srv.AddNotificationURL(shop.URL + "/amazon/ipn")
		ipnReadyOrder(t, srv, srv.AmazonPay(), "10.00")
		waitIPN(t, srv)

		resp, err := srv.NotificationHTTPClient().Get(srv.SigningCertURL())
		require.NoError(t, err)
		pemBytes, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		require.NoError(t, err)
		block, _ := pem.Decode(pemBytes)
		require.NotNil(t, block)
		leaf, err := x509.ParseCertificate(block.Bytes)
		require.NoError(t, err)
		key, ok := leaf.PublicKey.(*rsa.PublicKey)
		require.True(t, ok, "SNS signs with RSA")
		assert.Equal(t, 1024, key.N.BitLen())

		d := srv.Notifications()
		require.Len(t, d, 1)
		require.Len(t, shop.notifications(), 1, "the shop's handler verified it")
		n, err := srv.NotificationVerifier().Verify(context.Background(), d[0].Header, d[0].Body)
		require.NoError(t, err)
		assert.Equal(t, amazonpay.NotificationTypeOrderReference, n.NotificationType)
		assert.Equal(t, d[0].NotificationReferenceID, n.NotificationReferenceID)
	}
}
