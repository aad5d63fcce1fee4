package amazonpay

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestAuthorize(t *testing.T) {
	t.Parallel()
	c, mt := newTestClient(t)
	rec := respond(t, mt, 200, "AuthorizeResponse.xml")

	out, err := c.Authorize(context.Background(), &AuthorizeInput{
		AmazonOrderReferenceID:   "S02-1234567-7654321",
		AuthorizationReferenceID: "auth-1001-1",
		AuthorizationAmount:      &Price{Amount: "42.50"},
		SellerAuthorizationNote:  "Order 1001",
		TransactionTimeout:       Int(0),
		CaptureNow:               Bool(true),
		SoftDescriptor:           "Demo Shop",
		ProviderCreditList: ProviderCreditList{
			{ProviderID: "A2PROVIDER", CreditAmount: &Price{Amount: "1.00"}},
			{ProviderID: "A3PROVIDER", CreditAmount: &Price{Amount: "0.50", CurrencyCode: "EUR"}},
		},
	})
	require.NoError(t, err)
	form := assertRequest(t, rec, "Authorize")
	assert.Equal(t, "S02-1234567-7654321", form.Get("AmazonOrderReferenceId"))
	assert.Equal(t, "auth-1001-1", form.Get("AuthorizationReferenceId"))
	assert.Equal(t, "42.50", form.Get("AuthorizationAmount.Amount"))
	assert.Equal(t, "EUR", form.Get("AuthorizationAmount.CurrencyCode"))
	assert.Equal(t, "0", form.Get("TransactionTimeout"), "0 (synchronous) is sent when set")
	assert.Equal(t, "true", form.Get("CaptureNow"))
	assert.Equal(t, "Demo Shop", form.Get("SoftDescriptor"))
	assert.Equal(t, "A2PROVIDER", form.Get("ProviderCreditList.member.1.ProviderId"))
	assert.Equal(t, "1.00", form.Get("ProviderCreditList.member.1.CreditAmount.Amount"))
	assert.Equal(t, "EUR", form.Get("ProviderCreditList.member.1.CreditAmount.CurrencyCode"), "credit currency from the config")
	assert.Equal(t, "A3PROVIDER", form.Get("ProviderCreditList.member.2.ProviderId"))
	assert.Equal(t, "0.50", form.Get("ProviderCreditList.member.2.CreditAmount.Amount"))

	assert.Equal(t, "adabc99d-8351-48dc-acef-1bc049215f55", out.RequestID)
	d := out.AuthorizationDetails
	assert.Equal(t, "S02-1234567-7654321-A000001", d.AmazonAuthorizationID)
	assert.Equal(t, "auth-1001-1", d.AuthorizationReferenceID)
	assert.Equal(t, Status[AuthorizationState]{State: AuthorizationClosed, ReasonCode: ReasonMaxCapturesProcessed,
		LastUpdateTimestamp: time.Date(2026, 11, 22, 10, 0, 3, 456e6, time.UTC)}, d.AuthorizationStatus)
	assert.Equal(t, Price{Amount: "42.50", CurrencyCode: "EUR"}, d.AuthorizationAmount)
	assert.Equal(t, Price{Amount: "0", CurrencyCode: "EUR"}, d.CapturedAmount)
	assert.Equal(t, Price{Amount: "0.00", CurrencyCode: "EUR"}, d.AuthorizationFee)
	assert.Equal(t, []string{"S02-1234567-7654321-C000001"}, d.IDList.IDs(), "the capture of CaptureNow")
	assert.True(t, d.CaptureNow)
	assert.Equal(t, "AMZ*Demo Shop", d.SoftDescriptor)
	assert.Equal(t, "Order 1001", d.SellerAuthorizationNote)
	assert.Equal(t, time.Date(2026, 11, 22, 10, 0, 1, 0, time.UTC), d.CreationTimestamp)
	assert.Equal(t, time.Date(2026, 12, 22, 10, 0, 1, 0, time.UTC), d.ExpirationTimestamp)
	assert.False(t, d.SoftDecline)
	assert.Nil(t, d.AuthorizationBillingAddress)
}

