package main

import "github.com/amazonpay-go/amazonpay"

// stateAdvice is the recommended action for an object in a state, by
// "Kind/State/Reason" first, then "Kind/State". A reason not named here
// gives its explain action (reasonCodes).
var stateAdvice = map[string]string{
	"OrderReference/Draft":                                    "Set the order details and confirm it (ConfirmOrderReference, with SuccessUrl and FailureUrl in the EU/UK); unconfirmed for 3 hours it is canceled (Stale).",
	"OrderReference/Open":                                     "Authorize it; capture the authorization when you ship; close it (amazonpay close ID) when the order is fully charged.",
	"OrderReference/Suspended":                                "Ask the buyer to update the payment method; authorize again once it is Open.",
	"OrderReference/Suspended/PaymentAuthorizationRequired":   "The buyer must pass the Confirmation Flow again: confirm the order reference with SuccessUrl and FailureUrl, send the buyer through the flow, then authorize.",
	"OrderReference/Suspended/InvalidPaymentMethod":           "Ask the buyer to choose another payment method (Wallet widget), confirm again, then authorize.",
	"OrderReference/Canceled":                                 "Nothing more can be charged on it.",
	"OrderReference/Closed":                                   "No new authorizations; Open authorizations can still be captured and completed captures refunded.",
	"BillingAgreement/Draft":                                  "Confirm it (ConfirmBillingAgreement) once the buyer has consented, then validate it; unconfirmed for 3 hours it is canceled (Stale).",
	"BillingAgreement/Open":                                   "It can be charged (amazonpay billing-run).",
	"BillingAgreement/Suspended":                              "Ask the buyer to choose another payment method, then confirm the billing agreement again; no charges until it is Open.",
	"BillingAgreement/Suspended/PaymentAuthorizationRequired": "The buyer must pass the Confirmation Flow again: confirm the billing agreement with SuccessUrl and FailureUrl and send the buyer through the flow.",
	"BillingAgreement/Canceled":                               "It can no longer be charged; ask the buyer to subscribe again.",
	"BillingAgreement/Closed":                                 "It can no longer be charged; existing authorizations can still be captured.",
	"Authorization/Pending":                                   "Wait for the authorization's IPN (or amazonpay get again); do not ship yet.",
	"Authorization/Open":                                      "Capture it (amazonpay capture ID --amount …) when you ship, before it expires; close it if you will not capture.",
	"Authorization/Declined":                                  "Do not ship.",
	"Authorization/Closed":                                    "Nothing more can be captured on it.",
	"Authorization/Closed/MaxCapturesProcessed":               "Captured: see the capture (amazonpay get CAPTURE_ID).",
	"Capture/Pending":                                         "Wait for the capture's IPN (or amazonpay get again).",
	"Capture/Completed":                                       "The money is captured; refund it if needed (amazonpay refund ID --amount …).",
	"Capture/Declined":                                        "Nothing was captured.",
	"Capture/Closed":                                          "Nothing more can be refunded on it.",
	"Refund/Pending":                                          "Wait for the refund's IPN (or amazonpay get again); refunds take up to two days.",
	"Refund/Completed":                                        "Refunded: nothing to do.",
	"Refund/Declined":                                         "The refund failed: refund the buyer another way, or try again with a new reference id.",
	"ProviderCredit/Pending":                                  "Wait for the provider credit's IPN.",
	"ProviderCredit/Completed":                                "Credited to the provider; reverse it if needed (ReverseProviderCredit).",
	"ProviderCreditReversal/Pending":                          "Wait for the reversal's IPN.",
	"ProviderCreditReversal/Completed":                        "Reversed: nothing to do.",
}

// advise returns the recommended action for v's state.
func advise(v *objectView) string {
	key := string(v.Kind) + "/" + v.State
	if s, ok := stateAdvice[key+"/"+v.ReasonCode]; ok && v.ReasonCode != "" {
		return s
	}
	base := stateAdvice[key]
	if e, ok := reasonCodes[amazonpay.ReasonCode(v.ReasonCode)]; ok && v.ReasonCode != "" {
		if base == "" {
			return e.action
		}
		return base + " " + e.action
	}
	if v.Kind == kindBillingAgreement && v.State == string(amazonpay.BillingAgreementOpen) && v.Type == "" {
		return base + " It has no BillingAgreementType: set it for PSD2 (amazonpay billing-agreements update)."
	}
	if len(v.Constraints) > 0 {
		return base + " First resolve its constraints (amazonpay explain " + v.Constraints[0].ID + ")."
	}
	if base == "" {
		return "Unknown state: see amazonpay explain " + v.State + "."
	}
	return base
}
