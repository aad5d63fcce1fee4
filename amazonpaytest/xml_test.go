package amazonpaytest_test

import (
	"encoding/xml"
	"io"
	"strings"
	"testing"

	"github.com/amazonpay-go/amazonpay"
	"github.com/amazonpay-go/amazonpay/amazonpaytest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// children returns the local names of the child elements of the first
// element called parent in doc, checking that every element is in the MWS
// namespace.
func children(t *testing.T, doc, parent string) []string {
	t.Helper()
	dec := xml.NewDecoder(strings.NewReader(doc))
	depth, inside := 0, -1
	var names []string
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		require.NoError(t, err)
		switch el := tok.(type) {
		case xml.StartElement:
			depth++
			assert.Equal(t, amazonpaytest.Namespace, el.Name.Space, "namespace of <%s>", el.Name.Local)
			if inside < 0 && el.Name.Local == parent {
				inside = depth
			} else if inside > 0 && depth == inside+1 {
				names = append(names, el.Name.Local)
			}
		case xml.EndElement:
			if depth == inside {
				return names
			}
			depth--
		}
	}
	t.Fatalf("no <%s> in %s", parent, doc)
	return nil
}

// inOrder asserts that got lists a subsequence of order, each name once.
func inOrder(t *testing.T, order, got []string) {
	t.Helper()
	i := 0
	for _, g := range got {
		for i < len(order) && order[i] != g {
			i++
		}
		require.Less(t, i, len(order), "element %s out of order in %v", g, got)
		i++
	}
}

