package amazonpay

import (
	"fmt"
	"log/slog"
)

// The types that hold buyer data, and every operation's output (its
// RawXML is the whole reply), log and print through redactedLogValue and
// formatRedacted: LogValue hides the buyer's name, e-mail, phone and
// street lines and the raw reply from log/slog; Format does the same for
// fmt's verbs (%v, %+v, %#v, %s, ...). The test finds every such type.

// LogValue gives ResponseMetadata to log/slog without its RawXML. (Each
// output has its own LogValue and Format, which take precedence.)
func (x ResponseMetadata) LogValue() slog.Value { return redactedLogValue(x) }

// Format prints ResponseMetadata as fmt would, without its RawXML.
func (x ResponseMetadata) Format(f fmt.State, verb rune) { formatRedacted(f, verb, x) }

// LogValue gives Buyer to log/slog without buyer data.
func (x Buyer) LogValue() slog.Value { return redactedLogValue(x) }

// Format prints Buyer as fmt would, without buyer data.
func (x Buyer) Format(f fmt.State, verb rune) { formatRedacted(f, verb, x) }

// LogValue gives Address to log/slog without buyer data.
func (x Address) LogValue() slog.Value { return redactedLogValue(x) }

// Format prints Address as fmt would, without buyer data.
func (x Address) Format(f fmt.State, verb rune) { formatRedacted(f, verb, x) }

// LogValue gives Destination to log/slog without buyer data.
func (x Destination) LogValue() slog.Value { return redactedLogValue(x) }

// Format prints Destination as fmt would, without buyer data.
func (x Destination) Format(f fmt.State, verb rune) { formatRedacted(f, verb, x) }

// LogValue gives BillingAddress to log/slog without buyer data.
func (x BillingAddress) LogValue() slog.Value { return redactedLogValue(x) }

// Format prints BillingAddress as fmt would, without buyer data.
func (x BillingAddress) Format(f fmt.State, verb rune) { formatRedacted(f, verb, x) }

// LogValue gives UserInfo to log/slog without buyer data.
func (x UserInfo) LogValue() slog.Value { return redactedLogValue(x) }

// Format prints UserInfo as fmt would, without buyer data.
func (x UserInfo) Format(f fmt.State, verb rune) { formatRedacted(f, verb, x) }

// LogValue gives OrderReferenceDetails to log/slog without buyer data.
func (x OrderReferenceDetails) LogValue() slog.Value { return redactedLogValue(x) }

// Format prints OrderReferenceDetails as fmt would, without buyer data.
func (x OrderReferenceDetails) Format(f fmt.State, verb rune) { formatRedacted(f, verb, x) }

// LogValue gives BillingAgreementDetails to log/slog without buyer data.
func (x BillingAgreementDetails) LogValue() slog.Value { return redactedLogValue(x) }

// Format prints BillingAgreementDetails as fmt would, without buyer data.
func (x BillingAgreementDetails) Format(f fmt.State, verb rune) { formatRedacted(f, verb, x) }

// LogValue gives AuthorizationDetails to log/slog without buyer data.
func (x AuthorizationDetails) LogValue() slog.Value { return redactedLogValue(x) }

// Format prints AuthorizationDetails as fmt would, without buyer data.
func (x AuthorizationDetails) Format(f fmt.State, verb rune) { formatRedacted(f, verb, x) }

// LogValue gives PaymentDetails to log/slog without buyer data.
func (x PaymentDetails) LogValue() slog.Value { return redactedLogValue(x) }

// Format prints PaymentDetails as fmt would, without buyer data.
func (x PaymentDetails) Format(f fmt.State, verb rune) { formatRedacted(f, verb, x) }

// LogValue gives BillingAgreementChargeResult to log/slog without buyer data.
func (x BillingAgreementChargeResult) LogValue() slog.Value { return redactedLogValue(x) }

// Format prints BillingAgreementChargeResult as fmt would, without buyer data.
func (x BillingAgreementChargeResult) Format(f fmt.State, verb rune) { formatRedacted(f, verb, x) }

