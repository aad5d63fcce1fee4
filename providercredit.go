package amazonpay

import (
	"context"
	"net/url"
	"time"
)

// Solution providers can take a share of a payment (a provider credit) on
// Authorize, Capture and AuthorizeOnBillingAgreement, and give it back (a
// provider credit reversal) on Refund or with ReverseProviderCredit.

// ProviderCredit is the share of a payment credited to a solution provider.
type ProviderCredit struct {
	ProviderID   string `url:"ProviderId"`   // required: the provider's seller id
	CreditAmount *Price `url:"CreditAmount"` // required; an empty currency takes the client's
}

// ProviderCreditList lists provider credits.
type ProviderCreditList []ProviderCredit

// EncodeValues emits key.member.N.ProviderId and key.member.N.CreditAmount.*, N from 1.
func (l ProviderCreditList) EncodeValues(key string, v *url.Values) error {
	return encodeStructs(key, "member", l, v)
}

func (l ProviderCreditList) check(v *validator, key string) {
	for i, pc := range l {
		v.present(itemKey(key, "member", i)+".CreditAmount.Amount", pc.CreditAmount != nil)
	}
}

// ProviderCreditReversal is a provider credit given back on a refund.
type ProviderCreditReversal struct {
	ProviderID           string `url:"ProviderId"`           // required
	CreditReversalAmount *Price `url:"CreditReversalAmount"` // required; an empty currency takes the client's
}

// ProviderCreditReversalList lists provider credit reversals.
type ProviderCreditReversalList []ProviderCreditReversal

// EncodeValues emits key.member.N.ProviderId and
// key.member.N.CreditReversalAmount.*, N from 1.
func (l ProviderCreditReversalList) EncodeValues(key string, v *url.Values) error {
	return encodeStructs(key, "member", l, v)
}

func (l ProviderCreditReversalList) check(v *validator, key string) {
	for i, r := range l {
		v.present(itemKey(key, "member", i)+".CreditReversalAmount.Amount", r.CreditReversalAmount != nil)
	}
}

// ProviderCreditSummary names a provider credit made by a capture.
type ProviderCreditSummary struct {
	ProviderID       string `xml:"ProviderId"`
	ProviderCreditID string `xml:"ProviderCreditId"`
}

// ProviderCreditReversalSummary names a provider credit reversal made by a refund.
type ProviderCreditReversalSummary struct {
	ProviderID               string `xml:"ProviderId"`
	ProviderCreditReversalID string `xml:"ProviderCreditReversalId"`
}

// ProviderCreditDetails is a provider credit as MWS describes it.
type ProviderCreditDetails struct {
	AmazonProviderCreditID string `xml:"AmazonProviderCreditId"`
	SellerID               string `xml:"SellerId"`
	ProviderID             string `xml:"ProviderId"`
	CreditReferenceID      string `xml:"CreditReferenceId"`
	CreditAmount           Price  `xml:"CreditAmount"`
	CreditReversalAmount   Price  `xml:"CreditReversalAmount"` // reversed so far
	// CreditReversalIDList holds the ids of the credit's reversals.
	CreditReversalIDList IDList                      `xml:"CreditReversalIdList"`
	CreationTimestamp    time.Time                   `xml:"CreationTimestamp"`
	CreditStatus         Status[ProviderCreditState] `xml:"CreditStatus"`
}

// ProviderCreditReversalDetails is a provider credit reversal as MWS describes it.
type ProviderCreditReversalDetails struct {
	AmazonProviderCreditReversalID string                      `xml:"AmazonProviderCreditReversalId"`
	SellerID                       string                      `xml:"SellerId"`
	ProviderID                     string                      `xml:"ProviderId"`
	CreditReversalReferenceID      string                      `xml:"CreditReversalReferenceId"`
	CreditReversalAmount           Price                       `xml:"CreditReversalAmount"`
	CreditReversalNote             string                      `xml:"CreditReversalNote"`
	CreationTimestamp              time.Time                   `xml:"CreationTimestamp"`
	CreditReversalStatus           Status[ProviderCreditState] `xml:"CreditReversalStatus"`
}

