package amazonpaytest

import (
	"crypto"
	"crypto/rsa"
	"math/big"
)

// Signing is most of what a notification costs the sandbox. crypto/rsa
// signs in constant time, which guards a real key against timing attacks
// and costs several times the plain CRT computation below; the sandbox's
// key is a test key made for one process, with nothing to guard, so the
// sandbox signs with math/big. PKCS #1 v1.5 signatures are deterministic:
// TestSignPKCS1v15MatchesCryptoRSA checks every byte against crypto/rsa.

// digestInfo is the DER prefix of a PKCS #1 v1.5 DigestInfo (RFC 8017
// §9.2, note 1).
var digestInfo = map[crypto.Hash][]byte{
	crypto.SHA1:   {0x30, 0x21, 0x30, 0x09, 0x06, 0x05, 0x2b, 0x0e, 0x03, 0x02, 0x1a, 0x05, 0x00, 0x04, 0x14},
	crypto.SHA256: {0x30, 0x31, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01, 0x05, 0x00, 0x04, 0x20},
}

// signPKCS1v15 is rsa.SignPKCS1v15(nil, key, hash, digest) for a
// two-prime key whose Precompute has run, in variable time.
func signPKCS1v15(key *rsa.PrivateKey, hash crypto.Hash, digest []byte) []byte {
	prefix := digestInfo[hash]
	k := key.Size()
	em := make([]byte, k) // 0x00 0x01 0xff... 0x00 DigestInfo
	em[1] = 1
	t := len(prefix) + len(digest)
	for i := 2; i < k-t-1; i++ {
		em[i] = 0xff
	}
	copy(em[k-t:], prefix)
	copy(em[k-len(digest):], digest)
	c := new(big.Int).SetBytes(em)
	p, q, pc := key.Primes[0], key.Primes[1], key.Precomputed
	m1 := new(big.Int).Exp(c, pc.Dp, p)
	m2 := new(big.Int).Exp(c, pc.Dq, q)
	h := m1.Sub(m1, m2)
	h.Mul(h, pc.Qinv).Mod(h, p) // Mod is Euclidean: h ≥ 0
	s := h.Mul(h, q).Add(h, m2)
	return s.FillBytes(make([]byte, k))
}