// TransactionTimeout 0 and CaptureNow false are sent when set; nothing is
// sent when they are nil (no SDK-style defaults such as 1440).
func TestAuthorizeOptionalScalars(t *testing.T) {
	t.Parallel()
	c, mt := newTestClient(t)
	rec := respond(t, mt, 200, "AuthorizeResponse.xml")
	ctx := context.Background()
	in := func() *AuthorizeInput {
		return &AuthorizeInput{AmazonOrderReferenceID: "S02-1234567-7654321", AuthorizationReferenceID: "auth-1001-1",
			AuthorizationAmount: &Price{Amount: "42.50", CurrencyCode: "EUR"}}
	}

	_, err := c.Authorize(ctx, in())
	require.NoError(t, err)
	assert.Equal(t, withCommonKeys("AmazonOrderReferenceId", "AuthorizationAmount.Amount", "AuthorizationAmount.CurrencyCode",
		"AuthorizationReferenceId"), formKeys(rec.body(0)))

	withFlags := in()
	withFlags.TransactionTimeout, withFlags.CaptureNow = Int(0), Bool(false)
	_, err = c.Authorize(ctx, withFlags)
	require.NoError(t, err)
	form := rec.form(t, 1)
	assert.Equal(t, "0", form.Get("TransactionTimeout"))
	assert.Equal(t, "false", form.Get("CaptureNow"))

	withFlags.TransactionTimeout = Int(1440)
	_, err = c.Authorize(ctx, withFlags)
	require.NoError(t, err)
	assert.Equal(t, "1440", rec.form(t, 2).Get("TransactionTimeout"))
}

func TestAuthorizeSoftDecline(t *testing.T) {
	t.Parallel()
	c, mt := newTestClient(t)
	respond(t, mt, 200, "AuthorizeDeclinedResponse.xml")

	out, err := c.Authorize(context.Background(), &AuthorizeInput{AmazonOrderReferenceID: "S02-1234567-7654321",
		AuthorizationReferenceID: "auth-1001-2", AuthorizationAmount: &Price{Amount: "42.50"}, TransactionTimeout: Int(0)})
	require.NoError(t, err, "a decline is a result, not an error")
	d := out.AuthorizationDetails
	assert.Equal(t, AuthorizationDeclined, d.AuthorizationStatus.State)
	assert.Equal(t, ReasonInvalidPaymentMethod, d.AuthorizationStatus.ReasonCode)
	assert.True(t, d.SoftDecline)
	assert.False(t, d.CaptureNow)
	assert.Empty(t, d.SellerAuthorizationNote)
	assert.Empty(t, d.IDList.IDs())
	assert.Equal(t, time.Date(2026, 11, 22, 10, 0, 2, 0, time.UTC), d.AuthorizationStatus.LastUpdateTimestamp)
}

func TestGetAuthorizationDetails(t *testing.T) {
	t.Parallel()
	c, mt := newTestClient(t)
	rec := respond(t, mt, 200, "GetAuthorizationDetailsResponse.xml")

	out, err := c.GetAuthorizationDetails(context.Background(), &GetAuthorizationDetailsInput{AmazonAuthorizationID: "S02-1234567-7654321-A000001"})
	require.NoError(t, err)
	assertRequest(t, rec, "GetAuthorizationDetails")
	assert.Equal(t, withCommonKeys("AmazonAuthorizationId"), formKeys(rec.body(0)))

	assert.Equal(t, "6173ac5a-8915-4541-922f-f9e104930731", out.RequestID)
	d := out.AuthorizationDetails
	assert.Equal(t, AuthorizationOpen, d.AuthorizationStatus.State)
	assert.Empty(t, d.AuthorizationStatus.ReasonCode)
	assert.Equal(t, &Address{Name: "Test Buyer", AddressLine1: "Rechnungsweg 7", City: "Hamburg", PostalCode: "20095", CountryCode: "DE"},
		d.AuthorizationBillingAddress)
	assert.Equal(t, "Y", d.AddressVerificationCode)
	assert.Empty(t, d.OrderItemCategories)
	assert.Empty(t, d.IDList.IDs())
	assert.Equal(t, Price{Amount: "0", CurrencyCode: "EUR"}, d.CapturedAmount)
	assert.Equal(t, time.Date(2026, 11, 22, 10, 0, 30, 0, time.UTC), d.AuthorizationStatus.LastUpdateTimestamp)
}

func TestCloseAuthorization(t *testing.T) {
	t.Parallel()
	c, mt := newTestClient(t)
	rec := respond(t, mt, 200, "CloseAuthorizationResponse.xml")

	out, err := c.CloseAuthorization(context.Background(), &CloseAuthorizationInput{
		AmazonAuthorizationID: "S02-1234567-7654321-A000001",
		ClosureReason:         "Item no longer available",
	})
	require.NoError(t, err)
	assert.Equal(t, "a3e0a2e6-0000-4000-8000-000000000020", out.RequestID)
	form := assertRequest(t, rec, "CloseAuthorization")
	assert.Equal(t, "Item no longer available", form.Get("ClosureReason"))
	assert.Equal(t, withCommonKeys("AmazonAuthorizationId", "ClosureReason"), formKeys(rec.body(0)))
}

