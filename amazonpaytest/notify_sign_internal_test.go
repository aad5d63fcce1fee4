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
// crypto/rsa, for both hashes SNS uses and both key sizes, and verify.
func TestSignPKCS1v15MatchesCryptoRSA(t *testing.T) {
	t.Parallel()
	for _, bits := range []int{snsKeyBits, 2048} {
		key, err := rsa.GenerateKey(rand.Reader, bits)
		require.NoError(t, err)
		key.Precompute()
		for i := range 20 {
			msg := []byte(fmt.Sprint("message ", i))
			s1, s256 := sha1.Sum(msg), sha256.Sum256(msg)
			for _, c := range []struct {
				h crypto.Hash
				d []byte
			}{{crypto.SHA1, s1[:]}, {crypto.SHA256, s256[:]}} {
				want, err := rsa.SignPKCS1v15(nil, key, c.h, c.d)
				require.NoError(t, err)
				got := signPKCS1v15(key, c.h, c.d)
				assert.Equal(t, want, got, "%d bits, %v, message %d", bits, c.h, i)
				assert.NoError(t, rsa.VerifyPKCS1v15(&key.PublicKey, c.h, c.d, got))
			}
		}
	}
}
