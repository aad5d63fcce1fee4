package main

import (
	"bufio"
	"bytes"
	"crypto/x509"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"strings"
	"time"

	"github.com/amazonpay-go/amazonpay"
	"github.com/spf13/cobra"
)

func (a *app) explainCommand() *cobra.Command {
	var lang, kind string
	cmd := &cobra.Command{
		Use:   "explain CODE",
		Short: "Explain an error code, reason code, constraint or Confirmation Flow outcome",
		Long: `explain says what a code means, whether a retry can help and what to do, for
every MWS error code, reason code, constraint, AuthenticationStatus and
Confirmation Flow ErrorCode the amazonpay package knows. A code of several
kinds (CurrencyMismatch is an error code and a constraint) is explained as
each; --kind picks one. For an AuthenticationStatus it gives Amazon's message
for the buyer in --lang (en, de, fr, it, es).`,
		Example: `  amazonpay explain PaymentAuthorizationRequired
  amazonpay explain Abandoned --lang de
  amazonpay explain CurrencyMismatch --kind constraint --json`,
		Args: cobra.ExactArgs(1),
		ValidArgsFunction: func(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
			return allCodes(), cobra.ShellCompDirectiveNoFileComp
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			code := strings.TrimSpace(args[0])
			switch kind {
			case "", kindErrorCode, kindReasonCode, kindConstraint, kindAuthStatus, kindRedirectError:
			default:
				return usageErr("explain: --kind %q is not one of %q, %q, %q, %q, %q", kind, kindErrorCode, kindReasonCode, kindConstraint, kindAuthStatus, kindRedirectError)
			}
			list := explanations(code, kind, lang)
			if len(list) == 0 {
				return inputErr(fmt.Errorf("explain: CODE %q is not a code the amazonpay package knows (codes are case-sensitive, e.g. InvalidPaymentMethod)", truncate(code, 60)))
			}
			return a.emit(list, func(w io.Writer) {
				for i, e := range list {
					if i > 0 {
						_, _ = fmt.Fprintln(w)
					}
					_, _ = fmt.Fprintf(w, "%s (%s)\n", e.Code, e.Kind)
					f := newFields(w)
					f.add("Meaning", e.Meaning)
					f.add("Retry", e.Retry)
					f.add("What to do", e.Action)
					f.add("Buyer message ("+amazonpay.MessageLanguage(lang)+")", e.BuyerMessage)
					f.flush()
				}
			})
		},
	}
	cmd.Flags().StringVar(&lang, "lang", "en", "language of the buyer message: en, de, fr, it, es")
	cmd.Flags().StringVar(&kind, "kind", "", "only this kind: error code, reason code, constraint, authentication status, confirmation error code")
	return cmd
}

// allCodes lists every code explain knows, for shell completion.
func allCodes() []string {
	var out []string
	for c := range errorCodes {
		out = append(out, string(c))
	}
	for c := range reasonCodes {
		out = append(out, string(c))
	}
	for c := range constraints {
		out = append(out, string(c))
	}
	for c := range authStatuses {
		out = append(out, string(c))
	}
	for c := range redirectErrors {
		out = append(out, string(c))
	}
	return out
}

type redirectView struct {
	ErrorCode            string `json:"error_code,omitempty"`
	AuthenticationStatus string `json:"authentication_status,omitempty"`
	Action               string `json:"action"`
	Description          string `json:"description"`
	BuyerMessage         string `json:"buyer_message,omitempty"`
	Proceed              bool   `json:"proceed"`
}

func (a *app) redirectCommand() *cobra.Command {
	var lang string
	cmd := &cobra.Command{
		Use:   "redirect URL",
		Short: "Read a Confirmation Flow return URL as ParseConfirmationRedirect does",
		Long: `redirect reads the query of the buyer's return to SuccessUrl or FailureUrl
(ErrorCode first, then AuthenticationStatus) and prints the outcome, the
recommended action and the buyer message. The URL proves nothing: anyone can
open SuccessUrl with AuthenticationStatus=Success; authorize to know.`,
		Example: `  amazonpay redirect 'https://shop.example/amazon/fail?AuthenticationStatus=Abandoned' --lang de`,
		Args:    cobra.ExactArgs(1),
		RunE: func(_ *cobra.Command, args []string) error {
			u, err := url.Parse(strings.TrimSpace(args[0]))
			if err != nil {
				return inputErr(errors.New("redirect: URL is not a URL"))
			}
			res, err := amazonpay.ParseConfirmationRedirect(u.Query())
			if err != nil {
				return err
			}
			v := redirectView{ErrorCode: string(res.ErrorCode), AuthenticationStatus: string(res.AuthenticationStatus),
				Action: string(res.Action), Description: res.Action.Description(), BuyerMessage: res.BuyerMessage(lang), Proceed: res.Proceed()}
			return a.emit(v, func(w io.Writer) {
				f := newFields(w)
				f.add("ErrorCode", v.ErrorCode)
				f.add("AuthenticationStatus", v.AuthenticationStatus)
				f.add("Action", v.Action)
				f.add("What to do", v.Description)
				f.add("Buyer message ("+amazonpay.MessageLanguage(lang)+")", v.BuyerMessage)
				f.flush()
			})
		},
	}
	cmd.Flags().StringVar(&lang, "lang", "en", "language of the buyer message: en, de, fr, it, es (or an Accept-Language value)")
	return cmd
}

