package amazonpay

import (
	"context"
	"crypto"
	"crypto/rsa"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"time"
)

// MaxNotificationBytes is the largest SNS message Verify accepts: Amazon
// SNS messages are at most 256 KiB.
const MaxNotificationBytes = 256 << 10

// DefaultMaxNotificationAge is how old a notification's SNS Timestamp may
// be unless WithMaxNotificationAge says otherwise: long enough for SNS
// redeliveries to a shop that was down for hours, short enough that an old
// notification cannot be replayed forever.
const DefaultMaxNotificationAge = 24 * time.Hour

// maxFutureSkew is how far ahead of the verifier's clock a notification's
// Timestamp may be (clocks differ); further ahead is a forgery.
const maxFutureSkew = 15 * time.Minute

// snsCertName is the name the SNS signing certificate is issued to.
const snsCertName = "sns.amazonaws.com"

// ErrNotificationRejected is wrapped by every error of Verify for a
// notification that is forged, tampered with, replayed or malformed. Such
// a notification must never be acted on, and redelivering it cannot help.
var ErrNotificationRejected = errors.New("amazonpay: notification rejected")

// NotificationErrorReason says why Verify failed.
type NotificationErrorReason string

// Why Verify fails. Every reason except CertificateUnavailable means the
// notification is rejected (errors.Is(err, ErrNotificationRejected)).
const (
	// NotificationTooLarge: the body exceeds MaxNotificationBytes.
	NotificationTooLarge NotificationErrorReason = "TooLarge"
	// NotificationMalformed: not an SNS JSON message, a required field is
	// missing, or the Message inside is not an Amazon Pay notification.
	NotificationMalformed NotificationErrorReason = "Malformed"
	// NotificationMessageType: the x-amz-sns-message-type header is missing,
	// unknown or disagrees with Type (or a x-amz-sns-topic-arn header with TopicArn).
	NotificationMessageType NotificationErrorReason = "MessageType"
	// NotificationCertURL: SigningCertURL is not an https .pem file on an
	// sns.<region>.amazonaws.com host. Nothing was fetched.
	NotificationCertURL NotificationErrorReason = "CertURL"
	// NotificationSignatureVersion: SignatureVersion is neither 1 nor 2.
	NotificationSignatureVersion NotificationErrorReason = "SignatureVersion"
	// NotificationTopic: TopicArn (or the SellerId of the Message) is not
	// one of the seller ids the verifier was given.
	NotificationTopic NotificationErrorReason = "Topic"
	// NotificationStale: the Timestamp is older than the maximum age, or
	// too far in the future.
	NotificationStale NotificationErrorReason = "Stale"
	// NotificationCertificate: the signing certificate does not chain to a
	// trusted root, is not valid at the message time, is not issued to
	// sns.amazonaws.com, or holds no RSA key. Err is the x509 error.
	NotificationCertificate NotificationErrorReason = "Certificate"
	// NotificationSignature: the signature does not match the message.
	NotificationSignature NotificationErrorReason = "Signature"
	// NotificationCertificateUnavailable: the signing certificate could not
	// be fetched (network, HTTP status). The notification is not known to
	// be forged: answer 5xx so that SNS delivers it again.
	NotificationCertificateUnavailable NotificationErrorReason = "CertificateUnavailable"
	// NotificationUnconfigured: the verifier names no seller: it was made
	// with neither WithNotificationSellerIDs nor WithAnyNotificationSeller,
	// and refuses every notification, before any fetch, until it is. The
	// notification may be genuine: NotificationHandler answers 500, so that
	// SNS delivers it again once the shop is configured.
	NotificationUnconfigured NotificationErrorReason = "Unconfigured"
)

// NotificationError is the error of Verify. It never holds buyer data.
type NotificationError struct {
	Reason NotificationErrorReason
	Field  string // the SNS field or header at fault, e.g. "SigningCertURL"
	Detail string // what was wrong, for logs
	Err    error  // the cause, e.g. an x509.CertificateInvalidError; may be nil
}