func TestCapture(t *testing.T) {
	t.Parallel()
	c, mt := newTestClient(t)
	rec := respond(t, mt, 200, "CaptureResponse.xml")

	out, err := c.Capture(context.Background(), &CaptureInput{
		AmazonAuthorizationID: "S02-1234567-7654321-A000001",
		CaptureReferenceID:    "cap-1001-1",
		CaptureAmount:         &Price{Amount: "42.50", CurrencyCode: "EUR"},
		SellerCaptureNote:     "Shipped",
		SoftDescriptor:        "Demo Shop",
		ProviderCreditList:    ProviderCreditList{{ProviderID: "A2PROVIDER", CreditAmount: &Price{Amount: "1.00", CurrencyCode: "EUR"}}},
	})
	require.NoError(t, err)
	form := assertRequest(t, rec, "Capture")
	assert.Equal(t, withCommonKeys("AmazonAuthorizationId", "CaptureAmount.Amount", "CaptureAmount.CurrencyCode", "CaptureReferenceId",
		"ProviderCreditList.member.1.CreditAmount.Amount", "ProviderCreditList.member.1.CreditAmount.CurrencyCode",
		"ProviderCreditList.member.1.ProviderId", "SellerCaptureNote", "SoftDescriptor"), formKeys(rec.body(0)))
	assert.Equal(t, "cap-1001-1", form.Get("CaptureReferenceId"))
	assert.Equal(t, "Shipped", form.Get("SellerCaptureNote"))

	assert.Equal(t, "b4f1c3d5-0000-4000-8000-000000000030", out.RequestID)
	d := out.CaptureDetails
	assert.Equal(t, "S02-1234567-7654321-C000001", d.AmazonCaptureID)
	assert.Equal(t, CaptureCompleted, d.CaptureStatus.State)
	assert.Equal(t, time.Date(2026, 11, 22, 10, 5, 0, 0, time.UTC), d.CaptureStatus.LastUpdateTimestamp)
	assert.Equal(t, Price{Amount: "42.50", CurrencyCode: "EUR"}, d.CaptureAmount)
	assert.Equal(t, Price{Amount: "0", CurrencyCode: "EUR"}, d.RefundedAmount)
	assert.Equal(t, []ProviderCreditSummary{{ProviderID: "A2PROVIDER", ProviderCreditID: "S02-1234567-7654321-P000001"}}, d.ProviderCreditSummaryList)
	assert.Nil(t, d.ConvertedAmount)
	assert.Empty(t, d.ConversionRate)
}

func TestCaptureInvalidAuthorizationStatus(t *testing.T) {
	t.Parallel()
	c, mt := newTestClient(t)
	rec := respond(t, mt, http.StatusMethodNotAllowed, "CaptureInvalidAuthorizationStatusError.xml")

	out, err := c.Capture(context.Background(), &CaptureInput{AmazonAuthorizationID: "S02-1234567-7654321-A000001",
		CaptureReferenceID: "cap-1001-2", CaptureAmount: &Price{Amount: "42.50"}})
	assert.Nil(t, out)
	apiErr := requireAPIError(t, err, rec, 405, ErrorInvalidAuthorizationStatus)
	assert.Equal(t, "Capture", apiErr.Operation)
	assert.Equal(t, "d6b3e5f7-0000-4000-8000-000000000405", apiErr.RequestID)
	assert.Equal(t, "Authorization S02-1234567-7654321-A000001 is in Closed state and cannot be captured.", apiErr.Message)
}