// notificationView is a verified notification without buyer data: the
// envelope, the kind, and the object's id and state.
type notificationView struct {
	Verified                bool        `json:"verified"`
	Type                    string      `json:"sns_type"`
	MessageID               string      `json:"sns_message_id"`
	TopicArn                string      `json:"topic_arn"`
	NotificationType        string      `json:"notification_type,omitempty"`
	NotificationReferenceID string      `json:"notification_reference_id,omitempty"`
	SellerID                string      `json:"seller_id,omitempty"`
	ReleaseEnvironment      string      `json:"release_environment,omitempty"`
	Timestamp               *string     `json:"timestamp,omitempty"`
	IsSample                bool        `json:"is_sample"`
	EventType               string      `json:"event_type,omitempty"`
	Object                  *objectView `json:"object,omitempty"`
	SubscribeURL            string      `json:"subscribe_url,omitempty"`
}

type rejectionView struct {
	Verified bool   `json:"verified"`
	Reason   string `json:"reason"`
	Field    string `json:"field,omitempty"`
	Detail   string `json:"detail"`
}

func (a *app) ipnCommand() *cobra.Command {
	ipn := &cobra.Command{
		Use:     "ipn",
		Short:   "Instant Payment Notifications",
		Example: `  amazonpay ipn verify saved-body.json --header 'x-amz-sns-message-type: Notification'`,
	}
	var headers []string
	var rootsFile, certFile string
	var maxAge time.Duration
	verify := &cobra.Command{
		Use:   "verify FILE|-",
		Short: "Verify a saved SNS body and print the notification, or why it was rejected",
		Long: `verify checks a saved IPN (the SNS JSON body, from FILE or - for standard
input) as the shop's handler would: the SNS signature and certificate, the
topic's account and seller, the age. It prints the typed notification (no
buyer data), or exactly why it was rejected (exit 1).

--header adds the request's headers if they were kept; without
x-amz-sns-message-type it is taken from the body's Type. --roots and
--signing-cert verify offline: a PEM file of trusted roots instead of the
system's, and the PEM file served at SigningCertURL instead of fetching it.
--max-age 0 accepts an old saved body.`,
		Example: `  amazonpay ipn verify ipn.json --max-age 0
  pbpaste | amazonpay ipn verify - --header 'x-amz-sns-message-type: Notification' --json`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			var body []byte
			var err error
			if args[0] == "-" {
				body, err = io.ReadAll(io.LimitReader(a.stdin, amazonpay.MaxNotificationBytes+1))
			} else {
				body, err = os.ReadFile(args[0])
			}
			if err != nil {
				return inputErr(fmt.Errorf("ipn verify: FILE cannot be read: %v", errors.Unwrap(err)))
			}
			h, err := parseHeaders(headers, body)
			if err != nil {
				return err
			}
			opts := []amazonpay.NotificationOption{amazonpay.WithMaxNotificationAge(maxAge), amazonpay.WithNotificationClock(a.now)}
			if a.certRoots != nil {
				opts = append(opts, amazonpay.WithCertRoots(a.certRoots))
			}
			if a.certClient != nil {
				opts = append(opts, amazonpay.WithCertHTTPClient(a.certClient))
			}
			if rootsFile != "" {
				pem, err := os.ReadFile(rootsFile)
				pool := x509.NewCertPool()
				if err != nil || !pool.AppendCertsFromPEM(pem) {
					return inputErr(errors.New("ipn verify: --roots is not a readable PEM file of certificates"))
				}
				opts = append(opts, amazonpay.WithCertRoots(pool))
			}
			if certFile != "" {
				pem, err := os.ReadFile(certFile)
				if err != nil {
					return inputErr(errors.New("ipn verify: --signing-cert cannot be read"))
				}
				opts = append(opts, amazonpay.WithCertHTTPClient(&http.Client{Transport: fileTransport(pem)}))
			}
			if id := firstNonEmpty(a.flags.sellerID, a.getenv(amazonpay.EnvSellerID)); id != "" {
				opts = append(opts, amazonpay.WithNotificationSellerIDs(id))
			}
			n, err := amazonpay.NewNotificationVerifier(opts...).Verify(cmd.Context(), h, body)
			var ne *amazonpay.NotificationError
			if errors.As(err, &ne) {
				v := rejectionView{Reason: string(ne.Reason), Field: ne.Field, Detail: oneLine(ne.Error())}
				if a.flags.json {
					_ = a.emit(v, nil)
				}
				return &exitError{code: exitFailed, err: err}
			}
			if err != nil {
				return err
			}
			v := viewNotification(n)
			return a.emit(v, func(w io.Writer) {
				_, _ = fmt.Fprintln(w, "Verified: a genuine notification.")
				f := newFields(w)
				f.add("SNS type", v.Type)
				f.add("Topic", v.TopicArn)
				f.add("Notification", v.NotificationType)
				f.add("Reference id", v.NotificationReferenceID)
				f.add("Seller", v.SellerID)
				f.add("Environment", v.ReleaseEnvironment)
				f.add("Timestamp", deref(v.Timestamp))
				f.add("Event", v.EventType)
				if v.IsSample {
					f.add("Sample", "yes (Seller Central's test tool)")
				}
				f.add("Subscribe URL", v.SubscribeURL)
				f.flush()
				if v.Object != nil {
					printObject(w, v.Object, "")
				}
			})
		},
	}
	verify.Flags().StringArrayVar(&headers, "header", nil, "a request header as 'Name: value' (repeatable)")
	verify.Flags().StringVar(&rootsFile, "roots", "", "PEM file of the trusted roots (default: the system's)")
	verify.Flags().StringVar(&certFile, "signing-cert", "", "PEM file served at SigningCertURL (default: fetch it)")
	verify.Flags().DurationVar(&maxAge, "max-age", amazonpay.DefaultMaxNotificationAge, "reject notifications older than this; 0: no age check")
	ipn.AddCommand(verify)
	return ipn
}

