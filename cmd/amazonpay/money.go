package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"

	"github.com/amazonpay-go/amazonpay"
	"github.com/spf13/cobra"
)

// A money command without --yes runs the very call it would make through a
// client whose transport sends nothing: the library validates and encodes
// the request as usual, the transport keeps the form and refuses. What is
// printed is what would go on the wire, not a second rendering of it.

var errNotSent = errors.New("not sent: dry run")

type recordingTransport struct {
	mu   sync.Mutex
	form url.Values
}

func (t *recordingTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	if r.Body != nil {
		b, err := io.ReadAll(r.Body)
		_ = r.Body.Close()
		if err == nil {
			form, _ := url.ParseQuery(string(b))
			t.mu.Lock()
			t.form = form
			t.mu.Unlock()
		}
	}
	return nil, errNotSent
}

// envelope are the signing parameters, left out of what a dry run shows.
var envelope = []string{"AWSAccessKeyId", "Signature", "SignatureMethod", "SignatureVersion", "Timestamp", "Version"}

// planned is a request a money command would send.
type planned struct {
	Sent        bool              `json:"sent"`
	Action      string            `json:"action"`
	Parameters  map[string]string `json:"parameters"`
	ReferenceID string            `json:"reference_id,omitempty"`
	Command     string            `json:"command"` // the command that sends it
}

// moneyCall is one money command: the MWS call, how to show its result,
// and the command line that sends exactly it.
type moneyCall struct {
	action      string
	referenceID string // "" for close and cancel
	yes         bool
	command     string // the command line to send it, without --yes
	call        func(ctx context.Context, c *amazonpay.Client) (*objectView, error)
}

func (a *app) doMoney(ctx context.Context, m moneyCall) error {
	if !m.yes {
		return a.dryRun(ctx, m)
	}
	c, err := a.client(false)
	if err != nil {
		return err
	}
	if m.referenceID != "" && !a.flags.json {
		_, _ = fmt.Fprintf(a.stderr, "%s reference id: %s (if the outcome is unknown, re-run with --reference-id %s: MWS repeats the request instead of doubling it)\n",
			m.action, m.referenceID, m.referenceID)
	}
	v, err := m.call(ctx, c)
	if err != nil {
		if m.referenceID != "" && ambiguous(err) {
			return fmt.Errorf("%w; the outcome is unknown: re-run with --reference-id %s to repeat it safely", err, m.referenceID)
		}
		return err
	}
	return a.emit(struct {
		Sent        bool   `json:"sent"`
		Action      string `json:"action"`
		ReferenceID string `json:"reference_id,omitempty"`
		*objectView
	}{true, m.action, m.referenceID, v}, func(w io.Writer) {
		_, _ = fmt.Fprintf(w, "%s sent.\n", m.action)
		printObject(w, v, "")
	})
}

// ambiguous reports whether err leaves open whether MWS acted.
func ambiguous(err error) bool {
	var re *amazonpay.RequestError
	var ue *amazonpay.UnexpectedResponseError
	return errors.As(err, &re) || errors.As(err, &ue)
}

