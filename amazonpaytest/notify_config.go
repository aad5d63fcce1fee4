package amazonpaytest

import (
	"fmt"
	"strings"
)

// The seller's notification configuration: where MWS sends its IPNs, for
// which event types (SetMerchantNotificationConfiguration and
// GetMerchantNotificationConfiguration).

// opSetMerchantNotificationConfiguration replaces the seller's
// notification URLs and their event types.
func opSetMerchantNotificationConfiguration(c *call) *xResult {
	const prefix = "NotificationConfigurationList.NotificationConfiguration."
	var list []merchantNotification
	for i := 1; ; i++ {
		item := fmt.Sprintf("%s%d.", prefix, i)
		u := c.p.Get(item + "NotificationUrl")
		if u == "" {
			break
		}
		if !strings.HasPrefix(u, "https://") && !strings.HasPrefix(u, "http://") {
			panic(invalidErr(item+"NotificationUrl", "is not an absolute URL"))
		}
		m := merchantNotification{url: u, events: map[string]bool{}}
		for j := 1; ; j++ {
			et := c.p.Get(fmt.Sprintf("%sEventTypes.EventTypeList.%d", item, j))
			if et == "" {
				break
			}
			m.events[et] = true
			m.eventList = append(m.eventList, et)
		}
		if len(m.events) == 0 {
			m.events["ALL"] = true
			m.eventList = []string{"ALL"}
		}
		list = append(list, m)
	}
	n := &c.h.notify
	n.mu.Lock()
	defer n.mu.Unlock()
	if n.merchant == nil {
		n.merchant = map[string][]merchantNotification{}
	}
	n.merchant[c.seller] = list
	return &xResult{}
}

// opGetMerchantNotificationConfiguration answers the seller's
// notification URLs and their event types, as the Set left them.
func opGetMerchantNotificationConfiguration(c *call) *xResult {
	n := &c.h.notify
	n.mu.Lock()
	defer n.mu.Unlock()
	list := &xNotificationConfigurationList{}
	for _, m := range n.merchant[c.seller] {
		list.Member = append(list.Member, xNotificationConfiguration{URL: m.url, EventTypes: m.eventList})
	}
	return &xResult{NotificationConfigurationList: list}
}

// xNotificationConfigurationList is the NotificationConfigurationList of
// GetMerchantNotificationConfigurationResult.
type xNotificationConfigurationList struct {
	Member []xNotificationConfiguration `xml:"member"`
}

type xNotificationConfiguration struct {
	URL        string   `xml:"NotificationUrl"`
	EventTypes []string `xml:"EventTypes>member"`
}

func init() {
	// Registered here to keep the IPN code together.
	ops["SetMerchantNotificationConfiguration"] = opSetMerchantNotificationConfiguration
	ops["GetMerchantNotificationConfiguration"] = opGetMerchantNotificationConfiguration
}
