package amazonpaytest

import (
	"crypto"
	"crypto/rsa"
	"crypto/sha1"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"math/big"
	"strings"
)

// Signing is most of what a notification costs the sandbox. crypto/rsa
// signs in constant time and, for keys of more than two primes, without
// the Chinese remainder theorem: right for a real key, several times the
// work of a plain CRT computation. The sandbox's key is a test key made
// for one process, with nothing to guard, so it is made of snsPrimes
// primes (a public key cannot tell: RFC 8017 §3.2) and the sandbox signs
// with math/big over them. PKCS #1 v1.5 signatures are deterministic:
// TestCRTKeySignsAsCryptoRSA checks every byte against crypto/rsa.

// snsPrimes is how many primes the sandbox's SNS key has: four of 256
// bits, each exponentiation a sixteenth of one of 1024 bits.
const snsPrimes = 4

// crtKey is an RSA private key in the form signPKCS1v15 uses.
type crtKey struct {
	size   int        // of the modulus, in bytes
	primes []*big.Int // p₀ … p_k
	exps   []*big.Int // d mod (pᵢ − 1)
	coeffs []*big.Int // (p₀ ⋯ pᵢ₋₁)⁻¹ mod pᵢ, for i ≥ 1 (Garner)
}

func newCRTKey(key *rsa.PrivateKey) *crtKey {
	k := &crtKey{size: key.Size(), primes: key.Primes}
	one, m := big.NewInt(1), big.NewInt(1)
	for i, p := range key.Primes {
		k.exps = append(k.exps, new(big.Int).Mod(key.D, new(big.Int).Sub(p, one)))
		if i > 0 {
			k.coeffs = append(k.coeffs, new(big.Int).ModInverse(m, p))
		} else {
			k.coeffs = append(k.coeffs, nil)
		}
		m = new(big.Int).Mul(m, p)
	}
	return k
}

// digestInfo is the DER prefix of a PKCS #1 v1.5 DigestInfo (RFC 8017
// §9.2, note 1).
var digestInfo = map[crypto.Hash][]byte{
	crypto.SHA1:   {0x30, 0x21, 0x30, 0x09, 0x06, 0x05, 0x2b, 0x0e, 0x03, 0x02, 0x1a, 0x05, 0x00, 0x04, 0x14},
	crypto.SHA256: {0x30, 0x31, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01, 0x05, 0x00, 0x04, 0x20},
}

// signPKCS1v15 is rsa.SignPKCS1v15(nil, key, hash, digest), in variable
// time.
func (k *crtKey) signPKCS1v15(hash crypto.Hash, digest []byte) []byte {
	prefix := digestInfo[hash]
	em := make([]byte, k.size) // 0x00 0x01 0xff… 0x00 DigestInfo digest
	em[1] = 1
	t := len(prefix) + len(digest)
	for i := 2; i < k.size-t-1; i++ {
		em[i] = 0xff
	}
	copy(em[k.size-t:], prefix)
	copy(em[k.size-len(digest):], digest)
	c := new(big.Int).SetBytes(em)
	// Garner: s ≡ c^d mod each prime, built up one prime at a time.
	s := new(big.Int).Exp(c, k.exps[0], k.primes[0])
	m := new(big.Int).Set(k.primes[0])
	for i := 1; i < len(k.primes); i++ {
		p := k.primes[i]
		mi := new(big.Int).Exp(c, k.exps[i], p)
		h := mi.Sub(mi, s)
		h.Mul(h, k.coeffs[i]).Mod(h, p) // Mod is Euclidean: h ≥ 0
		s.Add(s, h.Mul(h, m))
		m.Mul(m, p)
	}
	return s.FillBytes(make([]byte, k.size))
}

// sign signs u once, outside every lock, and gives its deliveries the body.
func (n *notifier) sign(u *unsigned) {
	if u.signed {
		return
	}
	if u.inner != nil {
		u.inner.NotificationData = string(ipnData(u.doc))
		inner, err := json.Marshal(u.inner)
		if err != nil {
			panic("amazonpaytest: notification: " + err.Error())
		}
		u.m.Message, u.inner, u.doc = string(inner), nil, xIPNData{}
	}
	u.m.Signature = signSNS(u.key, &u.m)
	body, err := json.MarshalIndent(&u.m, "", "  ")
	if err != nil {
		panic("amazonpaytest: notification: " + err.Error())
	}
	n.mu.Lock()
	defer n.mu.Unlock()
	for _, d := range u.ds {
		d.Body = body
	}
	u.signed = true
}

// signSNS signs m as SNS does: RSA over "Key\nvalue\n" of Message,
// MessageId, Timestamp, TopicArn and Type for a Notification (there is no
// Subject), with SubscribeURL and Token for a confirmation.
func signSNS(key *crtKey, m *snsMessage) string {
	fields := [][2]string{{"Message", m.Message}, {"MessageId", m.MessageID}, {"Timestamp", m.Timestamp},
		{"TopicArn", m.TopicArn}, {"Type", m.Type}}
	if m.Type != "Notification" {
		fields = [][2]string{{"Message", m.Message}, {"MessageId", m.MessageID}, {"SubscribeURL", m.SubscribeURL},
			{"Timestamp", m.Timestamp}, {"Token", m.Token}, {"TopicArn", m.TopicArn}, {"Type", m.Type}}
	}
	var b strings.Builder
	for _, kv := range fields {
		b.WriteString(kv[0] + "\n" + kv[1] + "\n")
	}
	var sig []byte
	if m.SignatureVersion == "2" {
		sum := sha256.Sum256([]byte(b.String()))
		sig = key.signPKCS1v15(crypto.SHA256, sum[:])
	} else {
		sum := sha1.Sum([]byte(b.String()))
		sig = key.signPKCS1v15(crypto.SHA1, sum[:])
	}
	return base64.StdEncoding.EncodeToString(sig)
}