func TestResponseXML(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	c := srv.AmazonPay()
	buyer := amazonpaytest.TestBuyer()
	buyer.PaymentMethod = amazonpaytest.PaymentMethodSCAPass
	id := srv.CreateOrderReference(buyer)
	_, err := c.SetOrderAttributes(ctx, &amazonpay.SetOrderAttributesInput{AmazonOrderReferenceID: id, OrderAttributes: &amazonpay.OrderAttributes{
		OrderTotal: eur("12.30"), SellerNote: `</SellerNote><Evil attr="1">&amp;`, PlatformID: "PLATFORM1",
		RequestPaymentAuthorization: amazonpay.Bool(true),
		SellerOrderAttributes: &amazonpay.SellerOrderAttributes{SellerOrderID: "o-1", StoreName: "Store & Co",
			CustomInformation: "ci", SupplementaryData: `{"a":1}`, OrderItemCategories: []string{"Books", "Toys"}},
		PaymentServiceProviderAttributes: &amazonpay.PaymentServiceProviderAttributes{PaymentServiceProviderID: "psp", PaymentServiceProviderOrderID: "psp-1"},
	}})
	require.NoError(t, err)
	_, err = c.ConfirmOrderReference(ctx, &amazonpay.ConfirmOrderReferenceInput{AmazonOrderReferenceID: id, SuccessURL: okURL, FailureURL: failURL})
	require.NoError(t, err)

	status, body := raw(t, srv, "GetOrderReferenceDetails", "AmazonOrderReferenceId", id, "AccessToken", token(t, srv, id))
	require.Equal(t, 200, status)
	assert.True(t, strings.HasPrefix(body, `<?xml version="1.0"?>`))
	assert.NotContains(t, body, `xmlns=""`)
	assert.NotContains(t, body, "<Evil", "user text is escaped")
	assert.Equal(t, []string{"GetOrderReferenceDetailsResult", "ResponseMetadata"}, children(t, body, "GetOrderReferenceDetailsResponse"))
	got := children(t, body, "OrderReferenceDetails")
	inOrder(t, []string{"AmazonOrderReferenceId", "Buyer", "OrderTotal", "SellerNote", "PlatformId", "Destination",
		"PaymentDescriptor", "BillingAddress", "ReleaseEnvironment", "SellerOrderAttributes", "OrderReferenceStatus", "Constraints",
		"CreationTimestamp", "ExpirationTimestamp", "ParentDetails", "IdList", "OrderLanguage", "RequestPaymentAuthorization",
		"PaymentServiceProviderAttributes", "PaymentReference", "PaymentAuthenticationStatus"}, got)
	assert.Contains(t, got, "PaymentDescriptor")
	assert.Contains(t, got, "PaymentAuthenticationStatus")
	assert.Equal(t, []string{"CurrencyCode", "Amount"}, children(t, body, "OrderTotal"), "OrderTotal's own order")
	inOrder(t, []string{"SellerOrderId", "StoreName", "SupplementaryData", "OrderItemCategories", "CustomInformation"},
		children(t, body, "SellerOrderAttributes"))

	var out amazonpay.GetOrderReferenceDetailsOutput
	require.NoError(t, xml.Unmarshal([]byte(body), &out))
	d := out.OrderReferenceDetails
	assert.Equal(t, `</SellerNote><Evil attr="1">&amp;`, d.SellerNote)
	assert.Equal(t, "Store & Co", d.SellerOrderAttributes.StoreName)
	assert.Equal(t, amazonpay.OrderItemCategories{"Books", "Toys"}, d.SellerOrderAttributes.OrderItemCategories)
	assert.Equal(t, "psp-1", d.PaymentServiceProviderAttributes.PaymentServiceProviderOrderID)
	assert.Equal(t, "Amazon Pay (Mastercard **5100)", d.PaymentDescriptor.FullDescriptor)
	assert.True(t, d.RequestPaymentAuthorization)
	assert.Equal(t, "PLATFORM1", d.PlatformID)

	// The authorization, capture and refund trees.
	_, err = srv.FollowConfirmationFlow(ctx, srv.SellerID(), id)
	require.NoError(t, err)
	status, body = raw(t, srv, "Authorize", "AmazonOrderReferenceId", id, "AuthorizationReferenceId", "x1",
		"AuthorizationAmount.Amount", "12.30", "AuthorizationAmount.CurrencyCode", "EUR", "TransactionTimeout", "0",
		"CaptureNow", "true", "SoftDescriptor", "Demo")
	require.Equal(t, 200, status, body)
	inOrder(t, []string{"AmazonAuthorizationId", "AuthorizationReferenceId", "AuthorizationBillingAddress", "SellerAuthorizationNote",
		"AuthorizationAmount", "CapturedAmount", "AuthorizationFee", "IdList", "CreationTimestamp", "ExpirationTimestamp",
		"AuthorizationStatus", "OrderItemCategories", "CaptureNow", "SoftDescriptor", "AddressVerificationCode", "SoftDecline"},
		children(t, body, "AuthorizationDetails"))
	assert.Equal(t, []string{"Amount", "CurrencyCode"}, children(t, body, "AuthorizationAmount"))
	var auth amazonpay.AuthorizeOutput
	require.NoError(t, xml.Unmarshal([]byte(body), &auth))
	capID := auth.AuthorizationDetails.IDList.IDs()[0]

	status, body = raw(t, srv, "GetCaptureDetails", "AmazonCaptureId", capID)
	require.Equal(t, 200, status)
	inOrder(t, []string{"AmazonCaptureId", "CaptureReferenceId", "SellerCaptureNote", "CaptureAmount", "RefundedAmount",
		"CaptureFee", "IdList", "CreationTimestamp", "CaptureStatus", "SoftDescriptor"}, children(t, body, "CaptureDetails"))

	status, body = raw(t, srv, "Refund", "AmazonCaptureId", capID, "RefundReferenceId", "rf1",
		"RefundAmount.Amount", "1", "RefundAmount.CurrencyCode", "EUR")
	require.Equal(t, 200, status, body)
	inOrder(t, []string{"AmazonRefundId", "RefundReferenceId", "SellerRefundNote", "RefundType", "RefundAmount",
		"FeeRefunded", "CreationTimestamp", "RefundStatus", "SoftDescriptor"}, children(t, body, "RefundDetails"))
	assert.Contains(t, body, "<Amount>1.00</Amount>", "amounts are normalised")

	// Operations without a payload answer an empty Result element.
	status, body = raw(t, srv, "CloseOrderReference", "AmazonOrderReferenceId", id)
	require.Equal(t, 200, status)
	assert.Equal(t, []string{"CloseOrderReferenceResult", "ResponseMetadata"}, children(t, body, "CloseOrderReferenceResponse"))
	assert.Empty(t, children(t, body, "CloseOrderReferenceResult"))
}