// Error gives the reason, the field and the cause.
func (e *NotificationError) Error() string {
	var b strings.Builder
	b.WriteString("amazonpay: notification ")
	if e.Reason == NotificationCertificateUnavailable {
		b.WriteString("not verified")
	} else {
		b.WriteString("rejected")
	}
	b.WriteString(" (" + string(e.Reason) + ")")
	if e.Field != "" {
		b.WriteString(": " + e.Field)
	}
	if e.Detail != "" {
		b.WriteString(": " + e.Detail)
	}
	if e.Err != nil {
		b.WriteString(": " + e.Err.Error())
	}
	return b.String()
}

// Unwrap returns the cause.
func (e *NotificationError) Unwrap() error { return e.Err }

// Is matches ErrNotificationRejected for every reason but
// NotificationCertificateUnavailable.
func (e *NotificationError) Is(target error) bool {
	return target == ErrNotificationRejected && e.Reason != NotificationCertificateUnavailable
}

// httpStatus is the answer the handler gives for the error: 400 for what
// is not an SNS notification at all, 403 for what fails authentication,
// 503 when authenticity could not be checked (SNS retries).
func (e *NotificationError) httpStatus() int {
	switch e.Reason {
	case NotificationCertificateUnavailable:
		return http.StatusServiceUnavailable
	case NotificationUnconfigured:
		return http.StatusInternalServerError
	case NotificationTooLarge:
		return http.StatusRequestEntityTooLarge
	case NotificationMalformed, NotificationMessageType:
		return http.StatusBadRequest
	}
	return http.StatusForbidden
}

func reject(reason NotificationErrorReason, field, detail string, err error) *NotificationError {
	return &NotificationError{Reason: reason, Field: field, Detail: detail, Err: err}
}

// NotificationVerifier checks that an HTTP request really is an Amazon SNS
// message signed by Amazon, then parses the Amazon Pay notification in it.
// It is safe for concurrent use; keep one per process so that signing
// certificates stay cached.
type NotificationVerifier struct {
	hc        *http.Client
	roots     *x509.CertPool // nil: the system roots
	now       func() time.Time
	maxAge    time.Duration
	sellerIDs []string
	anySeller bool // WithAnyNotificationSeller
	// topicAccounts are the AWS accounts whose SNS topics may publish; empty:
	// any (WithNotificationTopicAccounts()).
	topicAccounts []string
	logger        *slog.Logger
	certs         *certCache
}

// NotificationOption configures a NotificationVerifier.
type NotificationOption func(*NotificationVerifier)

// WithCertHTTPClient sets the client that fetches signing certificates
// (and their issuers named by the certificate's AIA extension). Without it
// the verifier uses its own client with a 10-second timeout that does not
// follow redirects.
func WithCertHTTPClient(hc *http.Client) NotificationOption {
	return func(v *NotificationVerifier) {
		if hc != nil {
			v.hc = hc
		}
	}
}

// WithCertRoots sets the roots the signing certificate must chain to
// (default: the system roots). Tests use it to trust a test CA, such as
// amazonpaytest's.
func WithCertRoots(pool *x509.CertPool) NotificationOption {
	return func(v *NotificationVerifier) { v.roots = pool }
}

// WithNotificationClock sets the clock for the message age and for the
// certificate cache's lifetime (default time.Now).
func WithNotificationClock(now func() time.Time) NotificationOption {
	return func(v *NotificationVerifier) {
		if now != nil {
			v.now = now
		}
	}
}

// WithMaxNotificationAge rejects notifications whose SNS Timestamp is older
// than d, against replays (default DefaultMaxNotificationAge). 0 turns the
// age check off.
func WithMaxNotificationAge(d time.Duration) NotificationOption {
	return func(v *NotificationVerifier) { v.maxAge = d }
}

// DefaultNotificationTopicAccounts are the AWS accounts whose SNS topics
// Amazon Pay publishes IPNs from, as Amazon's own notifications show
// (arn:aws:sns:<region>:291180941288:<marketplace><seller id>).
//
// Why it matters: SNS signs every topic's messages, in every AWS account,
// with the same sns.amazonaws.com certificate. A valid signature proves that
// a message came through SNS, not that Amazon Pay sent it: anyone can make a
// topic in an account of their own, named like a seller's, and have SNS sign
// any message they like. Only the topic's account tells them apart.
var DefaultNotificationTopicAccounts = []string{"291180941288"}

