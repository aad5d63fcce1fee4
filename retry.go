package amazonpay

import (
	"context"
	"errors"
	"io"
	"math"
	"math/rand/v2"
	"net"
	"net/url"
	"syscall"
	"time"
)

// RetryPolicy says how a call is retried after a failed attempt.
//
// A call is retried when MWS answers 500 or 503 (InternalServerError,
// ServiceUnavailable, RequestThrottled), when a gateway answers 502 or 504
// without an MWS body, and when no response arrived at all (connection
// refused or reset, a timeout, a truncated body). It is never retried after
// the caller's context ends, nor after any other MWS error.
//
// Why retrying is safe: every attempt is re-signed with a fresh Timestamp
// but carries the same parameters. The calls that move money (Authorize,
// Capture, Refund, AuthorizeOnBillingAgreement, ReverseProviderCredit) carry
// the caller's reference id, and MWS answers a repeated reference id with
// unchanged parameters with the original result instead of acting twice.
// Most other calls read state or set it to a value, which is the same done
// once or twice. CreateOrderReferenceForId is the exception: each call
// creates another order reference, and nothing lets MWS recognise a repeat.
// It is therefore retried only after a 500 or 503 answer (as every official
// SDK retries them) or when the connection could not be opened, never
// after a failure that leaves open whether MWS acted (a lost or truncated
// reply, a gateway's 502 or 504): look at the billing agreement before
// calling it again.
//
// A retry never turns a success into a failure. CloseAuthorization,
// CloseOrderReference, CancelOrderReference and CloseBillingAgreement,
// retried after an attempt that MWS may have carried out, meet an object
// already closed or canceled, and MWS refuses them (InvalidAuthorizationStatus,
// InvalidOrderReferenceStatus, InvalidBillingAgreementStatus). The client
// then reads the object with the matching Get: if it is in the operation's
// target state, the call returns success (with an empty RequestID, since the
// reply that carried it was lost); otherwise MWS's refusal.
type RetryPolicy struct {
	// MaxRetries is the number of retries after the first attempt; 0 turns
	// retrying off.
	MaxRetries int
	// BaseDelay is the wait before the first retry. Each later wait is four
	// times longer, up to MaxDelay: 1 s, 4 s, 10 s by default, as the official
	// SDKs wait.
	BaseDelay time.Duration
	// MaxDelay caps a single wait; 0 means no cap.
	MaxDelay time.Duration
	// NoJitter turns off the randomisation of waits. With jitter (the
	// default) a wait is drawn uniformly from [d/2, d], so that many clients
	// throttled together do not retry in step.
	NoJitter bool
}

// DefaultRetryPolicy returns the policy a client uses unless told
// otherwise: 3 retries after 1 s, 4 s and 10 s, with jitter.
func DefaultRetryPolicy() RetryPolicy {
	return RetryPolicy{MaxRetries: 3, BaseDelay: time.Second, MaxDelay: 10 * time.Second}
}

// delay returns the wait before retry n (1-based).
func (p RetryPolicy) delay(n int) time.Duration {
	d := p.BaseDelay
	for i := 1; i < n && d > 0; i++ {
		if p.MaxDelay > 0 && d >= p.MaxDelay {
			break
		}
		if d > math.MaxInt64/4 {
			d = math.MaxInt64
			break
		}
		d *= 4
	}
	if p.MaxDelay > 0 && d > p.MaxDelay {
		d = p.MaxDelay
	}
	if !p.NoJitter && d > 1 {
		d = d/2 + rand.N(d/2+1)
	}
	return d
}

// unrepeatable is implemented by the inputs of operations that must not be
// sent again after an attempt MWS may have carried out: each call creates
// a new object, and no reference id lets MWS recognise a repeat.
type unrepeatable interface {
	unrepeatable()
}

// retryable reports whether the outcome of an attempt is worth another
// one; repeatable is false for an unrepeatable operation.
func retryable(repeatable bool, err error) bool {
	if err == nil {
		return false
	}
	var apiErr *APIError
	if errors.As(err, &apiErr) {
		return apiErr.Temporary()
	}
	var unexpected *UnexpectedResponseError
	if errors.As(err, &unexpected) {
		switch unexpected.StatusCode {
		case 500, 503:
			return true
		case 502, 504:
			// A gateway's answer: MWS may have acted behind it.
			return repeatable
		}
		return false
	}
	// No response at all: the connection failed, an attempt timed out, or
	// the caller's context ended (then the wait before the retry ends the
	// call at once). Only a connection that was never opened proves that
	// the request did not reach MWS.
	var reqErr *RequestError
	if !errors.As(err, &reqErr) || !networkFailure(err) {
		return false
	}
	return repeatable || notSent(err)
}

// networkFailure reports whether err is a failure of the network or the
// server's connection, which another attempt may not meet. Any other error
// of a transport (httpmock's "no responder found" for a URL a test got
// wrong, a custom RoundTripper's own refusal) would fail again the same way.
func networkFailure(err error) bool {
	// *url.Error, which wraps every error of http.Client.Do, is a net.Error
	// itself: look at what it wraps.
	var urlErr *url.Error
	if errors.As(err, &urlErr) {
		err = urlErr.Err
	}
	var netErr net.Error
	return errors.As(err, &netErr) || errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF) ||
		errors.Is(err, syscall.ECONNRESET) || errors.Is(err, syscall.ECONNREFUSED) || errors.Is(err, syscall.EPIPE)
}

// mayHaveActed reports whether MWS may have carried out an attempt that
// failed with err: anything but a connection never opened, or MWS's own
// refusal before acting (throttled, unavailable, any other ErrorResponse).
func mayHaveActed(err error) bool {
	var apiErr *APIError
	if errors.As(err, &apiErr) {
		return apiErr.Code == ErrorInternalServerError
	}
	return !notSent(err)
}

// settling is implemented by the inputs of operations that move an object
// into a final state (close, cancel). Retried after an attempt whose reply
// was lost, such an operation meets the object already in that state, and
// MWS refuses it with settledCode; settled then asks MWS for the object's
// state, and if it is the operation's target state the call succeeded.
type settling interface {
	settledCode() ErrorCode
	settled(ctx context.Context, c *Client, opts []CallOption) (bool, error)
}

// notSent reports whether err shows that the request never left the
// client: the connection to the server (or its proxy) could not be opened.
func notSent(err error) bool {
	var opErr *net.OpError
	return errors.As(err, &opErr) && (opErr.Op == "dial" || opErr.Op == "proxyconnect")
}

// sleepCtx waits for d or until ctx is done, whichever comes first.
func sleepCtx(ctx context.Context, d time.Duration) error {
	if err := ctx.Err(); err != nil || d <= 0 {
		return err
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}
