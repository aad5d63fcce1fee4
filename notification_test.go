package amazonpay

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func ts(s string) time.Time {
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		panic(err)
	}
	return t
}

// Every notification type parses from its fixture into the API's types,
// through the whole verification: IdList/Id, LastUpdateTimestamp, one-decimal
// amounts, ReasonCode None and upper-case states included.
func TestNotificationParsesEveryType(t *testing.T) {
	p := newTestPKI(t, certSpec{})
	for _, tc := range []struct {
		fixture  string
		wireType string
		extra    map[string]any
		check    func(t *testing.T, n *Notification)
	}{
		{"OrderReferenceNotification.xml", "OrderReferenceNotification", nil, func(t *testing.T, n *Notification) {
			assert.Equal(t, NotificationTypeOrderReference, n.NotificationType)
			o := n.OrderReference
			require.NotNil(t, o)
			assert.Equal(t, "S02-1234567-1234567", o.AmazonOrderReferenceID)
			assert.Equal(t, &Price{Amount: "106.0", CurrencyCode: "EUR"}, o.OrderTotal)
			assert.Equal(t, "Two mugs", o.SellerNote)
			require.NotNil(t, o.SellerOrderAttributes)
			assert.Equal(t, "A1SELLERTEST", o.SellerOrderAttributes.SellerID)
			assert.Equal(t, "order-4711", o.SellerOrderAttributes.SellerOrderID)
			assert.Equal(t, OrderReferenceStatus{State: OrderReferenceClosed, ReasonCode: ReasonMaxAmountCharged,
				LastUpdateTimestamp: ts("2026-11-22T10:05:00.123Z")}, o.OrderReferenceStatus, "CLOSED reads as Closed")
			assert.Equal(t, ts("2026-11-22T09:00:00Z"), o.CreationTimestamp)
			assert.Equal(t, ts("2027-05-21T09:00:00Z"), o.ExpirationTimestamp)
			assert.Equal(t, ReleaseSandbox, o.ReleaseEnvironment)
			assert.Equal(t, "de-DE", o.OrderLanguage)
		}},
		{"PaymentAuthorize.xml", "PaymentAuthorize", nil, func(t *testing.T, n *Notification) {
			a := n.Authorization
			require.NotNil(t, a)
			assert.Equal(t, "S02-1234567-1234567-A000001", a.AmazonAuthorizationID)
			assert.Equal(t, "auth-4711", a.AuthorizationReferenceID)
			assert.Equal(t, Price{Amount: "106.0", CurrencyCode: "EUR"}, a.AuthorizationAmount)
			assert.Equal(t, Price{Amount: "0.0", CurrencyCode: "EUR"}, a.CapturedAmount)
			assert.Empty(t, a.IDList.IDs())
			assert.Equal(t, Status[AuthorizationState]{State: AuthorizationDeclined, ReasonCode: ReasonInvalidPaymentMethod,
				LastUpdateTimestamp: ts("2026-11-22T09:31:00Z")}, a.AuthorizationStatus)
			assert.True(t, a.SoftDecline)
			assert.False(t, a.CaptureNow)
		}},
		{"PaymentCapture.xml", "PaymentCapture", nil, func(t *testing.T, n *Notification) {
			c := n.Capture
			require.NotNil(t, c)
			assert.Equal(t, "S02-1234567-1234567-C000001", c.AmazonCaptureID)
			assert.Equal(t, Price{Amount: "106.5", CurrencyCode: "EUR"}, c.CaptureAmount)
			assert.Equal(t, Price{Amount: "2.5", CurrencyCode: "EUR"}, c.RefundedAmount)
			assert.Equal(t, []string{"S02-1234567-1234567-R000001", "S02-1234567-1234567-R000002"}, c.IDList.IDs())
			assert.Equal(t, Status[CaptureState]{State: CaptureCompleted, LastUpdateTimestamp: ts("2026-11-22T09:02:30Z")},
				c.CaptureStatus, "COMPLETED reads as Completed, ReasonCode None as none")
			assert.Equal(t, "AMZ*DemoShop", c.SoftDescriptor)
		}},
		{"PaymentRefund.xml", "PaymentRefund", nil, func(t *testing.T, n *Notification) {
			r := n.Refund
			require.NotNil(t, r)
			assert.Equal(t, "S02-1234567-1234567-R000001", r.AmazonRefundID)
			assert.Equal(t, "refund-ref-9", r.RefundReferenceID)
			assert.Equal(t, RefundTypeSellerInitiated, r.RefundType)
			assert.Equal(t, Price{Amount: "2.5", CurrencyCode: "EUR"}, r.RefundAmount)
			assert.Equal(t, Price{Amount: "0.0", CurrencyCode: "EUR"}, r.FeeRefunded)
			assert.Equal(t, Status[RefundState]{State: RefundCompleted, LastUpdateTimestamp: ts("2026-11-22T09:10:30Z")}, r.RefundStatus)
		}},
		{"BillingAgreementNotification.xml", "BillingAgreementNotification", map[string]any{"EventType": "BillingAgreementStatusUpdated"}, func(t *testing.T, n *Notification) {
			assert.Equal(t, BillingAgreementStatusUpdated, n.EventType)
			b := n.BillingAgreement
			require.NotNil(t, b)
			assert.Equal(t, "C02-1234567-1234567", b.AmazonBillingAgreementID)
			require.NotNil(t, b.BillingAgreementLimits)
			assert.Equal(t, Price{Amount: "500.0", CurrencyCode: "EUR"}, b.BillingAgreementLimits.AmountLimitPerTimePeriod)
			assert.Equal(t, Price{Amount: "490.0", CurrencyCode: "EUR"}, b.BillingAgreementLimits.CurrentRemainingBalance)
			assert.Equal(t, ts("2026-11-01T00:00:00Z"), b.BillingAgreementLimits.TimePeriodStartDate)
			require.NotNil(t, b.SellerBillingAgreementAttributes)
			assert.Equal(t, "A1SELLERTEST", b.SellerBillingAgreementAttributes.SellerID)
			assert.Equal(t, "subscription-42", b.SellerBillingAgreementAttributes.SellerBillingAgreementID)
			assert.Equal(t, BillingAgreementSuspended, b.BillingAgreementStatus.State)
			assert.Equal(t, ReasonInvalidPaymentMethod, b.BillingAgreementStatus.ReasonCode)
			assert.Equal(t, ts("2026-11-22T11:00:00Z"), b.BillingAgreementStatus.UpdatedAt(), "LastUpdateTimestamp")
			assert.True(t, b.BillingAgreementConsent)
		}},
		{"ChargebackDetailedNotification.xml", "Chargeback Detailed Notification", nil, func(t *testing.T, n *Notification) {
			assert.Equal(t, NotificationTypeChargeback, n.NotificationType)
			assert.Equal(t, &ChargebackDetails{
				AmazonChargebackID: "C9KORZRXQ655G", AmazonOrderReferenceID: "S02-1234567-1234567",
				AmazonCaptureReferenceID: "capture-4711", CreationTimestamp: ts("2026-11-29T12:20:56.061Z"),
				ChargebackAmount: Price{Amount: "106.5", CurrencyCode: "EUR"}, ChargebackState: ChargebackReceived,
				ChargebackReason: "Unauthorized Transaction Chargeback",
			}, n.Chargeback)
		}},
		{"ProviderCredit.xml", "ProviderCredit", nil, func(t *testing.T, n *Notification) {
			c := n.ProviderCredit
			require.NotNil(t, c)
			assert.Equal(t, "S02-1234567-1234567-P000001", c.AmazonProviderCreditID)
			assert.Equal(t, "A2PROVIDER", c.ProviderID)
			assert.Equal(t, Price{Amount: "1.0", CurrencyCode: "EUR"}, c.CreditAmount)
			assert.Equal(t, []string{"S02-1234567-1234567-T000001"}, c.CreditReversalIDList.IDs())
			assert.Equal(t, ProviderCreditCompleted, c.CreditStatus.State)
		}},
		{"ProviderCreditReversal.xml", "ProviderCreditReversal", nil, func(t *testing.T, n *Notification) {
			r := n.ProviderCreditReversal
			require.NotNil(t, r)
			assert.Equal(t, "S02-1234567-1234567-T000001", r.AmazonProviderCreditReversalID)
			assert.Equal(t, "reversal-1", r.CreditReversalReferenceID)
			assert.Equal(t, Price{Amount: "0.5", CurrencyCode: "EUR"}, r.CreditReversalAmount)
			assert.Equal(t, "partial", r.CreditReversalNote)
			assert.Equal(t, ProviderCreditCompleted, r.CreditReversalStatus.State)
		}},
		{"SolutionProviderEvent.xml", "SolutionProviderEvent", nil, func(t *testing.T, n *Notification) {
			assert.Equal(t, &MerchantRegistrationDetails{SellerID: "A1SELLERTEST", Type: "Registration",
				Options: []SolutionProviderOption{{"lwa", "true"}, {"mws-acc", "true"}}}, n.SolutionProviderEvent)
		}},
	} {
		t.Run(tc.wireType, func(t *testing.T) {
			e := newTestEnv(t)
			data := ipnFixture(t, tc.fixture)
			e.fields["Message"] = ipnMessageJSON(t, tc.wireType, data, tc.extra)
			n, err := testVerifier(p, standardServer(p)).Verify(context.Background(), e.header, e.sign(t, p.leafKey))
			require.NoError(t, err)
			assert.Equal(t, "a1b2c3d4-0000-4000-8000-000000000001", n.NotificationReferenceID)
			assert.Equal(t, "A1SELLERTEST", n.SellerID)
			assert.Equal(t, "A1PA6795UKMFR9", n.MarketplaceID)
			assert.Equal(t, ReleaseSandbox, n.ReleaseEnvironment)
			assert.Equal(t, "2013-01-01", n.Version)
			assert.Equal(t, ts("2026-11-22T11:59:59.5Z"), n.Timestamp)
			assert.False(t, n.IsSample)
			assert.Equal(t, data, n.NotificationData)
			assert.Equal(t, 1, payloads(n), "exactly one payload")
			tc.check(t, n)

			// The same data parses alone, too.
			m, err := ParseNotificationData(NotificationType(tc.wireType), []byte(data))
			require.NoError(t, err)
			assert.Equal(t, 1, payloads(m))
		})
	}
}