// WithNotificationTopicAccounts replaces DefaultNotificationTopicAccounts:
// the AWS account ids (the fifth field of TopicArn) whose topics are
// accepted, e.g. the account of the topic that Seller Central subscribed your
// IPN URL to, if Amazon publishes from another one in your region. With no
// ids at all any account is accepted, which lets anyone with an AWS account
// forge notifications: only for tests with a CA of their own.
func WithNotificationTopicAccounts(ids ...string) NotificationOption {
	return func(v *NotificationVerifier) { v.topicAccounts = append([]string{}, ids...) }
}

// WithNotificationSellerIDs accepts only notifications for these seller
// (merchant) ids: the SNS topic's name must end with one of them, and the
// SellerId of the notification must be one of them. A shop passes its own
// seller id. A verifier needs it (with at least one id) or
// WithAnyNotificationSeller: without either, Verify refuses every
// notification (NotificationUnconfigured), as SNS signs every merchant's
// genuine notifications alike and any merchant could replay its own to
// another shop's endpoint.
func WithNotificationSellerIDs(ids ...string) NotificationOption {
	return func(v *NotificationVerifier) {
		// An empty id (an unset variable) names no seller.
		v.sellerIDs = slices.DeleteFunc(append([]string(nil), ids...), func(id string) bool { return id == "" })
	}
}

// WithAnyNotificationSeller accepts the notifications of every seller: for
// a platform (a solution provider) that receives the IPNs of many sellers
// at one endpoint and tells them apart by Notification.SellerID itself. A
// single shop uses WithNotificationSellerIDs instead. Seller ids given with
// WithNotificationSellerIDs still restrict.
func WithAnyNotificationSeller() NotificationOption {
	return func(v *NotificationVerifier) { v.anySeller = true }
}

// errNoSellers is Verify's error for a verifier that names no seller.
func errNoSellers() *NotificationError {
	return reject(NotificationUnconfigured, "",
		"the verifier names no seller: pass WithNotificationSellerIDs(your seller id), or WithAnyNotificationSeller() on a platform serving many sellers", nil)
}

// WithNotificationLogger makes the verifier and its handler log rejected
// notifications and certificate fetches. Buyer data is never logged.
func WithNotificationLogger(l *slog.Logger) NotificationOption {
	return func(v *NotificationVerifier) { v.logger = l }
}

// NewNotificationVerifier returns a verifier for Amazon Pay's Instant
// Payment Notifications.
func NewNotificationVerifier(opts ...NotificationOption) *NotificationVerifier {
	v := &NotificationVerifier{
		now:           time.Now,
		maxAge:        DefaultMaxNotificationAge,
		certs:         newCertCache(certCacheSize, certCacheTTL),
		topicAccounts: DefaultNotificationTopicAccounts,
	}
	for _, o := range opts {
		o(v)
	}
	if v.hc == nil {
		v.hc = &http.Client{
			Timeout:       10 * time.Second,
			CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
		}
	}
	return v
}

// SNS message types.
const (
	snsNotification             = "Notification"
	snsSubscriptionConfirmation = "SubscriptionConfirmation"
	snsUnsubscribeConfirmation  = "UnsubscribeConfirmation"
)

// snsEnvelope is the JSON body SNS posts. Subject is a pointer: it is part
// of the string to sign only when present.
type snsEnvelope struct {
	Type             string  `json:"Type"`
	MessageID        string  `json:"MessageId"`
	Token            string  `json:"Token"`
	TopicArn         string  `json:"TopicArn"`
	Subject          *string `json:"Subject"`
	Message          string  `json:"Message"`
	Timestamp        string  `json:"Timestamp"`
	SignatureVersion string  `json:"SignatureVersion"`
	Signature        string  `json:"Signature"`
	SigningCertURL   string  `json:"SigningCertURL"`
	SubscribeURL     string  `json:"SubscribeURL"`
	UnsubscribeURL   string  `json:"UnsubscribeURL"`
}

