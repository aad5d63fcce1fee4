package checkout_test

import (
	"context"
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/amazonpay-go/amazonpay/amazonpaytest"
	"github.com/amazonpay-go/amazonpay/checkout"
)

// The Confirmation Flow page itself failed (Amazon redirects to the
// FailureUrl with an ErrorCode): the attempt ends without an
// authorization, nothing is canceled, and the buyer may try again.
func TestReturnConfirmationFlowError(t *testing.T) {
	e := newEnv(t, checkout.Config{CaptureNow: true})
	oro := e.orderReference(amazonpaytest.PaymentMethodSCAPass)
	_, err := e.p.Confirm(ctx, checkout.Purchase{ID: "order-1", OrderReferenceID: oro, Total: eur("10.00")})
	require.NoError(t, err)
	e.sb.InjectFault(amazonpaytest.ConfirmationFlow, 1, amazonpaytest.Fault{Kind: amazonpaytest.FaultInternalError})
	q := e.flow(oro)
	require.Equal(t, "InternalServerError", q.Get("ErrorCode"))

	out, err := e.p.Return(ctx, q)
	require.NoError(t, err)
	assert.Equal(t, checkout.NextRetryLater, out.Next)
	assert.Equal(t, checkout.StateDeclined, out.Payment.State)
	assert.Equal(t, "ErrorCode:InternalServerError", out.Payment.Reason)
	assert.Empty(t, out.BuyerMessage("en-GB"))
	assert.Empty(t, e.sb.RequestsFor("Authorize"))
	assert.Empty(t, e.sb.RequestsFor("CancelOrderReference"))
	assert.Equal(t, "Open", e.sb.State(oro))

	// "buy now" again: the next attempt pays.
	pay, err := e.p.Confirm(ctx, checkout.Purchase{ID: "order-1", OrderReferenceID: oro, Total: eur("10.00")})
	require.NoError(t, err)
	assert.Equal(t, 2, pay.Attempt)
	out, err = e.p.Return(ctx, e.flow(oro))
	require.NoError(t, err)
	assert.Equal(t, checkout.NextPaid, out.Next)
	assert.Equal(t, amazonpaytest.MoneyMovements{Authorizations: 1, Captures: 1}, e.sb.MoneyMovements())
}

// failingStore is a store whose writes fail while fail is set, as a
// database that is down would.
type failingStore struct {
	checkout.Store
	fail bool
}

var errDatabaseDown = errors.New("database is down")

func (s *failingStore) Update(ctx context.Context, p *checkout.Payment) error {
	if s.fail {
		return errDatabaseDown
	}
	return s.Store.Update(ctx, p)
}

func (s *failingStore) List(ctx context.Context, states []checkout.State, limit int) ([]*checkout.Payment, error) {
	if s.fail {
		return nil, errDatabaseDown
	}
	return s.Store.List(ctx, states, limit)
}

// A payment whose authorization's reply was lost, and Reconcile cannot
// settle it now: its context has ended, or the store fails. Each is in
// the report's Errors, nothing is charged twice, and the next Reconcile
// settles it.
func TestReconcileCannotSettleNow(t *testing.T) {
	e := newEnv(t, checkout.Config{CaptureNow: true})
	oro := e.orderReference(amazonpaytest.PaymentMethodSCAPass)
	_, err := e.p.Confirm(ctx, checkout.Purchase{ID: "order-1", OrderReferenceID: oro, Total: eur("10.00")})
	require.NoError(t, err)
	q := e.flow(oro)
	e.sb.InjectFault("Authorize", 4, amazonpaytest.Fault{Kind: amazonpaytest.FaultAppliedThenDropped})
	out, err := e.p.Return(ctx, q)
	require.NoError(t, err)
	require.Equal(t, checkout.StateUnknown, out.Payment.State)
	n := len(e.sb.Requests())

	canceled, cancel := context.WithCancel(ctx)
	cancel()
	rep, err := e.p.Reconcile(canceled)
	assert.ErrorIs(t, err, context.Canceled, "the memory store's List refuses an ended context")
	assert.Nil(t, rep)

	fs := &failingStore{Store: e.store}
	p, err := checkout.New(e.sb.AmazonPay(), fs, checkout.Config{ReturnURL: returnURL, CaptureNow: true})
	require.NoError(t, err)
	fs.fail = true
	rep, err = p.Reconcile(ctx)
	assert.ErrorIs(t, err, errDatabaseDown)
	assert.Nil(t, rep)

	// The list works, the writes fail: the payment cannot be claimed.
	fs.fail = false
	list, err := fs.List(ctx, []checkout.State{checkout.StateUnknown}, 0)
	require.NoError(t, err)
	require.Len(t, list, 1)
	fs.fail = true
	ls := &listOnly{failingStore: fs, list: list}
	p, err = checkout.New(e.sb.AmazonPay(), ls, checkout.Config{ReturnURL: returnURL, CaptureNow: true})
	require.NoError(t, err)
	rep, err = p.Reconcile(ctx)
	require.NoError(t, err)
	assert.Equal(t, 1, rep.Checked)
	assert.ErrorIs(t, rep.Errors["order-1"], errDatabaseDown)
	assert.Empty(t, rep.Settled)
	assert.Len(t, e.sb.Requests(), n, "not claimed, so not repeated")
	// A store that lists despite the ended context: Reconcile stops there.
	fs.fail = false
	rep, err = p.Reconcile(canceled)
	require.NoError(t, err)
	assert.ErrorIs(t, rep.Errors["order-1"], context.Canceled)
	assert.Len(t, e.sb.Requests(), n)

	rep, err = e.p.Reconcile(ctx)
	require.NoError(t, err)
	assert.Equal(t, map[checkout.State]int{checkout.StatePaid: 1}, rep.Settled)
	assert.Empty(t, rep.Errors)
	assert.Equal(t, amazonpaytest.MoneyMovements{Authorizations: 1, Captures: 1}, e.sb.MoneyMovements())
}

// listOnly lists what it was given and fails every write.
type listOnly struct {
	*failingStore
	list []*checkout.Payment
}

func (s *listOnly) List(context.Context, []checkout.State, int) ([]*checkout.Payment, error) {
	return s.list, nil
}
