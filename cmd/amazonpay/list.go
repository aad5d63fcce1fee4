package main

import (
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/amazonpay-go/amazonpay"
	"github.com/spf13/cobra"
)

type listRow struct {
	ID            string  `json:"id"`
	State         string  `json:"state"`
	ReasonCode    string  `json:"reason_code,omitempty"`
	Created       *string `json:"created,omitempty"`
	OrderTotal    string  `json:"order_total,omitempty"`
	SellerOrderID string  `json:"seller_order_id,omitempty"`
}

func (a *app) listCommand() *cobra.Command {
	var sellerOrderID, from, to, states, sort string
	cmd := &cobra.Command{
		Use:   "list --seller-order-id ID [--from TIME] [--to TIME] [--state Open,Suspended]",
		Short: "List the order references of a seller order id (every page)",
		Long: `list finds order references by your SellerOrderId (ListOrderReference, then
every further page), optionally created in a time range (RFC 3339 times or
dates) and in some states.`,
		Example: `  amazonpay list --seller-order-id order-1001
  amazonpay list --seller-order-id order-1001 --from 2026-11-01 --to 2026-12-01 --state Open,Suspended --json`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			in := &amazonpay.ListOrderReferenceInput{QueryID: sellerOrderID, QueryIDType: amazonpay.QueryIDTypeSellerOrderID,
				SortOrder: amazonpay.SortOrder(sort)}
			if strings.TrimSpace(sellerOrderID) == "" {
				return usageErr("list: --seller-order-id is required (ListOrderReference's QueryId)")
			}
			var r amazonpay.TimeRange
			for _, t := range []struct {
				flag, v string
				dst     *time.Time
			}{{"--from", from, &r.StartTime}, {"--to", to, &r.EndTime}} {
				if t.v == "" {
					continue
				}
				parsed, err := parseTime(t.v)
				if err != nil {
					return usageErr("list: %s %q is not an RFC 3339 time or a date (2026-11-01)", t.flag, truncate(t.v, 40))
				}
				*t.dst = parsed
			}
			if !r.StartTime.IsZero() || !r.EndTime.IsZero() {
				in.CreatedTimeRange = &r
			}
			for _, s := range strings.Split(states, ",") {
				if s = strings.TrimSpace(s); s != "" {
					in.OrderReferenceStatusListFilter = append(in.OrderReferenceStatusListFilter, amazonpay.OrderReferenceState(s))
				}
			}
			c, err := a.client(false)
			if err != nil {
				return err
			}
			rows := []listRow{}
			for oro, err := range c.ListOrderReferenceAll(cmd.Context(), in, a.callOptions()...) {
				if err != nil {
					return err
				}
				row := listRow{ID: oro.AmazonOrderReferenceID, State: string(oro.OrderReferenceStatus.State),
					ReasonCode: string(oro.OrderReferenceStatus.ReasonCode), Created: tsPtr(oro.CreationTimestamp), OrderTotal: price(oro.OrderTotal)}
				if oro.SellerOrderAttributes != nil {
					row.SellerOrderID = oro.SellerOrderAttributes.SellerOrderID
				}
				rows = append(rows, row)
			}
			return a.emit(rows, func(w io.Writer) {
				tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
				_, _ = fmt.Fprintln(tw, "ID\tSTATE\tREASON\tCREATED\tTOTAL")
				for _, r := range rows {
					_, _ = fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", r.ID, r.State, r.ReasonCode, deref(r.Created), r.OrderTotal)
				}
				_ = tw.Flush()
				_, _ = fmt.Fprintf(w, "%d order reference(s)\n", len(rows))
			})
		},
	}
	f := cmd.Flags()
	f.StringVar(&sellerOrderID, "seller-order-id", "", "your SellerOrderId (required)")
	f.StringVar(&from, "from", "", "created at or after (RFC 3339 or YYYY-MM-DD)")
	f.StringVar(&to, "to", "", "created at or before (RFC 3339 or YYYY-MM-DD)")
	f.StringVar(&states, "state", "", "comma-separated states: Draft, Open, Suspended, Canceled, Closed")
	f.StringVar(&sort, "sort", "", "Ascending or Descending (MWS default: Descending)")
	return cmd
}

func parseTime(s string) (time.Time, error) {
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t, nil
	}
	return time.Parse("2006-01-02", s)
}

type statusView struct {
	Service         string   `json:"service_status"`
	ServiceTime     *string  `json:"service_timestamp,omitempty"`
	ServiceMessages []string `json:"service_messages,omitempty"`
	Account         string   `json:"account_status"`
	SellerID        string   `json:"seller_id"`
	Sandbox         bool     `json:"sandbox"`
	Region          string   `json:"region"`
}

func (a *app) statusCommand() *cobra.Command {
	return &cobra.Command{
		Use:   "status",
		Short: "Show the service's health and the merchant account's status",
		Long: `status calls GetServiceStatus (throttled hard by MWS: 2 calls, then one per
5 minutes; do not poll it) and GetMerchantAccountStatus.`,
		Example: `  amazonpay status
  amazonpay status --json`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			c, err := a.client(false)
			if err != nil {
				return err
			}
			ctx, opts := cmd.Context(), a.callOptions()
			svc, err := c.GetServiceStatus(ctx, &amazonpay.GetServiceStatusInput{}, opts...)
			if err != nil {
				return err
			}
			acct, err := c.GetMerchantAccountStatus(ctx, &amazonpay.GetMerchantAccountStatusInput{}, opts...)
			if err != nil {
				return err
			}
			cfg := c.Config()
			v := statusView{Service: string(svc.Status), ServiceTime: tsPtr(svc.Timestamp), Account: string(acct.AccountStatus),
				SellerID: cfg.SellerID, Sandbox: cfg.Sandbox, Region: string(cfg.Region)}
			for _, m := range svc.Messages {
				v.ServiceMessages = append(v.ServiceMessages, m.Locale+": "+m.Text)
			}
			return a.emit(v, func(w io.Writer) {
				f := newFields(w)
				env := "production"
				if v.Sandbox {
					env = "sandbox"
				}
				f.add("Seller", fmt.Sprintf("%s (%s, %s)", v.SellerID, v.Region, env))
				f.add("Service", v.Service)
				for _, m := range v.ServiceMessages {
					f.add("Message", m)
				}
				f.add("Account", v.Account)
				f.flush()
			})
		},
	}
}
