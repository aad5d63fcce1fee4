package amazonpaytest

import (
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha1"
	"crypto/sha256"
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The sandbox's own PKCS #1 v1.5 signatures are byte for byte those of
// crypto/rsa, for both hashes SNS uses, for the sandbox's key shape and
// for two-prime keys, and verify with the public key alone.
func TestCRTKeySignsAsCryptoRSA(t *testing.T) {
	t.Parallel()
	for _, shape := range [][2]int{{snsPrimes, snsKeyBits}, {2, 1024}, {2, 2048}, {3, 2048}} {
		key, err := rsa.GenerateMultiPrimeKey(rand.Reader, shape[0], shape[1])
		require.NoError(t, err)
		ck := newCRTKey(key)
		for i := range 10 {
			msg := []byte(fmt.Sprint("message ", i))
			s1, s256 := sha1.Sum(msg), sha256.Sum256(msg)
			for _, c := range []struct {
				h crypto.Hash
				d []byte
			}{{crypto.SHA1, s1[:]}, {crypto.SHA256, s256[:]}} {
				want, err := rsa.SignPKCS1v15(nil, key, c.h, c.d)
				require.NoError(t, err)
				got := ck.signPKCS1v15(c.h, c.d)
				assert.Equal(t, want, got, "%v, %v, message %d", shape, c.h, i)
				assert.NoError(t, rsa.VerifyPKCS1v15(&key.PublicKey, c.h, c.d, got))
			}
		}
	}
}