// parseHeaders reads --header lines; a missing x-amz-sns-message-type is
// the body's Type, which a saved body always has.
func parseHeaders(lines []string, body []byte) (http.Header, error) {
	h := http.Header{}
	for _, l := range lines {
		name, value, ok := strings.Cut(l, ":")
		if !ok || strings.TrimSpace(name) == "" {
			return nil, usageErr("ipn verify: --header %q: want 'Name: value'", truncate(l, 60))
		}
		h.Add(strings.TrimSpace(name), strings.TrimSpace(value))
	}
	if h.Get("x-amz-sns-message-type") == "" {
		var env struct{ Type string }
		_ = json.Unmarshal(bytes.TrimSpace(body), &env)
		if env.Type != "" {
			h.Set("x-amz-sns-message-type", env.Type)
		}
	}
	return h, nil
}

// fileTransport answers every GET with the same PEM file.
type fileTransport []byte

func (t fileTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	resp, err := http.ReadResponse(bufio.NewReader(strings.NewReader("HTTP/1.1 200 OK\r\nContent-Type: application/x-pem-file\r\n\r\n")), r)
	if err != nil {
		return nil, err
	}
	resp.Body = io.NopCloser(bytes.NewReader(t))
	resp.ContentLength = int64(len(t))
	return resp, nil
}

func viewNotification(n *amazonpay.Notification) notificationView {
	v := notificationView{Verified: true, Type: n.Type, MessageID: n.MessageID, TopicArn: n.TopicArn,
		NotificationType: string(n.NotificationType), NotificationReferenceID: n.NotificationReferenceID, SellerID: n.SellerID,
		ReleaseEnvironment: string(n.ReleaseEnvironment), Timestamp: tsPtr(n.Timestamp), IsSample: n.IsSample,
		EventType: string(n.EventType), SubscribeURL: n.SubscribeURL}
	switch {
	case n.OrderReference != nil:
		v.Object = orderReferenceView(n.OrderReference)
	case n.Authorization != nil:
		v.Object = authorizationView(n.Authorization)
	case n.Capture != nil:
		v.Object = captureView(n.Capture)
	case n.Refund != nil:
		v.Object = refundView(n.Refund)
	case n.BillingAgreement != nil:
		v.Object = billingAgreementView(n.BillingAgreement)
	}
	return v
}
