package amazonpay

import (
	"context"
	"errors"
	"iter"
)

// ListOrderReferenceAll iterates over every order reference that
// ListOrderReference finds, following NextPageToken with
// ListOrderReferenceByNextToken page after page. It stops at the first
// error, which it yields with a zero OrderReference, and when ctx ends. A
// page whose NextPageToken repeats an earlier one, and an empty page that
// still carries a NextPageToken, end the iteration with an
// *UnexpectedResponseError rather than looping.
//
//	for oro, err := range c.ListOrderReferenceAll(ctx, in) {
//		if err != nil {
//			return err
//		}
//		...
//	}
func (c *Client) ListOrderReferenceAll(ctx context.Context, in *ListOrderReferenceInput, opts ...CallOption) iter.Seq2[OrderReference, error] {
	return func(yield func(OrderReference, error) bool) {
		ctx := asBatch(ctx) // an adaptive limiter paces a batch from its first call
		first, err := c.ListOrderReference(ctx, in, opts...)
		if err != nil {
			yield(OrderReference{}, err)
			return
		}
		page, token := first.OrderReferences, first.NextPageToken
		seen := map[string]bool{}
		for {
			for _, oro := range page {
				if !yield(oro, nil) {
					return
				}
			}
			if token == "" {
				return
			}
			if len(page) == 0 {
				// Each empty page with a fresh token would loop for ever.
				yield(OrderReference{}, &UnexpectedResponseError{Operation: "ListOrderReferenceByNextToken", StatusCode: 200,
					Err: errors.New("an empty page with a NextPageToken")})
				return
			}
			if seen[token] {
				yield(OrderReference{}, &UnexpectedResponseError{Operation: "ListOrderReferenceByNextToken", StatusCode: 200,
					Err: errors.New("the same NextPageToken came back twice")})
				return
			}
			seen[token] = true
			if err := ctx.Err(); err != nil {
				yield(OrderReference{}, err)
				return
			}
			next, err := c.ListOrderReferenceByNextToken(ctx, &ListOrderReferenceByNextTokenInput{NextPageToken: token}, opts...)
			if err != nil {
				yield(OrderReference{}, err)
				return
			}
			page, token = next.OrderReferences, next.NextPageToken
		}
	}
}