// LogValue gives SetBillingAgreementDetailsOutput to log/slog without buyer data.
func (x SetBillingAgreementDetailsOutput) LogValue() slog.Value { return redactedLogValue(x) }

// Format prints SetBillingAgreementDetailsOutput as fmt would, without buyer data.
func (x SetBillingAgreementDetailsOutput) Format(f fmt.State, verb rune) { formatRedacted(f, verb, x) }

// LogValue gives ConfirmBillingAgreementOutput to log/slog without buyer data.
func (x ConfirmBillingAgreementOutput) LogValue() slog.Value { return redactedLogValue(x) }

// Format prints ConfirmBillingAgreementOutput as fmt would, without buyer data.
func (x ConfirmBillingAgreementOutput) Format(f fmt.State, verb rune) { formatRedacted(f, verb, x) }

// LogValue gives ValidateBillingAgreementOutput to log/slog without buyer data.
func (x ValidateBillingAgreementOutput) LogValue() slog.Value { return redactedLogValue(x) }

// Format prints ValidateBillingAgreementOutput as fmt would, without buyer data.
func (x ValidateBillingAgreementOutput) Format(f fmt.State, verb rune) { formatRedacted(f, verb, x) }

// LogValue gives GetBillingAgreementDetailsOutput to log/slog without buyer data.
func (x GetBillingAgreementDetailsOutput) LogValue() slog.Value { return redactedLogValue(x) }

// Format prints GetBillingAgreementDetailsOutput as fmt would, without buyer data.
func (x GetBillingAgreementDetailsOutput) Format(f fmt.State, verb rune) { formatRedacted(f, verb, x) }

// LogValue gives AuthorizeOnBillingAgreementOutput to log/slog without buyer data.
func (x AuthorizeOnBillingAgreementOutput) LogValue() slog.Value { return redactedLogValue(x) }

// Format prints AuthorizeOnBillingAgreementOutput as fmt would, without buyer data.
func (x AuthorizeOnBillingAgreementOutput) Format(f fmt.State, verb rune) { formatRedacted(f, verb, x) }

// LogValue gives CloseBillingAgreementOutput to log/slog without buyer data.
func (x CloseBillingAgreementOutput) LogValue() slog.Value { return redactedLogValue(x) }

// Format prints CloseBillingAgreementOutput as fmt would, without buyer data.
func (x CloseBillingAgreementOutput) Format(f fmt.State, verb rune) { formatRedacted(f, verb, x) }

// LogValue gives ChargeOutput to log/slog without buyer data.
func (x ChargeOutput) LogValue() slog.Value { return redactedLogValue(x) }

// Format prints ChargeOutput as fmt would, without buyer data.
func (x ChargeOutput) Format(f fmt.State, verb rune) { formatRedacted(f, verb, x) }

// LogValue gives ListOrderReferenceOutput to log/slog without buyer data.
func (x ListOrderReferenceOutput) LogValue() slog.Value { return redactedLogValue(x) }

// Format prints ListOrderReferenceOutput as fmt would, without buyer data.
func (x ListOrderReferenceOutput) Format(f fmt.State, verb rune) { formatRedacted(f, verb, x) }

// LogValue gives ListOrderReferenceByNextTokenOutput to log/slog without buyer data.
func (x ListOrderReferenceByNextTokenOutput) LogValue() slog.Value { return redactedLogValue(x) }

// Format prints ListOrderReferenceByNextTokenOutput as fmt would, without buyer data.
func (x ListOrderReferenceByNextTokenOutput) Format(f fmt.State, verb rune) {
	formatRedacted(f, verb, x)
}

// LogValue gives GetServiceStatusOutput to log/slog without buyer data.
func (x GetServiceStatusOutput) LogValue() slog.Value { return redactedLogValue(x) }

// Format prints GetServiceStatusOutput as fmt would, without buyer data.
func (x GetServiceStatusOutput) Format(f fmt.State, verb rune) { formatRedacted(f, verb, x) }

