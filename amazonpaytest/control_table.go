package amazonpaytest

// controlParams names the Go parameters of every *Handler method the
// control API serves, in order. Go's reflection knows a method's parameter
// types but not their names, so they are declared here; a test parses this
// package's source and fails when a name here differs from the method's,
// or when an exported method is neither here nor in controlExcluded.
var controlParams = map[string][]string{
	// The buyer (buyer.go, lwa.go, control_flow.go).
	"CreateOrderReference":        {"b"},
	"CreateOrderReferenceFor":     {"sellerID", "b"},
	"CreateBillingAgreement":      {"b"},
	"CreateBillingAgreementFor":   {"sellerID", "b"},
	"SelectPaymentMethod":         {"id", "m"},
	"SelectAddress":               {"id", "a"},
	"SelectCurrency":              {"id", "currency"},
	"DeleteBillingAddress":        {"id"},
	"GiveConsent":                 {"id"},
	"RunConfirmationFlow":         {"sellerID", "id"},
	"CompleteConfirmationFlow":    {"sellerID", "id", "status"},
	"BuyerCancelBillingAgreement": {"id"},
	"AccessToken":                 {"id"},
	"SignIn":                      {"buyer"},

	// Amazon (amazonside.go, delegation.go, providercredit.go, server.go).
	"AmazonCancel":                      {"id"},
	"AmazonFlagAtypical":                {"id"},
	"AmazonDeclineRefund":               {"id", "reason"},
	"AmazonRefund":                      {"captureID", "amount", "typ"},
	"AmazonUnsetBillingAgreementLimits": {"id"},
	"AmazonSetBillingAgreementLimits":   {"id"},
	"AmazonDeclineProviderCredit":       {"id"},
	"SuspendSeller":                     {"sellerID"},
	"ReactivateSeller":                  {"sellerID"},
	"RevokeDelegation":                  {"sellerID"},
	"SetServiceStatus":                  {"status"},

	// The clock (clock.go).
	"Now":           {},
	"Advance":       {"d"},
	"Freeze":        {},
	"Unfreeze":      {},
	"PendingEvents": {},

	// Faults (faults.go).
	"InjectFault": {"action", "n", "f"},
	"ClearFaults": {},

	// Inspection (inspect.go, server.go, lwa.go).
	"Requests":       {},
	"RequestsFor":    {"action"},
	"Object":         {"id"},
	"Objects":        {"kind"},
	"State":          {"id"},
	"MoneyMovements": {},
	"SellerID":       {},
	"AccessKeyID":    {},
	"ClientID":       {},
	"Region":         {},
	"Sandbox":        {},
	"Path":           {},

	// Notifications (notify.go, notify_resend.go, notify_ca.go).
	"AddNotificationURL":              {"url"},
	"SetNotificationSignatureVersion": {"v"},
	"SetNotificationRetryDelays":      {"delays"},
	"Notifications":                   {},
	"ResendNotification":              {"messageID"},
	"WaitNotifications":               {"ctx"},
	"SendSubscriptionConfirmation":    {"url"},
	"SubscriptionConfirmed":           {"url"},
	"SigningCertURL":                  {},
}

// controlExcluded are the exported methods the control API does not
// serve, and why.
var controlExcluded = map[string]string{
	"ServeHTTP":                 "the sandbox itself, served at every other path",
	"Close":                     "stops the notification sender for good; the program calls it when it stops",
	"SecretKey":                 "a secret: whoever started the sandbox chose it (--secret-key)",
	"SetNotificationHTTPClient": "takes an *http.Client, a Go value",
	"NotificationRoots":         "returns an *x509.CertPool, a Go value; the signing certificate is served at SigningCertURL",
	"NotificationHTTPClient":    "returns an *http.Client, a Go value",
	"NotificationVerifier":      "returns an *amazonpay.NotificationVerifier, a Go value",
}