func TestGetCaptureDetails(t *testing.T) {
	t.Parallel()
	c, mt := newTestClient(t)
	rec := respondSeq(mt, fixtureResponder(t, 200, "GetCaptureDetailsResponse.xml"),
		fixtureResponder(t, 200, "GetCaptureDetailsMulticurrencyResponse.xml"))
	ctx := context.Background()

	out, err := c.GetCaptureDetails(ctx, &GetCaptureDetailsInput{AmazonCaptureID: "S02-1234567-7654321-C000001"})
	require.NoError(t, err)
	assertRequest(t, rec, "GetCaptureDetails")
	assert.Equal(t, withCommonKeys("AmazonCaptureId"), formKeys(rec.body(0)))
	d := out.CaptureDetails
	assert.Equal(t, "b4f1c3d5-0000-4000-8000-000000000031", out.RequestID)
	assert.Equal(t, "S02-1234567-7654321-C000001", d.AmazonCaptureID)
	assert.Equal(t, "cap-1001-1", d.CaptureReferenceID)
	assert.Equal(t, CaptureCompleted, d.CaptureStatus.State)
	assert.Equal(t, []string{"S02-1234567-7654321-R000001"}, d.IDList.IDs())
	assert.Equal(t, Price{Amount: "10.00", CurrencyCode: "EUR"}, d.RefundedAmount)
	assert.Equal(t, Price{Amount: "1.23", CurrencyCode: "EUR"}, d.CaptureFee)
	assert.Empty(t, d.SellerCaptureNote)
	assert.Empty(t, d.ProviderCreditSummaryList)
	assert.Equal(t, time.Date(2026, 11, 23, 8, 0, 0, 0, time.UTC), d.CaptureStatus.LastUpdateTimestamp)

	out, err = c.GetCaptureDetails(ctx, &GetCaptureDetailsInput{AmazonCaptureID: "S02-7423235-4925359-C052508"})
	require.NoError(t, err)
	d = out.CaptureDetails
	assert.Equal(t, "a17ee562-9a97-4b22-8487-20e8e7230639", out.RequestID)
	assert.Equal(t, Price{Amount: "0.99", CurrencyCode: "CHF"}, d.CaptureAmount, "presentment currency")
	assert.Equal(t, &Price{Amount: "0.88", CurrencyCode: "EUR"}, d.ConvertedAmount, "ledger currency")
	assert.Equal(t, "1.1297854087", d.ConversionRate, "the rate stays decimal text")
	assert.Equal(t, time.Date(2026, 11, 22, 22, 7, 18, 931e6, time.UTC), d.CreationTimestamp)
}

func TestRefund(t *testing.T) {
	t.Parallel()
	c, mt := newTestClient(t)
	rec := respond(t, mt, 200, "RefundResponse.xml")

	out, err := c.Refund(context.Background(), &RefundInput{
		AmazonCaptureID:   "S02-1234567-7654321-C000001",
		RefundReferenceID: "ref-1001-1",
		RefundAmount:      &Price{Amount: "10.00"},
		SellerRefundNote:  "Returned item",
		SoftDescriptor:    "Demo Shop",
		ProviderCreditReversalList: ProviderCreditReversalList{
			{ProviderID: "A2PROVIDER", CreditReversalAmount: &Price{Amount: "0.50"}},
		},
	})
	require.NoError(t, err)
	form := assertRequest(t, rec, "Refund")
	assert.Equal(t, "S02-1234567-7654321-C000001", form.Get("AmazonCaptureId"))
	assert.Equal(t, "10.00", form.Get("RefundAmount.Amount"))
	assert.Equal(t, "EUR", form.Get("RefundAmount.CurrencyCode"))
	assert.Equal(t, "A2PROVIDER", form.Get("ProviderCreditReversalList.member.1.ProviderId"))
	assert.Equal(t, "0.50", form.Get("ProviderCreditReversalList.member.1.CreditReversalAmount.Amount"))
	assert.Equal(t, "EUR", form.Get("ProviderCreditReversalList.member.1.CreditReversalAmount.CurrencyCode"))
	assert.NotContains(t, form, "ProviderCreditList.member.1.ProviderId")

	assert.Equal(t, "c5a2d4e6-0000-4000-8000-000000000040", out.RequestID)
	d := out.RefundDetails
	assert.Equal(t, "S02-1234567-7654321-R000001", d.AmazonRefundID)
	assert.Equal(t, "ref-1001-1", d.RefundReferenceID)
	assert.Equal(t, RefundTypeSellerInitiated, d.RefundType)
	assert.Equal(t, RefundPending, d.RefundStatus.State, "Refund always answers Pending")
	assert.Equal(t, Price{Amount: "10.00", CurrencyCode: "EUR"}, d.RefundAmount)
	assert.Equal(t, Price{Amount: "0.00", CurrencyCode: "EUR"}, d.FeeRefunded)
	assert.Equal(t, "Returned item", d.SellerRefundNote)
	assert.Equal(t, []ProviderCreditReversalSummary{{ProviderID: "A2PROVIDER", ProviderCreditReversalID: "S02-1234567-7654321-Q000001"}},
		d.ProviderCreditReversalSummaryList)
	assert.Equal(t, time.Date(2026, 11, 23, 7, 0, 0, 0, time.UTC), d.CreationTimestamp)
}