// stringToSign builds the SNS string to sign from the raw field values, in
// the order SNS defines for the message type.
func (e *snsEnvelope) stringToSign() []byte {
	b := make([]byte, 0, len(e.Message)+len(e.MessageID)+len(e.TopicArn)+len(e.SubscribeURL)+len(e.Token)+len(e.Timestamp)+128)
	add := func(k, v string) {
		b = append(b, k...)
		b = append(b, '\n')
		b = append(b, v...)
		b = append(b, '\n')
	}
	add("Message", e.Message)
	add("MessageId", e.MessageID)
	if e.Type == snsNotification {
		if e.Subject != nil {
			add("Subject", *e.Subject)
		}
	} else {
		add("SubscribeURL", e.SubscribeURL)
	}
	add("Timestamp", e.Timestamp)
	if e.Type != snsNotification {
		add("Token", e.Token)
	}
	add("TopicArn", e.TopicArn)
	add("Type", e.Type)
	return b
}

// Verify checks an SNS message (its HTTP headers and body) and returns the
// notification in it. The checks, all before the Message is parsed: that
// the verifier names its sellers (WithNotificationSellerIDs) or accepts any
// (WithAnyNotificationSeller), else every notification is refused
// (NotificationUnconfigured) before any fetch; body size; x-amz-sns-message-type against Type; SigningCertURL (https, host
// sns.<region>.amazonaws.com[.cn], path ending .pem) before any fetch;
// SignatureVersion 1 (RSA-SHA1) or 2 (RSA-SHA256); the seller ids, if set;
// the message age; the certificate chain to the roots, its validity at the
// message time and its name sns.amazonaws.com; the signature over the raw
// fields. An error wraps ErrNotificationRejected unless the certificate
// could not be fetched (then the notification may be genuine: retry). A
// NotificationUnconfigured error is the shop's to fix: answer 5xx, so that
// SNS delivers the notification again.
//
// For a SubscriptionConfirmation or UnsubscribeConfirmation, the returned
// Notification carries the SNS fields (Type, SubscribeURL, ...) only.
func (v *NotificationVerifier) Verify(ctx context.Context, h http.Header, body []byte) (*Notification, error) {
	n, err := v.verify(ctx, h, body)
	if err != nil && v.logger != nil {
		var ne *NotificationError
		if errors.As(err, &ne) {
			v.logger.LogAttrs(ctx, slog.LevelWarn, "amazonpay: notification not accepted",
				slog.String("reason", string(ne.Reason)), slog.String("field", ne.Field), slog.String("error", err.Error()))
		}
	}
	return n, err
}

func (v *NotificationVerifier) verify(ctx context.Context, h http.Header, body []byte) (*Notification, error) {
	if len(v.sellerIDs) == 0 && !v.anySeller {
		return nil, errNoSellers()
	}
	env, ts, err := v.checkEnvelope(h, body)
	if err != nil {
		return nil, err
	}
	key, err := v.signingKey(ctx, env.SigningCertURL, ts)
	if err != nil {
		return nil, err
	}
	if err := checkSignature(env, key); err != nil {
		return nil, err
	}
	n := &Notification{
		Type:           env.Type,
		MessageID:      env.MessageID,
		TopicArn:       env.TopicArn,
		SNSTimestamp:   ts,
		SubscribeURL:   env.SubscribeURL,
		UnsubscribeURL: env.UnsubscribeURL,
		Message:        env.Message,
	}
	if env.Type != snsNotification {
		return n, nil
	}
	if err := n.parseMessage(); err != nil {
		return nil, err
	}
	if len(v.sellerIDs) > 0 && !slices.Contains(v.sellerIDs, n.SellerID) {
		return nil, reject(NotificationTopic, "SellerId", "not a seller id of this verifier", nil)
	}
	return n, nil
}