func payloads(n *Notification) int {
	count := 0
	for _, set := range []bool{n.OrderReference != nil, n.Authorization != nil, n.Capture != nil, n.Refund != nil,
		n.BillingAgreement != nil, n.Chargeback != nil, n.ProviderCredit != nil, n.ProviderCreditReversal != nil,
		n.SolutionProviderEvent != nil} {
		if set {
			count++
		}
	}
	return count
}

// NotificationData that is not the document of its type is refused.
func TestNotificationDataMalformed(t *testing.T) {
	good := ipnFixture(t, "PaymentRefund.xml")
	for name, data := range map[string]string{
		"empty":            "",
		"other root":       strings.Replace(strings.Replace(good, "<RefundNotification", "<CaptureNotification", 1), "</RefundNotification>", "</CaptureNotification>", 1),
		"no details":       `<RefundNotification xmlns="https://mws.amazonservices.com/ipn/OffAmazonPayments/2013-01-01"></RefundNotification>`,
		"two roots":        good + "<RefundNotification/>",
		"trailing text":    good + "junk",
		"truncated":        good[:len(good)/2],
		"bad time":         strings.Replace(good, "2026-11-22T09:10:00.000Z", "yesterday", 1),
		"text before root": "hello" + good[strings.Index(good, "<RefundNotification"):],
	} {
		n, err := ParseNotificationData(NotificationTypePaymentRefund, []byte(data))
		assert.Nil(t, n, name)
		ne := assertRejected(t, err, NotificationMalformed)
		assert.Equal(t, "Message.NotificationData", ne.Field, name)
	}
	_, err := ParseNotificationData("BlahBlah", []byte(good))
	assertRejected(t, err, NotificationMalformed)
}

