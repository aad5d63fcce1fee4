package main

import "github.com/amazonpay-go/amazonpay/amazonpaytest"

// keepOption is how --keep reaches the sandbox: the request log and the
// deliveries kept as a ring of n. It returns nil until amazonpaytest has
// WithKeep (being added on another branch); at the merge this becomes
//
//	return []amazonpaytest.Option{amazonpaytest.WithKeep(n)}
//
// for n > 0 (0 keeps the package's default).
func keepOption(n int) []amazonpaytest.Option {
	_ = n
	return nil
}