// GetProviderCreditDetailsInput is the input of GetProviderCreditDetails.
type GetProviderCreditDetailsInput struct {
	AmazonProviderCreditID string `url:"AmazonProviderCreditId"` // required
}

func (in *GetProviderCreditDetailsInput) validate(*validator) {}

// GetProviderCreditDetailsOutput is the output of GetProviderCreditDetails.
type GetProviderCreditDetailsOutput struct {
	ProviderCreditDetails ProviderCreditDetails `xml:"GetProviderCreditDetailsResult>ProviderCreditDetails"`
	ResponseMetadata
}

// GetProviderCreditDetails returns a provider credit (solution providers).
func (c *Client) GetProviderCreditDetails(ctx context.Context, in *GetProviderCreditDetailsInput, opts ...CallOption) (*GetProviderCreditDetailsOutput, error) {
	return invoke[GetProviderCreditDetailsOutput](ctx, c, "GetProviderCreditDetails", in, opts)
}

// GetProviderCreditReversalDetailsInput is the input of GetProviderCreditReversalDetails.
type GetProviderCreditReversalDetailsInput struct {
	AmazonProviderCreditReversalID string `url:"AmazonProviderCreditReversalId"` // required
}

func (in *GetProviderCreditReversalDetailsInput) validate(*validator) {}

// GetProviderCreditReversalDetailsOutput is the output of GetProviderCreditReversalDetails.
type GetProviderCreditReversalDetailsOutput struct {
	ProviderCreditReversalDetails ProviderCreditReversalDetails `xml:"GetProviderCreditReversalDetailsResult>ProviderCreditReversalDetails"`
	ResponseMetadata
}

// GetProviderCreditReversalDetails returns a provider credit reversal
// (solution providers).
func (c *Client) GetProviderCreditReversalDetails(ctx context.Context, in *GetProviderCreditReversalDetailsInput, opts ...CallOption) (*GetProviderCreditReversalDetailsOutput, error) {
	return invoke[GetProviderCreditReversalDetailsOutput](ctx, c, "GetProviderCreditReversalDetails", in, opts)
}

// ReverseProviderCreditInput is the input of ReverseProviderCredit.
type ReverseProviderCreditInput struct {
	AmazonProviderCreditID string `url:"AmazonProviderCreditId"` // required
	// CreditReversalReferenceID is the provider's unique id of the reversal:
	// 1 to 32 characters of A-Z a-z 0-9 _ -. Required.
	CreditReversalReferenceID string `url:"CreditReversalReferenceId"`
	CreditReversalAmount      *Price `url:"CreditReversalAmount"`         // required; an empty currency takes the client's
	CreditReversalNote        string `url:"CreditReversalNote,omitempty"` // ≤ 255 characters
}

func (in *ReverseProviderCreditInput) validate(v *validator) {
	v.present("CreditReversalAmount.Amount", in.CreditReversalAmount != nil)
}

// ReverseProviderCreditOutput is the output of ReverseProviderCredit.
type ReverseProviderCreditOutput struct {
	ProviderCreditReversalDetails ProviderCreditReversalDetails `xml:"ReverseProviderCreditResult>ProviderCreditReversalDetails"`
	ResponseMetadata
}

// ReverseProviderCredit gives (part of) a provider credit back to the
// merchant, outside of a refund (solution providers).
func (c *Client) ReverseProviderCredit(ctx context.Context, in *ReverseProviderCreditInput, opts ...CallOption) (*ReverseProviderCreditOutput, error) {
	return invoke[ReverseProviderCreditOutput](ctx, c, "ReverseProviderCredit", in, opts)
}

func (d ProviderCreditDetails) objectID() (string, string) {
	return "AmazonProviderCreditId", d.AmazonProviderCreditID
}

func (d ProviderCreditReversalDetails) objectID() (string, string) {
	return "AmazonProviderCreditReversalId", d.AmazonProviderCreditReversalID
}