// checkEnvelope runs every check that needs no certificate.
func (v *NotificationVerifier) checkEnvelope(h http.Header, body []byte) (*snsEnvelope, time.Time, error) {
	if len(body) > MaxNotificationBytes {
		return nil, time.Time{}, reject(NotificationTooLarge, "", fmt.Sprintf("%d bytes, at most %d", len(body), MaxNotificationBytes), nil)
	}
	headerType := h.Get("X-Amz-Sns-Message-Type")
	switch headerType {
	case snsNotification, snsSubscriptionConfirmation, snsUnsubscribeConfirmation:
	case "":
		return nil, time.Time{}, reject(NotificationMessageType, "x-amz-sns-message-type", "missing", nil)
	default:
		return nil, time.Time{}, reject(NotificationMessageType, "x-amz-sns-message-type", "unknown message type", nil)
	}
	env := new(snsEnvelope)
	if err := json.Unmarshal(body, env); err != nil {
		return nil, time.Time{}, reject(NotificationMalformed, "", "body is not an SNS JSON message", err)
	}
	if env.Type != headerType {
		return nil, time.Time{}, reject(NotificationMessageType, "Type", "differs from the x-amz-sns-message-type header", nil)
	}
	if arn := h.Get("X-Amz-Sns-Topic-Arn"); arn != "" && arn != env.TopicArn {
		return nil, time.Time{}, reject(NotificationMessageType, "TopicArn", "differs from the x-amz-sns-topic-arn header", nil)
	}
	required := []struct{ name, value string }{
		{"MessageId", env.MessageID}, {"TopicArn", env.TopicArn}, {"Message", env.Message},
		{"Timestamp", env.Timestamp}, {"SignatureVersion", env.SignatureVersion},
		{"Signature", env.Signature}, {"SigningCertURL", env.SigningCertURL},
	}
	if env.Type != snsNotification {
		required = append(required, struct{ name, value string }{"SubscribeURL", env.SubscribeURL},
			struct{ name, value string }{"Token", env.Token})
	}
	for _, f := range required {
		if f.value == "" {
			return nil, time.Time{}, reject(NotificationMalformed, f.name, "missing", nil)
		}
	}
	if env.SignatureVersion != "1" && env.SignatureVersion != "2" {
		return nil, time.Time{}, reject(NotificationSignatureVersion, "SignatureVersion", "only 1 (RSA-SHA1) and 2 (RSA-SHA256) exist", nil)
	}
	if err := checkCertURL(env.SigningCertURL); err != nil {
		return nil, time.Time{}, err
	}
	if env.Type != snsNotification {
		// SubscribeURL is fetched when the shop confirms: it must be SNS's.
		if err := checkSNSURL("SubscribeURL", env.SubscribeURL); err != nil {
			return nil, time.Time{}, err
		}
	}
	if len(v.topicAccounts) > 0 && !slices.Contains(v.topicAccounts, topicAccount(env.TopicArn)) {
		return nil, time.Time{}, reject(NotificationTopic, "TopicArn", "not a topic of Amazon Pay's AWS accounts (WithNotificationTopicAccounts)", nil)
	}
	if len(v.sellerIDs) > 0 && !topicOfSeller(env.TopicArn, v.sellerIDs) {
		return nil, time.Time{}, reject(NotificationTopic, "TopicArn", "not the topic of a seller id of this verifier", nil)
	}
	ts, err := time.Parse(time.RFC3339Nano, env.Timestamp)
	if err != nil {
		return nil, time.Time{}, reject(NotificationMalformed, "Timestamp", "not an ISO 8601 time", nil)
	}
	if v.maxAge > 0 {
		now := v.now()
		if age := now.Sub(ts); age > v.maxAge {
			return nil, time.Time{}, reject(NotificationStale, "Timestamp", fmt.Sprintf("%s old, at most %s", age.Round(time.Second), v.maxAge), nil)
		}
		if ts.Sub(now) > maxFutureSkew {
			return nil, time.Time{}, reject(NotificationStale, "Timestamp", "in the future", nil)
		}
	}
	return env, ts, nil
}