func TestGetRefundDetails(t *testing.T) {
	t.Parallel()
	c, mt := newTestClient(t)
	rec := respond(t, mt, 200, "GetRefundDetailsResponse.xml")

	out, err := c.GetRefundDetails(context.Background(), &GetRefundDetailsInput{AmazonRefundID: "S02-1234567-7654321-R000001"})
	require.NoError(t, err)
	assertRequest(t, rec, "GetRefundDetails")
	assert.Equal(t, withCommonKeys("AmazonRefundId"), formKeys(rec.body(0)))

	assert.Equal(t, "c5a2d4e6-0000-4000-8000-000000000041", out.RequestID)
	d := out.RefundDetails
	assert.Equal(t, RefundCompleted, d.RefundStatus.State)
	assert.Equal(t, time.Date(2026, 11, 23, 9, 30, 0, 0, time.UTC), d.RefundStatus.LastUpdateTimestamp)
	assert.Equal(t, Price{Amount: "0.29", CurrencyCode: "EUR"}, d.FeeRefunded)
	assert.Equal(t, &Price{Amount: "10.00", CurrencyCode: "EUR"}, d.ConvertedAmount)
	assert.Equal(t, "1.0", d.ConversionRate)
	assert.Equal(t, RefundTypeSellerInitiated, d.RefundType)
}

// Values the package has no constant for parse as they are.
func TestPaymentsUnknownEnumValues(t *testing.T) {
	t.Parallel()
	c, mt := newTestClient(t)
	mt.RegisterResponder(http.MethodPost, testEndpoint, httpmock.NewStringResponder(200, `<GetRefundDetailsResponse>
  <GetRefundDetailsResult><RefundDetails>
    <AmazonRefundId>S02-1234567-7654321-R000002</AmazonRefundId>
    <RefundType>AmazonA-ZGuarantee</RefundType>
    <RefundStatus><State>OnHold</State><ReasonCode>SomethingNew</ReasonCode><ReasonDescription>new</ReasonDescription></RefundStatus>
  </RefundDetails></GetRefundDetailsResult>
  <ResponseMetadata><RequestId>c5a2d4e6-0000-4000-8000-000000000042</RequestId></ResponseMetadata>
</GetRefundDetailsResponse>`))
	out, err := c.GetRefundDetails(context.Background(), &GetRefundDetailsInput{AmazonRefundID: "S02-1234567-7654321-R000002"})
	require.NoError(t, err)
	d := out.RefundDetails
	assert.Equal(t, RefundTypeAmazonAZGuarantee, d.RefundType)
	assert.Equal(t, RefundState("OnHold"), d.RefundStatus.State)
	assert.Equal(t, ReasonCode("SomethingNew"), d.RefundStatus.ReasonCode)
	assert.Equal(t, "new", d.RefundStatus.ReasonDescription)
	assert.True(t, d.RefundStatus.LastUpdateTimestamp.IsZero())
}

func TestGetProviderCreditDetails(t *testing.T) {
	t.Parallel()
	c, mt := newTestClient(t)
	rec := respondSeq(mt, fixtureResponder(t, 200, "GetProviderCreditDetailsResponse.xml"),
		fixtureResponder(t, 200, "GetProviderCreditDetailsIdResponse.xml"))
	ctx := context.Background()

	out, err := c.GetProviderCreditDetails(ctx, &GetProviderCreditDetailsInput{AmazonProviderCreditID: "S02-1234567-7654321-P000001"})
	require.NoError(t, err)
	assertRequest(t, rec, "GetProviderCreditDetails")
	assert.Equal(t, withCommonKeys("AmazonProviderCreditId"), formKeys(rec.body(0)))

	assert.Equal(t, "21162350-7135-46ae-aa20-68d5361cef17", out.RequestID)
	d := out.ProviderCreditDetails
	assert.Equal(t, ProviderCreditDetails{
		AmazonProviderCreditID: "S02-1234567-7654321-P000001",
		SellerID:               "A1SELLERTEST",
		ProviderID:             "A2PROVIDER",
		CreditReferenceID:      "credit-1001-1",
		CreditAmount:           Price{Amount: "1.00", CurrencyCode: "EUR"},
		CreditReversalAmount:   Price{Amount: "1.00", CurrencyCode: "EUR"},
		CreditReversalIDList:   IDList{Member: []string{"S02-1234567-7654321-Q000001", "S02-1234567-7654321-Q000002"}},
		CreationTimestamp:      time.Date(2026, 11, 22, 10, 5, 0, 996e6, time.UTC),
		CreditStatus: Status[ProviderCreditState]{State: ProviderCreditClosed, ReasonCode: ReasonMaxAmountReversed,
			LastUpdateTimestamp: time.Date(2026, 11, 24, 23, 26, 46, 945e6, time.UTC)},
	}, d)

	// The id list may also come as <Id> children.
	out, err = c.GetProviderCreditDetails(ctx, &GetProviderCreditDetailsInput{AmazonProviderCreditID: "S02-1234567-7654321-P000003"})
	require.NoError(t, err)
	assert.Equal(t, []string{"S02-1234567-7654321-Q000003"}, out.ProviderCreditDetails.CreditReversalIDList.IDs())
	assert.Equal(t, ProviderCreditCompleted, out.ProviderCreditDetails.CreditStatus.State)
}

