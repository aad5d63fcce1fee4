package main

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/amazonpay-go/amazonpay"
	"github.com/amazonpay-go/amazonpay/amazonpaytest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func noEnv(string) string { return "" }

func TestSandboxTranscript(t *testing.T) {
	var out bytes.Buffer
	require.NoError(t, run(context.Background(), &out, nil, noEnv))
	text := out.String()
	for _, want := range []string{
		"== (a) One-time purchase with Strong Customer Authentication",
		"ParseConfirmationRedirect(AuthenticationStatus=Success): Success -> Proceed",
		": Completed, 42.50 EUR",
		"ParseConfirmationRedirect(AuthenticationStatus=Failure): Failure -> CancelAndReturnToCart",
		"buyer message (de): Beim Zahlungsvorgang ist ein Problem aufgetreten. Ihre Bestellung wurde nicht aufgegeben und Ihr Konto nicht belastet.",
		": Canceled (SellerCanceled)",
		"ParseConfirmationRedirect(AuthenticationStatus=Abandoned): Abandoned -> ChooseAnotherPaymentMethod",
		"buyer message (en): Something's wrong with your payment method. To place your order, try another.",
		": Suspended (PaymentAuthorizationRequired)",
		": Completed, 19.99 EUR",
		"SetBillingAgreementDetails: Draft, MerchantInitiatedTransaction, 9.99 EUR a month",
		"ValidateBillingAgreement: Success, Open",
		"Closed (MaxCapturesProcessed)",
		"3 authorizations, 3 captures, 0 refunds",
	} {
		assert.Contains(t, text, want)
	}
	// The steps come in the order of the flow.
	order := []string{"SetOrderReferenceDetails", "SetOrderAttributes", "ConfirmOrderReference", "Confirmation Flow", "ParseConfirmationRedirect", "Authorize", "Capture"}
	last := -1
	for _, step := range order {
		i := strings.Index(text, ". "+step)
		require.Greater(t, i, last, step)
		last = i
	}
}

func TestFlagErrors(t *testing.T) {
	var out bytes.Buffer
	assert.Error(t, run(context.Background(), &out, []string{"-bogus"}, noEnv))
	assert.Error(t, run(context.Background(), &out, []string{"extra"}, noEnv))
	err := run(context.Background(), &out, []string{"-order-reference", "S02-1234567-1234567"}, noEnv)
	assert.ErrorContains(t, err, "AMAZON_PAY_REGION")
	env := map[string]string{"AMAZON_PAY_REGION": "uk"}
	err = run(context.Background(), &out, []string{"-order-reference", "S02-1234567-1234567"}, func(k string) string { return env[k] })
	var ve *amazonpay.ValidationError
	require.True(t, errors.As(err, &ve), "%v", err)
	assert.Equal(t, "SellerID", ve.Field)
}

// liveAgainst runs the live steps against a sandbox, playing the buyer's
// browser: once the shop has confirmed, it visits the Confirmation Flow and
// follows the redirect to the shop's local return handler.
func liveAgainst(t *testing.T, method amazonpaytest.PaymentMethod) (string, *amazonpaytest.Server, error) {
	srv := amazonpaytest.NewServer()
	t.Cleanup(srv.Close)
	c := srv.AmazonPay()
	buyer := amazonpaytest.TestBuyer()
	buyer.PaymentMethod = method
	id := srv.CreateOrderReference(buyer)

	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		deadline := time.Now().Add(10 * time.Second)
		for len(srv.RequestsFor("ConfirmOrderReference")) == 0 {
			if time.Now().After(deadline) {
				return
			}
			time.Sleep(5 * time.Millisecond)
		}
		back, err := srv.FollowConfirmationFlow(context.Background(), srv.SellerID(), id)
		if !assert.NoError(t, err) {
			return
		}
		// The buyer's browser gets the shop's page, whatever the outcome.
		resp, err := http.Get(back.String())
		if assert.NoError(t, err) {
			page, err := io.ReadAll(resp.Body)
			resp.Body.Close()
			assert.NoError(t, err)
			assert.Equal(t, http.StatusOK, resp.StatusCode)
			assert.Equal(t, "Thank you, you can close this window.\n", string(page))
		}
	}()
	var out bytes.Buffer
	err := runLive(context.Background(), &transcript{w: &out}, c, liveOptions{
		orderReferenceID: id, amount: "12.00", listen: "127.0.0.1:0", wait: 10 * time.Second})
	wg.Wait()
	return out.String(), srv, err
}

func TestLiveStepsAgainstSandbox(t *testing.T) {
	text, srv, err := liveAgainst(t, amazonpaytest.PaymentMethodSCAPass)
	require.NoError(t, err, text)
	assert.Contains(t, text, "GetOrderReferenceDetails S02-")
	assert.Contains(t, text, "/amazon/ok?AuthenticationStatus=Success")
	assert.Contains(t, text, ": Completed, 12.00 EUR")
	assert.Equal(t, amazonpaytest.MoneyMovements{Authorizations: 1, Captures: 1}, srv.MoneyMovements())
}

func TestLiveStepsBuyerFails(t *testing.T) {
	text, srv, err := liveAgainst(t, amazonpaytest.PaymentMethodSCAFail)
	assert.ErrorIs(t, err, errNotCompleted)
	assert.Contains(t, text, "Failure -> CancelAndReturnToCart")
	assert.Equal(t, amazonpaytest.MoneyMovements{}, srv.MoneyMovements(), "nothing charged")
}

func TestLiveStepsRefuseNonDraft(t *testing.T) {
	srv := amazonpaytest.NewServer()
	defer srv.Close()
	var out bytes.Buffer
	err := runLive(context.Background(), &transcript{w: &out}, srv.AmazonPay(), liveOptions{
		orderReferenceID: "S02-0000000-0000000", amount: "1.00", listen: "127.0.0.1:0", wait: time.Second})
	var apiErr *amazonpay.APIError
	require.True(t, errors.As(err, &apiErr), "%v", err)
	assert.Equal(t, amazonpay.ErrorInvalidOrderReferenceID, apiErr.Code)
}
