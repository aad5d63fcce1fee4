package amazonpaytest

import (
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha1"
	"fmt"
	"testing"
)

// BenchmarkSignSNS is one notification's signature with the sandbox's key
// size (snsKeyBits) against 2048 bits, as SNS's own key has, each by the
// sandbox's signPKCS1v15 (signSNS) and by crypto/rsa: most of what a
// notification costs the sandbox.
func BenchmarkSignSNS(b *testing.B) {
	m := &snsMessage{Type: "Notification", MessageID: "m", TopicArn: "arn", Timestamp: "t", SignatureVersion: "1",
		Message: string(make([]byte, 2000))}
	for _, shape := range [][2]int{{snsPrimes, snsKeyBits}, {2, snsKeyBits}, {2, 2048}} {
		key, err := rsa.GenerateMultiPrimeKey(rand.Reader, shape[0], shape[1])
		if err != nil {
			b.Fatal(err)
		}
		name := fmt.Sprintf("%dbits-%dprimes", shape[1], shape[0])
		b.Run(name, func(b *testing.B) {
			ck := newCRTKey(key)
			for range b.N {
				signSNS(ck, m)
			}
		})
		b.Run(name+"-crypto-rsa", func(b *testing.B) {
			sum := sha1.Sum([]byte(m.Message))
			for range b.N {
				if _, err := rsa.SignPKCS1v15(nil, key, crypto.SHA1, sum[:]); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
