package amazonpay

import (
	"context"
	"crypto"
	"crypto/rsa"
	"crypto/sha1"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"testing"
)

// BenchmarkNotificationVerify measures Verify on one payment authorization
// notification with its certificate already cached: envelope checks, the
// RSA signature, the Message JSON and the NotificationData XML into typed
// values. Compare with BenchmarkNotificationRSAVerify, the signature check
// alone, run by the same command.
func BenchmarkNotificationVerify(b *testing.B) {
	p := newTestPKI(b, certSpec{})
	for _, version := range []string{"1", "2"} {
		b.Run("SignatureVersion"+version, func(b *testing.B) {
			e := newTestEnv(b)
			e.version = version
			body := e.sign(b, p.leafKey)
			v := testVerifier(p, standardServer(p))
			ctx := context.Background()
			if _, err := v.Verify(ctx, e.header, body); err != nil {
				b.Fatal(err)
			}
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				if _, err := v.Verify(ctx, e.header, body); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkNotificationRSAVerify measures the RSA PKCS #1 v1.5 check of
// the same notification's signature alone (hash of the string to sign and
// rsa.VerifyPKCS1v15 with the 2048-bit key), for the two SNS versions.
func BenchmarkNotificationRSAVerify(b *testing.B) {
	p := newTestPKI(b, certSpec{})
	for _, version := range []string{"1", "2"} {
		b.Run("SignatureVersion"+version, func(b *testing.B) {
			e := newTestEnv(b)
			e.version = version
			var env snsEnvelope
			if err := json.Unmarshal(e.sign(b, p.leafKey), &env); err != nil {
				b.Fatal(err)
			}
			sig, err := base64.StdEncoding.DecodeString(env.Signature)
			if err != nil {
				b.Fatal(err)
			}
			msg := env.stringToSign()
			key := &p.leafKey.PublicKey
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				var err error
				if version == "1" {
					sum := sha1.Sum(msg)
					err = rsa.VerifyPKCS1v15(key, crypto.SHA1, sum[:], sig)
				} else {
					sum := sha256.Sum256(msg)
					err = rsa.VerifyPKCS1v15(key, crypto.SHA256, sum[:], sig)
				}
				if err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