func TestGetProviderCreditReversalDetails(t *testing.T) {
	t.Parallel()
	c, mt := newTestClient(t)
	rec := respond(t, mt, 200, "GetProviderCreditReversalDetailsResponse.xml")

	out, err := c.GetProviderCreditReversalDetails(context.Background(), &GetProviderCreditReversalDetailsInput{
		AmazonProviderCreditReversalID: "S02-1234567-7654321-Q000001",
	})
	require.NoError(t, err)
	assertRequest(t, rec, "GetProviderCreditReversalDetails")
	assert.Equal(t, withCommonKeys("AmazonProviderCreditReversalId"), formKeys(rec.body(0)))

	assert.Equal(t, "10a7736b-bb9b-447c-9be1-4f5e76166e48", out.RequestID)
	d := out.ProviderCreditReversalDetails
	assert.Equal(t, "S02-1234567-7654321-Q000001", d.AmazonProviderCreditReversalID)
	assert.Equal(t, "reversal-1001-1", d.CreditReversalReferenceID)
	assert.Equal(t, "A2PROVIDER", d.ProviderID)
	assert.Equal(t, "A1SELLERTEST", d.SellerID)
	assert.Equal(t, Price{Amount: "0.50", CurrencyCode: "EUR"}, d.CreditReversalAmount)
	assert.Equal(t, ProviderCreditCompleted, d.CreditReversalStatus.State)
	assert.Equal(t, time.Date(2026, 11, 24, 23, 26, 40, 100e6, time.UTC), d.CreationTimestamp)
}

func TestReverseProviderCredit(t *testing.T) {
	t.Parallel()
	c, mt := newTestClient(t)
	rec := respond(t, mt, 200, "ReverseProviderCreditResponse.xml")

	out, err := c.ReverseProviderCredit(context.Background(), &ReverseProviderCreditInput{
		AmazonProviderCreditID:    "S02-1234567-7654321-P000001",
		CreditReversalReferenceID: "reversal-1001-2",
		CreditReversalAmount:      &Price{Amount: "0.50"},
		CreditReversalNote:        "Goodwill",
	})
	require.NoError(t, err)
	form := assertRequest(t, rec, "ReverseProviderCredit")
	assert.Equal(t, withCommonKeys("AmazonProviderCreditId", "CreditReversalAmount.Amount", "CreditReversalAmount.CurrencyCode",
		"CreditReversalNote", "CreditReversalReferenceId"), formKeys(rec.body(0)))
	assert.Equal(t, "EUR", form.Get("CreditReversalAmount.CurrencyCode"))
	assert.Equal(t, "Goodwill", form.Get("CreditReversalNote"))

	assert.Equal(t, "10a7736b-bb9b-447c-9be1-4f5e76166e49", out.RequestID)
	d := out.ProviderCreditReversalDetails
	assert.Equal(t, "S02-1234567-7654321-Q000002", d.AmazonProviderCreditReversalID)
	assert.Equal(t, ProviderCreditCompleted, d.CreditReversalStatus.State)
	assert.Equal(t, "Goodwill", d.CreditReversalNote)
	assert.Equal(t, time.Date(2026, 11, 25, 8, 0, 0, 0, time.UTC), d.CreationTimestamp)
}