// LogValue gives GetMerchantAccountStatusOutput to log/slog without buyer data.
func (x GetMerchantAccountStatusOutput) LogValue() slog.Value { return redactedLogValue(x) }

// Format prints GetMerchantAccountStatusOutput as fmt would, without buyer data.
func (x GetMerchantAccountStatusOutput) Format(f fmt.State, verb rune) { formatRedacted(f, verb, x) }

// LogValue gives GetMerchantNotificationConfigurationOutput to log/slog without buyer data.
func (x GetMerchantNotificationConfigurationOutput) LogValue() slog.Value { return redactedLogValue(x) }

// Format prints GetMerchantNotificationConfigurationOutput as fmt would, without buyer data.
func (x GetMerchantNotificationConfigurationOutput) Format(f fmt.State, verb rune) {
	formatRedacted(f, verb, x)
}

// LogValue gives SetMerchantNotificationConfigurationOutput to log/slog without buyer data.
func (x SetMerchantNotificationConfigurationOutput) LogValue() slog.Value { return redactedLogValue(x) }

// Format prints SetMerchantNotificationConfigurationOutput as fmt would, without buyer data.
func (x SetMerchantNotificationConfigurationOutput) Format(f fmt.State, verb rune) {
	formatRedacted(f, verb, x)
}

// LogValue gives SetOrderAttributesOutput to log/slog without buyer data.
func (x SetOrderAttributesOutput) LogValue() slog.Value { return redactedLogValue(x) }

// Format prints SetOrderAttributesOutput as fmt would, without buyer data.
func (x SetOrderAttributesOutput) Format(f fmt.State, verb rune) { formatRedacted(f, verb, x) }

// LogValue gives ConfirmOrderReferenceOutput to log/slog without buyer data.
func (x ConfirmOrderReferenceOutput) LogValue() slog.Value { return redactedLogValue(x) }

// Format prints ConfirmOrderReferenceOutput as fmt would, without buyer data.
func (x ConfirmOrderReferenceOutput) Format(f fmt.State, verb rune) { formatRedacted(f, verb, x) }

// LogValue gives GetOrderReferenceDetailsOutput to log/slog without buyer data.
func (x GetOrderReferenceDetailsOutput) LogValue() slog.Value { return redactedLogValue(x) }

// Format prints GetOrderReferenceDetailsOutput as fmt would, without buyer data.
func (x GetOrderReferenceDetailsOutput) Format(f fmt.State, verb rune) { formatRedacted(f, verb, x) }

// LogValue gives SetOrderReferenceDetailsOutput to log/slog without buyer data.
func (x SetOrderReferenceDetailsOutput) LogValue() slog.Value { return redactedLogValue(x) }

// Format prints SetOrderReferenceDetailsOutput as fmt would, without buyer data.
func (x SetOrderReferenceDetailsOutput) Format(f fmt.State, verb rune) { formatRedacted(f, verb, x) }

// LogValue gives CancelOrderReferenceOutput to log/slog without buyer data.
func (x CancelOrderReferenceOutput) LogValue() slog.Value { return redactedLogValue(x) }

// Format prints CancelOrderReferenceOutput as fmt would, without buyer data.
func (x CancelOrderReferenceOutput) Format(f fmt.State, verb rune) { formatRedacted(f, verb, x) }

// LogValue gives CloseOrderReferenceOutput to log/slog without buyer data.
func (x CloseOrderReferenceOutput) LogValue() slog.Value { return redactedLogValue(x) }

// Format prints CloseOrderReferenceOutput as fmt would, without buyer data.
func (x CloseOrderReferenceOutput) Format(f fmt.State, verb rune) { formatRedacted(f, verb, x) }

// LogValue gives CreateOrderReferenceForIdOutput to log/slog without buyer data.
func (x CreateOrderReferenceForIdOutput) LogValue() slog.Value { return redactedLogValue(x) }