// The Message fields: IsSample as a boolean or a string; a missing
// NotificationReferenceId, SellerId or NotificationData is malformed.
func TestNotificationMessageFields(t *testing.T) {
	data := ipnFixture(t, "PaymentRefund.xml")
	for _, tc := range []struct {
		extra    map[string]any
		sample   bool
		badField string
	}{
		{extra: map[string]any{"IsSample": true}, sample: true},
		{extra: map[string]any{"IsSample": "true"}, sample: true},
		{extra: map[string]any{"IsSample": false}},
		{extra: map[string]any{"IsSample": 1}, badField: "Message.IsSample"},
		{extra: map[string]any{"NotificationReferenceId": nil}, badField: "Message.NotificationReferenceId"},
		{extra: map[string]any{"SellerId": nil}, badField: "Message.SellerId"},
		{extra: map[string]any{"NotificationData": nil}, badField: "Message.NotificationData"},
		{extra: map[string]any{"Timestamp": "noon"}, badField: "Message.Timestamp"},
	} {
		n := &Notification{Message: ipnMessageJSON(t, "PaymentRefund", data, tc.extra)}
		err := n.parseMessage()
		if tc.badField != "" {
			ne := assertRejected(t, err, NotificationMalformed)
			assert.Equal(t, tc.badField, ne.Field)
			continue
		}
		require.NoError(t, err)
		assert.Equal(t, tc.sample, n.IsSample)
	}
}