func TestBillingAgreementXML(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	baID := srv.CreateBillingAgreement(amazonpaytest.TestBuyer())
	status, body := raw(t, srv, "SetBillingAgreementDetails", "AmazonBillingAgreementId", baID,
		"BillingAgreementAttributes.SellerNote", "note", "BillingAgreementAttributes.PlatformId", "P1",
		"BillingAgreementAttributes.BillingAgreementType", "CustomerInitiatedTransaction",
		"BillingAgreementAttributes.SubscriptionAmount.Amount", "9.99", "BillingAgreementAttributes.SubscriptionAmount.CurrencyCode", "EUR",
		"BillingAgreementAttributes.SellerBillingAgreementAttributes.StoreName", "S")
	require.Equal(t, 200, status, body)
	inOrder(t, []string{"AmazonBillingAgreementId", "BillingAgreementLimits", "Buyer", "SellerNote", "PlatformId", "Destination",
		"BillingAddress", "ReleaseEnvironment", "SellerBillingAgreementAttributes", "BillingAgreementStatus", "Constraints",
		"CreationTimestamp", "ExpirationTimestamp", "BillingAgreementConsent", "OrderLanguage", "SubscriptionAmount", "BillingAgreementType"},
		children(t, body, "BillingAgreementDetails"))
	assert.Equal(t, []string{"AmountLimitPerTimePeriod", "TimePeriodStartDate", "TimePeriodEndDate", "CurrentRemainingBalance"},
		children(t, body, "BillingAgreementLimits"))

	status, body = raw(t, srv, "ConfirmBillingAgreement", "AmazonBillingAgreementId", baID, "SuccessUrl", okURL, "FailureUrl", failURL)
	require.Equal(t, 200, status, body)
	_, err := srv.RunConfirmationFlow(srv.SellerID(), baID)
	require.NoError(t, err)
	status, body = raw(t, srv, "ValidateBillingAgreement", "AmazonBillingAgreementId", baID)
	require.Equal(t, 200, status, body)
	assert.Equal(t, []string{"ValidationResult", "BillingAgreementStatus"}, children(t, body, "ValidateBillingAgreementResult"))
	assert.Equal(t, []string{"State", "LastUpdatedTimestamp"}, children(t, body, "BillingAgreementStatus"), "the API's spelling")

	status, body = raw(t, srv, "AuthorizeOnBillingAgreement", "AmazonBillingAgreementId", baID, "AuthorizationReferenceId", "b1",
		"AuthorizationAmount.Amount", "9.99", "AuthorizationAmount.CurrencyCode", "EUR", "TransactionTimeout", "0")
	require.Equal(t, 200, status, body)
	assert.Equal(t, []string{"AuthorizationDetails", "AmazonOrderReferenceId"}, children(t, body, "AuthorizeOnBillingAgreementResult"))

	status, body = raw(t, srv, "GetServiceStatus")
	require.Equal(t, 200, status)
	assert.Equal(t, []string{"Status", "Timestamp"}, children(t, body, "GetServiceStatusResult"))
	srv.SetServiceStatus("YELLOW")
	_, body = raw(t, srv, "GetServiceStatus")
	assert.Contains(t, body, "<Status>YELLOW</Status>")
}