func (a *app) dryRun(ctx context.Context, m moneyCall) error {
	cfg, err := a.config()
	if err != nil {
		return err
	}
	rec := &recordingTransport{}
	opts := []amazonpay.Option{amazonpay.WithHTTPClient(&http.Client{Transport: rec}), amazonpay.WithClock(a.now),
		amazonpay.WithRetryPolicy(amazonpay.RetryPolicy{}), amazonpay.WithRateLimiter(nil)}
	if u := firstNonEmpty(a.flags.sandboxURL, a.getenv(envSandboxURL)); u != "" {
		opts = append(opts, amazonpay.WithEndpoint(u))
	}
	c, err := amazonpay.NewClient(cfg, opts...)
	if err != nil {
		return err
	}
	_, err = m.call(ctx, c)
	if !errors.Is(err, errNotSent) {
		if err == nil {
			err = errors.New("dry run: the call did not reach the transport")
		}
		return err
	}
	rec.mu.Lock()
	form := rec.form
	rec.mu.Unlock()
	p := planned{Action: m.action, Parameters: map[string]string{}, ReferenceID: m.referenceID, Command: m.command + " --yes"}
	for k, vs := range form {
		if !slices.Contains(envelope, k) && k != "Action" && len(vs) > 0 {
			p.Parameters[k] = vs[0]
		}
	}
	if err := a.emit(p, func(w io.Writer) {
		_, _ = fmt.Fprintf(w, "Would send %s (not sent: no --yes):\n", m.action)
		keys := make([]string, 0, len(p.Parameters))
		for k := range p.Parameters {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		f := newFields(w)
		for _, k := range keys {
			f.add(k, p.Parameters[k])
		}
		f.flush()
		_, _ = fmt.Fprintf(w, "To send it: %s\n", p.Command)
	}); err != nil {
		return err
	}
	return &exitError{code: exitNotSent}
}

// amountFlags are --amount, --currency and --reference-id.
type amountFlags struct {
	amount, currency, referenceID, note string
	yes                                 bool
}

func (f *amountFlags) register(cmd *cobra.Command, noteName string) {
	fl := cmd.Flags()
	fl.StringVar(&f.amount, "amount", "", "amount as decimal text, e.g. 10.00 (required)")
	fl.StringVar(&f.currency, "currency", "", "ISO 4217 currency (default: AMAZON_PAY_CURRENCY or the region's)")
	fl.StringVar(&f.referenceID, "reference-id", "", "your reference id; repeat one to repeat a request instead of doubling it (default: a new one, printed)")
	fl.StringVar(&f.note, "note", "", noteName+" (appears in the buyer's e-mail)")
	fl.BoolVar(&f.yes, "yes", false, "send it (without: show the request and exit 3)")
}

// resolve checks the amount and fixes the reference id, once per invocation.
func (a *app) resolveAmount(f *amountFlags) (*amazonpay.Price, error) {
	if strings.TrimSpace(f.amount) == "" {
		return nil, usageErr("--amount is required, e.g. --amount 10.00")
	}
	if f.referenceID == "" {
		f.referenceID = a.newReferenceID()
	}
	return &amazonpay.Price{Amount: strings.TrimSpace(f.amount), CurrencyCode: strings.ToUpper(strings.TrimSpace(f.currency))}, nil
}

func (f *amountFlags) commandLine(verb, id string) string {
	s := fmt.Sprintf("amazonpay %s %s --amount %s", verb, id, f.amount)
	if f.currency != "" {
		s += " --currency " + f.currency
	}
	if f.note != "" {
		s += " --note " + shellQuote(f.note)
	}
	return s + " --reference-id " + f.referenceID
}

func shellQuote(s string) string { return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'" }

func (a *app) captureCommand() *cobra.Command {
	var f amountFlags
	cmd := &cobra.Command{
		Use:   "capture AUTHORIZATION_ID --amount AMOUNT [--currency EUR] [--reference-id R] --yes",
		Short: "Capture an Open authorization",
		Example: `  amazonpay capture S02-1234567-1234567-A000001 --amount 10.00            # shows the request, exit 3
  amazonpay capture S02-1234567-1234567-A000001 --amount 10.00 --currency EUR --reference-id cap-1001 --yes`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			id := strings.TrimSpace(args[0])
			if k, err := kindOf(id); err != nil || k != kindAuthorization {
				return inputErr(fmt.Errorf("capture: AUTHORIZATION_ID %q is not an authorization id (…-A123456)", truncate(id, 40)))
			}
			amount, err := a.resolveAmount(&f)
			if err != nil {
				return err
			}
			return a.doMoney(cmd.Context(), moneyCall{action: "Capture", referenceID: f.referenceID, yes: f.yes, command: f.commandLine("capture", id),
				call: func(ctx context.Context, c *amazonpay.Client) (*objectView, error) {
					out, err := c.Capture(ctx, &amazonpay.CaptureInput{AmazonAuthorizationID: id, CaptureReferenceID: f.referenceID,
						CaptureAmount: amount, SellerCaptureNote: f.note}, a.callOptions()...)
					if err != nil {
						return nil, err
					}
					return captureView(&out.CaptureDetails), nil
				}})
		},
	}
	f.register(cmd, "SellerCaptureNote")
	return cmd
}

func (a *app) refundCommand() *cobra.Command {
	var f amountFlags
	cmd := &cobra.Command{
		Use:   "refund CAPTURE_ID --amount AMOUNT [--currency EUR] [--reference-id R] --yes",
		Short: "Refund a Completed capture",
		Example: `  amazonpay refund S02-1234567-1234567-C000001 --amount 5.00              # shows the request, exit 3
  amazonpay refund S02-1234567-1234567-C000001 --amount 5.00 --reference-id ref-1001 --yes`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			id := strings.TrimSpace(args[0])
			if k, err := kindOf(id); err != nil || k != kindCapture {
				return inputErr(fmt.Errorf("refund: CAPTURE_ID %q is not a capture id (…-C123456)", truncate(id, 40)))
			}
			amount, err := a.resolveAmount(&f)
			if err != nil {
				return err
			}
			return a.doMoney(cmd.Context(), moneyCall{action: "Refund", referenceID: f.referenceID, yes: f.yes, command: f.commandLine("refund", id),
				call: func(ctx context.Context, c *amazonpay.Client) (*objectView, error) {
					out, err := c.Refund(ctx, &amazonpay.RefundInput{AmazonCaptureID: id, RefundReferenceID: f.referenceID,
						RefundAmount: amount, SellerRefundNote: f.note}, a.callOptions()...)
					if err != nil {
						return nil, err
					}
					return refundView(&out.RefundDetails), nil
				}})
		},
	}
	f.register(cmd, "SellerRefundNote")
	return cmd
}