// Format prints CreateOrderReferenceForIdOutput as fmt would, without buyer data.
func (x CreateOrderReferenceForIdOutput) Format(f fmt.State, verb rune) { formatRedacted(f, verb, x) }

// LogValue gives AuthorizeOutput to log/slog without buyer data.
func (x AuthorizeOutput) LogValue() slog.Value { return redactedLogValue(x) }

// Format prints AuthorizeOutput as fmt would, without buyer data.
func (x AuthorizeOutput) Format(f fmt.State, verb rune) { formatRedacted(f, verb, x) }

// LogValue gives GetAuthorizationDetailsOutput to log/slog without buyer data.
func (x GetAuthorizationDetailsOutput) LogValue() slog.Value { return redactedLogValue(x) }

// Format prints GetAuthorizationDetailsOutput as fmt would, without buyer data.
func (x GetAuthorizationDetailsOutput) Format(f fmt.State, verb rune) { formatRedacted(f, verb, x) }

// LogValue gives CloseAuthorizationOutput to log/slog without buyer data.
func (x CloseAuthorizationOutput) LogValue() slog.Value { return redactedLogValue(x) }

// Format prints CloseAuthorizationOutput as fmt would, without buyer data.
func (x CloseAuthorizationOutput) Format(f fmt.State, verb rune) { formatRedacted(f, verb, x) }

// LogValue gives CaptureOutput to log/slog without buyer data.
func (x CaptureOutput) LogValue() slog.Value { return redactedLogValue(x) }

// Format prints CaptureOutput as fmt would, without buyer data.
func (x CaptureOutput) Format(f fmt.State, verb rune) { formatRedacted(f, verb, x) }

// LogValue gives GetCaptureDetailsOutput to log/slog without buyer data.
func (x GetCaptureDetailsOutput) LogValue() slog.Value { return redactedLogValue(x) }

// Format prints GetCaptureDetailsOutput as fmt would, without buyer data.
func (x GetCaptureDetailsOutput) Format(f fmt.State, verb rune) { formatRedacted(f, verb, x) }

// LogValue gives RefundOutput to log/slog without buyer data.
func (x RefundOutput) LogValue() slog.Value { return redactedLogValue(x) }

// Format prints RefundOutput as fmt would, without buyer data.
func (x RefundOutput) Format(f fmt.State, verb rune) { formatRedacted(f, verb, x) }

// LogValue gives GetRefundDetailsOutput to log/slog without buyer data.
func (x GetRefundDetailsOutput) LogValue() slog.Value { return redactedLogValue(x) }

// Format prints GetRefundDetailsOutput as fmt would, without buyer data.
func (x GetRefundDetailsOutput) Format(f fmt.State, verb rune) { formatRedacted(f, verb, x) }

// LogValue gives GetProviderCreditDetailsOutput to log/slog without buyer data.
func (x GetProviderCreditDetailsOutput) LogValue() slog.Value { return redactedLogValue(x) }

// Format prints GetProviderCreditDetailsOutput as fmt would, without buyer data.
func (x GetProviderCreditDetailsOutput) Format(f fmt.State, verb rune) { formatRedacted(f, verb, x) }

// LogValue gives GetProviderCreditReversalDetailsOutput to log/slog without buyer data.
func (x GetProviderCreditReversalDetailsOutput) LogValue() slog.Value { return redactedLogValue(x) }

// Format prints GetProviderCreditReversalDetailsOutput as fmt would, without buyer data.
func (x GetProviderCreditReversalDetailsOutput) Format(f fmt.State, verb rune) {
	formatRedacted(f, verb, x)
}

// LogValue gives ReverseProviderCreditOutput to log/slog without buyer data.
func (x ReverseProviderCreditOutput) LogValue() slog.Value { return redactedLogValue(x) }

// Format prints ReverseProviderCreditOutput as fmt would, without buyer data.
func (x ReverseProviderCreditOutput) Format(f fmt.State, verb rune) { formatRedacted(f, verb, x) }