// topicAccount returns the AWS account id of an SNS topic ARN, or "".
func topicAccount(arn string) string {
	parts := strings.Split(arn, ":")
	if len(parts) != 6 || parts[0] != "arn" || parts[2] != "sns" {
		return ""
	}
	return parts[4]
}

// topicOfSeller reports whether arn is an SNS topic ARN whose name ends with
// one of the seller ids: Amazon Pay names a seller's topic after the
// marketplace followed by the seller id.
func topicOfSeller(arn string, ids []string) bool {
	parts := strings.Split(arn, ":")
	if len(parts) != 6 || parts[0] != "arn" || parts[2] != "sns" {
		return false
	}
	name := parts[5]
	for _, id := range ids {
		if id != "" && len(name) > len(id) && strings.HasSuffix(name, id) {
			return true
		}
	}
	return false
}

// snsHost is an SNS regional endpoint: sns.<region>.amazonaws.com or, in
// China, .amazonaws.com.cn, with a region shaped as AWS names them
// (us-east-1, eu-west-1, us-gov-west-1, cn-north-1): not sns.s3-… or
// sns.execute-api…, which are other services' hosts.
var snsHost = regexp.MustCompile(`^sns\.[a-z]{2}(-[a-z]+)+-[0-9]+\.amazonaws\.com(\.cn)?$`)

// checkSNSURL accepts only https URLs on an SNS host: no user info, no
// port, no other scheme.
func checkSNSURL(field, raw string) *NotificationError {
	u, err := url.Parse(raw)
	switch {
	case err != nil:
		return reject(NotificationCertURL, field, "not a URL", nil)
	case u.Scheme != "https":
		return reject(NotificationCertURL, field, "scheme is not https", nil)
	case u.User != nil:
		return reject(NotificationCertURL, field, "has user info", nil)
	case u.Port() != "" || strings.HasSuffix(u.Host, ":"):
		return reject(NotificationCertURL, field, "has a port", nil)
	case !snsHost.MatchString(u.Host):
		return reject(NotificationCertURL, field, "host is not sns.<region>.amazonaws.com", nil)
	}
	return nil
}

// checkCertURL checks SigningCertURL before anything is fetched from it.
func checkCertURL(raw string) *NotificationError {
	if err := checkSNSURL("SigningCertURL", raw); err != nil {
		return err
	}
	u, _ := url.Parse(raw)
	if !strings.HasSuffix(u.Path, ".pem") || u.RawQuery != "" || u.Fragment != "" || strings.Contains(u.Path, "..") {
		return reject(NotificationCertURL, "SigningCertURL", "path is not a .pem file", nil)
	}
	return nil
}

func checkSignature(env *snsEnvelope, key *rsa.PublicKey) error {
	sig, err := base64.StdEncoding.DecodeString(env.Signature)
	if err != nil {
		return reject(NotificationSignature, "Signature", "not base64", nil)
	}
	msg := env.stringToSign()
	if env.SignatureVersion == "1" {
		sum := sha1.Sum(msg)
		err = rsa.VerifyPKCS1v15(key, crypto.SHA1, sum[:], sig)
	} else {
		sum := sha256.Sum256(msg)
		err = rsa.VerifyPKCS1v15(key, crypto.SHA256, sum[:], sig)
	}
	if err != nil {
		return reject(NotificationSignature, "Signature", "does not match the message", err)
	}
	return nil
}

// parseCerts reads PEM certificates, or one DER certificate (as AIA
// "CA Issuers" URLs serve them).
func parseCerts(data []byte) ([]*x509.Certificate, error) {
	var certs []*x509.Certificate
	rest := data
	for {
		var block *pem.Block
		block, rest = pem.Decode(rest)
		if block == nil {
			break
		}
		if block.Type != "CERTIFICATE" {
			continue
		}
		c, err := x509.ParseCertificate(block.Bytes)
		if err != nil {
			return nil, err
		}
		certs = append(certs, c)
	}
	if len(certs) == 0 {
		c, err := x509.ParseCertificate(data)
		if err != nil {
			return nil, errors.New("no certificate in the file")
		}
		certs = append(certs, c)
	}
	return certs, nil
}