func (a *app) closeCommand() *cobra.Command {
	var reason string
	var yes bool
	cmd := &cobra.Command{
		Use:   "close ID [--reason TEXT] --yes",
		Short: "Close an order reference, billing agreement or authorization",
		Long: `close closes an order reference (no new authorizations; Open ones can still
be captured), a billing agreement (no more charges) or an authorization (no
capture), told by the shape of ID.`,
		Example: `  amazonpay close S02-1234567-1234567 --reason "order shipped in full" --yes
  amazonpay close C02-1234567-1234567 --reason "subscription ended" --yes`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			id := strings.TrimSpace(args[0])
			kind, err := kindOf(id)
			if err != nil {
				return inputErr(err)
			}
			m := moneyCall{yes: yes, command: "amazonpay close " + id}
			if reason != "" {
				m.command += " --reason " + shellQuote(reason)
			}
			opts := a.callOptions()
			switch kind {
			case kindOrderReference:
				m.action = "CloseOrderReference"
				m.call = func(ctx context.Context, c *amazonpay.Client) (*objectView, error) {
					if _, err := c.CloseOrderReference(ctx, &amazonpay.CloseOrderReferenceInput{AmazonOrderReferenceID: id, ClosureReason: reason}, opts...); err != nil {
						return nil, err
					}
					return a.fetch(ctx, c, kind, id, false)
				}
			case kindBillingAgreement:
				m.action = "CloseBillingAgreement"
				m.call = func(ctx context.Context, c *amazonpay.Client) (*objectView, error) {
					if _, err := c.CloseBillingAgreement(ctx, &amazonpay.CloseBillingAgreementInput{AmazonBillingAgreementID: id, ClosureReason: reason}, opts...); err != nil {
						return nil, err
					}
					return a.fetch(ctx, c, kind, id, false)
				}
			case kindAuthorization:
				m.action = "CloseAuthorization"
				m.call = func(ctx context.Context, c *amazonpay.Client) (*objectView, error) {
					if _, err := c.CloseAuthorization(ctx, &amazonpay.CloseAuthorizationInput{AmazonAuthorizationID: id, ClosureReason: reason}, opts...); err != nil {
						return nil, err
					}
					return a.fetch(ctx, c, kind, id, false)
				}
			default:
				return inputErr(fmt.Errorf("close: ID %q is a %s; only order references, billing agreements and authorizations close", id, spaced(string(kind))))
			}
			return a.doMoney(cmd.Context(), m)
		},
	}
	cmd.Flags().StringVar(&reason, "reason", "", "ClosureReason (becomes the ReasonDescription)")
	cmd.Flags().BoolVar(&yes, "yes", false, "send it (without: show the request and exit 3)")
	return cmd
}

func (a *app) cancelCommand() *cobra.Command {
	var reason string
	var yes bool
	cmd := &cobra.Command{
		Use:     "cancel ORDER_REFERENCE_ID [--reason TEXT] --yes",
		Short:   "Cancel an order reference that has no captures",
		Example: `  amazonpay cancel S02-1234567-1234567 --reason "out of stock" --yes`,
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			id := strings.TrimSpace(args[0])
			if k, err := kindOf(id); err != nil || k != kindOrderReference {
				return inputErr(fmt.Errorf("cancel: ORDER_REFERENCE_ID %q is not an order reference id (S02-1234567-1234567)", truncate(id, 40)))
			}
			m := moneyCall{action: "CancelOrderReference", yes: yes, command: "amazonpay cancel " + id}
			if reason != "" {
				m.command += " --reason " + shellQuote(reason)
			}
			m.call = func(ctx context.Context, c *amazonpay.Client) (*objectView, error) {
				if _, err := c.CancelOrderReference(ctx, &amazonpay.CancelOrderReferenceInput{AmazonOrderReferenceID: id, CancelationReason: reason}, a.callOptions()...); err != nil {
					return nil, err
				}
				return a.fetch(ctx, c, kindOrderReference, id, false)
			}
			return a.doMoney(cmd.Context(), m)
		},
	}
	cmd.Flags().StringVar(&reason, "reason", "", "CancelationReason")
	cmd.Flags().BoolVar(&yes, "yes", false, "send it (without: show the request and exit 3)")
	return cmd
}