func TestPaymentOperationsValidation(t *testing.T) {
	t.Parallel()
	authorize := func(mut func(*AuthorizeInput)) func(ctx context.Context, c *Client) error {
		return func(ctx context.Context, c *Client) error {
			in := &AuthorizeInput{AmazonOrderReferenceID: "S02-1234567-7654321", AuthorizationReferenceID: "auth-1001-1",
				AuthorizationAmount: &Price{Amount: "42.50"}}
			mut(in)
			_, err := c.Authorize(ctx, in)
			return err
		}
	}
	capture := func(mut func(*CaptureInput)) func(ctx context.Context, c *Client) error {
		return func(ctx context.Context, c *Client) error {
			in := &CaptureInput{AmazonAuthorizationID: "S02-1234567-7654321-A000001", CaptureReferenceID: "cap-1001-1",
				CaptureAmount: &Price{Amount: "42.50"}}
			mut(in)
			_, err := c.Capture(ctx, in)
			return err
		}
	}
	refund := func(mut func(*RefundInput)) func(ctx context.Context, c *Client) error {
		return func(ctx context.Context, c *Client) error {
			in := &RefundInput{AmazonCaptureID: "S02-1234567-7654321-C000001", RefundReferenceID: "ref-1001-1",
				RefundAmount: &Price{Amount: "10.00"}}
			mut(in)
			_, err := c.Refund(ctx, in)
			return err
		}
	}
	runOpValidationCases(t, []opValidationCase{
		{"authorize: nil input", "input", "is nil", func(ctx context.Context, c *Client) error { _, err := c.Authorize(ctx, nil); return err }},
		{"authorize: missing order reference id", "AmazonOrderReferenceId", "is required", authorize(func(in *AuthorizeInput) { in.AmazonOrderReferenceID = "" })},
		{"authorize: billing agreement id", "AmazonOrderReferenceId", "is not an order reference id", authorize(func(in *AuthorizeInput) { in.AmazonOrderReferenceID = "C02-5555555-6666666" })},
		{"authorize: missing reference id", "AuthorizationReferenceId", "is required", authorize(func(in *AuthorizeInput) { in.AuthorizationReferenceID = "" })},
		{"authorize: reference id too long", "AuthorizationReferenceId", "1 to 32 characters", authorize(func(in *AuthorizeInput) { in.AuthorizationReferenceID = strings.Repeat("a", 33) })},
		{"authorize: reference id with a dot", "AuthorizationReferenceId", "1 to 32 characters", authorize(func(in *AuthorizeInput) { in.AuthorizationReferenceID = "auth.1" })},
		{"authorize: missing amount", "AuthorizationAmount.Amount", "is required", authorize(func(in *AuthorizeInput) { in.AuthorizationAmount = nil })},
		{"authorize: empty amount", "AuthorizationAmount.Amount", "is required", authorize(func(in *AuthorizeInput) { in.AuthorizationAmount = &Price{} })},
		{"authorize: timeout over 1440", "TransactionTimeout", `"1441" is not minutes from 0 (synchronous) to 1440`, authorize(func(in *AuthorizeInput) { in.TransactionTimeout = Int(1441) })},
		{"authorize: negative timeout", "TransactionTimeout", `"-1" is not minutes`, authorize(func(in *AuthorizeInput) { in.TransactionTimeout = Int(-1) })},
		{"authorize: soft descriptor too long", "SoftDescriptor", "more than the maximum of 16", authorize(func(in *AuthorizeInput) { in.SoftDescriptor = "Demo Shop Berlin!" })},
		{"authorize: note too long", "SellerAuthorizationNote", "more than the maximum of 255", authorize(func(in *AuthorizeInput) { in.SellerAuthorizationNote = strings.Repeat("n", 256) })},
		{"authorize: provider credit without provider", "ProviderCreditList.member.1.ProviderId", "is required", authorize(func(in *AuthorizeInput) {
			in.ProviderCreditList = ProviderCreditList{{CreditAmount: &Price{Amount: "1.00"}}}
		})},
		{"authorize: provider credit without amount", "ProviderCreditList.member.2.CreditAmount.Amount", "is required", authorize(func(in *AuthorizeInput) {
			in.ProviderCreditList = ProviderCreditList{{ProviderID: "A2PROVIDER", CreditAmount: &Price{Amount: "1.00"}}, {ProviderID: "A3PROVIDER"}}
		})},
		{"authorize: provider credit bad currency", "ProviderCreditList.member.1.CreditAmount.CurrencyCode", "is not a supported currency", authorize(func(in *AuthorizeInput) {
			in.ProviderCreditList = ProviderCreditList{{ProviderID: "A2PROVIDER", CreditAmount: &Price{Amount: "1.00", CurrencyCode: "EURO"}}}
		})},
		{"get authorization: capture id", "AmazonAuthorizationId", "is not an authorization id", func(ctx context.Context, c *Client) error {
			_, err := c.GetAuthorizationDetails(ctx, &GetAuthorizationDetailsInput{AmazonAuthorizationID: "S02-1234567-7654321-C000001"})
			return err
		}},
		{"close authorization: missing id", "AmazonAuthorizationId", "is required", func(ctx context.Context, c *Client) error {
			_, err := c.CloseAuthorization(ctx, &CloseAuthorizationInput{ClosureReason: "x"})
			return err
		}},
		{"capture: order reference id", "AmazonAuthorizationId", "is not an authorization id", capture(func(in *CaptureInput) { in.AmazonAuthorizationID = "S02-1234567-7654321" })},
		{"capture: missing amount", "CaptureAmount.Amount", "is required", capture(func(in *CaptureInput) { in.CaptureAmount = nil })},
		{"capture: missing reference id", "CaptureReferenceId", "is required", capture(func(in *CaptureInput) { in.CaptureReferenceID = "" })},
		{"capture: note too long", "SellerCaptureNote", "more than the maximum of 255", capture(func(in *CaptureInput) { in.SellerCaptureNote = strings.Repeat("n", 256) })},
		{"capture: provider credit without amount", "ProviderCreditList.member.1.CreditAmount.Amount", "is required", capture(func(in *CaptureInput) {
			in.ProviderCreditList = ProviderCreditList{{ProviderID: "A2PROVIDER"}}
		})},
		{"get capture: refund id", "AmazonCaptureId", "is not a capture id", func(ctx context.Context, c *Client) error {
			_, err := c.GetCaptureDetails(ctx, &GetCaptureDetailsInput{AmazonCaptureID: "S02-1234567-7654321-R000001"})
			return err
		}},
		{"refund: authorization id", "AmazonCaptureId", "is not a capture id", refund(func(in *RefundInput) { in.AmazonCaptureID = "S02-1234567-7654321-A000001" })},
		{"refund: missing amount", "RefundAmount.Amount", "is required", refund(func(in *RefundInput) { in.RefundAmount = nil })},
		{"refund: over the cap", "RefundAmount.Amount", "exceeds the maximum of 150000 EUR", refund(func(in *RefundInput) { in.RefundAmount = &Price{Amount: "150000.01"} })},
		{"refund: missing reference id", "RefundReferenceId", "is required", refund(func(in *RefundInput) { in.RefundReferenceID = "" })},
		{"refund: reversal without amount", "ProviderCreditReversalList.member.1.CreditReversalAmount.Amount", "is required", refund(func(in *RefundInput) {
			in.ProviderCreditReversalList = ProviderCreditReversalList{{ProviderID: "A2PROVIDER"}}
		})},
		{"refund: reversal without provider", "ProviderCreditReversalList.member.1.ProviderId", "is required", refund(func(in *RefundInput) {
			in.ProviderCreditReversalList = ProviderCreditReversalList{{CreditReversalAmount: &Price{Amount: "0.50"}}}
		})},
		{"get refund: missing id", "AmazonRefundId", "is required", func(ctx context.Context, c *Client) error {
			_, err := c.GetRefundDetails(ctx, &GetRefundDetailsInput{})
			return err
		}},
		{"get provider credit: missing id", "AmazonProviderCreditId", "is required", func(ctx context.Context, c *Client) error {
			_, err := c.GetProviderCreditDetails(ctx, &GetProviderCreditDetailsInput{})
			return err
		}},
		{"get provider credit reversal: blank id", "AmazonProviderCreditReversalId", "is required", func(ctx context.Context, c *Client) error {
			_, err := c.GetProviderCreditReversalDetails(ctx, &GetProviderCreditReversalDetailsInput{AmazonProviderCreditReversalID: " "})
			return err
		}},
		{"reverse: missing amount", "CreditReversalAmount.Amount", "is required", func(ctx context.Context, c *Client) error {
			_, err := c.ReverseProviderCredit(ctx, &ReverseProviderCreditInput{AmazonProviderCreditID: "S02-1234567-7654321-P000001",
				CreditReversalReferenceID: "reversal-1"})
			return err
		}},
		{"reverse: missing reference id", "CreditReversalReferenceId", "is required", func(ctx context.Context, c *Client) error {
			_, err := c.ReverseProviderCredit(ctx, &ReverseProviderCreditInput{AmazonProviderCreditID: "S02-1234567-7654321-P000001",
				CreditReversalAmount: &Price{Amount: "0.50"}})
			return err
		}},
		{"reverse: note too long", "CreditReversalNote", "more than the maximum of 255", func(ctx context.Context, c *Client) error {
			_, err := c.ReverseProviderCredit(ctx, &ReverseProviderCreditInput{AmazonProviderCreditID: "S02-1234567-7654321-P000001",
				CreditReversalReferenceID: "reversal-1", CreditReversalAmount: &Price{Amount: "0.50"}, CreditReversalNote: strings.Repeat("n", 256)})
			return err
		}},
	})
}
