// Package checkout runs the server side of Amazon Pay's Confirmation Flows
// (one-time purchases and subscriptions, PSD2 / Strong Customer
// Authentication) as a durable state machine on the shop's own database,
// so that a crash at any point, a lost reply, a double click, a forged
// return or a notification that comes first never loses an order and
// never charges twice.
//
// A shop wires four things:
//
//	p, err := checkout.New(client, store, checkout.Config{
//		ReturnURL:  "https://shop.example/amazon/return",
//		CaptureNow: true,
//	})
//
//	// The "buy now" AJAX endpoint: 200 → confirmationFlow.success(), else .error().
//	_, err = p.Confirm(ctx, checkout.Purchase{ID: "order-42", OrderReferenceID: oro, Total: total})
//
//	// The return handler (SuccessUrl and FailureUrl): render out.Next.
//	out, err := p.Return(ctx, r.URL.Query())
//
//	// The IPN endpoint.
//	http.Handle("/amazon/ipn", amazonpay.NewNotificationHandler(verifier, p.Apply))
//
//	// At start-up and every few minutes.
//	rep, err := p.Reconcile(ctx)
//
// The store is NewMemoryStore for tests, or NewSQLStore on PostgreSQL or
// SQLite through database/sql (the package imports no driver).
//
// # Durability
//
// Every money call (Authorize, Capture, AuthorizeOnBillingAgreement) has
// its reference id and amount committed to the store before it is sent.
// The reference id is derived from the payment's id and attempt number, so
// every retry and every reconciliation of an attempt repeats the same
// request, which Amazon answers with the first result: a repeat never
// charges twice. A new attempt — after InvalidPaymentMethod or an
// abandoned challenge, when the buyer chose another payment method and
// Confirm ran again — gets a new reference id.
//
// Every write is a compare-and-swap on the payment's Version, which goes
// up by one on every stored change and never on a no-op: of two Returns of
// one payment at once (a double click, two tabs, a replayed URL) one sends
// the authorization and the other answers NextPending.
//
// The return URL carries the payment id and a nonce (16 bytes of
// crypto/rand, compared in constant time) issued by each Confirm: a return
// without the current attempt's nonce changes nothing and calls Amazon for
// nothing (ErrForgedReturn). What the query says never counts as payment;
// only Amazon's answer to the authorization does.
//
// An outcome that is not known — a reply lost after every retry, a context
// ended mid-call, a store write after Amazon's answer that failed — leaves
// the payment with its reference id for Reconcile, and the page gets
// NextPending. Reconcile settles it by repeating the same call or reading
// Get*Details, never by a new attempt. CRASHPOINTS.md, beside this
// package's source, lists every crash point the tests kill a process at
// and what the store and Amazon held after the restart's Reconcile.
//
// # Declines
//
// As Amazon recommends, per reason code:
//
//	InvalidPaymentMethod, Abandoned      the wallet of the same order reference, a new attempt (NextChooseAnotherPaymentMethod)
//	PaymentAuthorizationRequired         the same
//	AmazonRejected, Failure              CancelOrderReference, back to the cart with the buyer message (NextBackToCart)
//	TransactionTimedOut                  the same: see below
//	ProcessingFailure, an ErrorCode      retry later, nothing canceled (NextRetryLater)
//
// TransactionTimedOut on a synchronous authorization: Amazon recommends
// either retrying asynchronously or canceling and asking the buyer for
// another payment method. The buyer is on the return page waiting, so
// the package cancels the order reference and sends the buyer back to the
// cart, where a fresh checkout starts. An authorization refused because
// the order reference is no longer Open is judged by reading it: Canceled
// or Closed cancel the payment, Suspended asks for another method.
//
// # States
//
// A Payment moves through these states; Paid and Canceled are final.
//
//	State        What is committed                                      What Reconcile does
//	confirmed    the attempt's nonce; Confirm's calls may have run      nothing: the buyer is expected back
//	declined     the attempt ended, no money moved (Reason says why)    nothing: Confirm starts the next attempt
//	authorizing  the authorization's reference id and amount            repeats the authorization (same reference id)
//	capturing    the authorization's id; the capture's reference id     repeats the capture, or reads it by its id
//	unknown      a call whose outcome is unknown, with its reference id repeats it, or reads Amazon's object
//	canceling    the decision to cancel                                 CancelOrderReference / CloseBillingAgreement
//	paid         Amazon's authorization and capture ids                 nothing
//	canceled     why                                                    nothing
//
// # Notifications
//
// Apply is idempotent by NotificationReferenceId (recorded in the same
// store transaction as the change it causes) and never moves a payment
// backwards. A notification about a payment the store does not know yet
// is kept and applied when the payment is created. Apply calls Amazon for
// nothing; a payment it leaves with a call to make is finished by the
// Return in progress or the next Reconcile.
//
// # Subscriptions
//
// ConfirmSubscription sets and confirms the billing agreement; Return
// validates it (ValidateBillingAgreement) and makes the first charge with
// AuthorizeOnBillingAgreement and CaptureNow, under the same rules. The
// monthly charges go through ChargeSubscriptions, which uses
// amazonpay.ChargeBillingAgreements with a reference id per agreement and
// period and records each outcome on the subscription.
//
// The subscription's first charge is made on an order reference Amazon
// creates for it; notifications about that order reference's objects are
// kept unapplied (the reply, or Reconcile's repeat of it, settles the
// charge).
package checkout
