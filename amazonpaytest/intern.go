package amazonpaytest

import (
	"strings"

	"github.com/amazonpay-go/amazonpay"
)

// A sandbox keeps every object it made, so what each one holds is what a
// long run costs (BenchmarkSandboxGrowth). Most of the text a request
// carries is the same from one checkout to the next (the action, the
// seller, the currency, the return URLs, the buyer's name and address);
// the sandbox keeps one copy of each instead of one per object.

// maxInterned bounds each table, so that text that is never repeated
// (reference ids, notes) costs a long run at most a fixed amount: once a
// table is full, new text is copied as it was before.
const maxInterned = 4096

// interner holds one copy of each string and address it was given. The
// caller holds Handler.mu.
type interner struct {
	strs   map[string]string
	addrs  map[amazonpay.Address]*amazonpay.Address
	buyers map[amazonpay.Buyer]*buyerIdentity
	texts  map[statusText]*statusText
}

// status returns the shared copy of t.
func (in *interner) status(t statusText) *statusText {
	if k, ok := in.texts[t]; ok {
		return k
	}
	k := &statusText{State: in.str(t.State), Reason: in.str(t.Reason), Desc: in.str(t.Desc)}
	if len(in.texts) < maxInterned {
		if in.texts == nil {
			in.texts = map[statusText]*statusText{}
		}
		in.texts[*k] = k
	}
	return k
}

// identity returns the shared identity of the buyer b.
func (in *interner) identity(b amazonpay.Buyer) *buyerIdentity {
	if id, ok := in.buyers[b]; ok {
		return id
	}
	id := &buyerIdentity{
		buyer:  amazonpay.Buyer{Name: in.str(b.Name), Email: in.str(b.Email), Phone: in.str(b.Phone)},
		userID: in.str(userID(b.Name, b.Email)),
	}
	if len(in.buyers) < maxInterned {
		if in.buyers == nil {
			in.buyers = map[amazonpay.Buyer]*buyerIdentity{}
		}
		in.buyers[b] = id
	}
	return id
}

// str returns the kept copy of s, keeping a copy of it if there is room.
// The result never shares memory with s, so that a value of a request
// body does not keep the whole body alive.
func (in *interner) str(s string) string {
	if s == "" {
		return ""
	}
	if k, ok := in.strs[s]; ok {
		return k
	}
	k := strings.Clone(s)
	if len(in.strs) < maxInterned {
		if in.strs == nil {
			in.strs = map[string]string{}
		}
		in.strs[k] = k
	}
	return k
}

// addr returns a shared copy of a. Addresses of objects are replaced,
// never changed in place, so objects may share one.
func (in *interner) addr(a *amazonpay.Address) *amazonpay.Address {
	if a == nil {
		return nil
	}
	if k, ok := in.addrs[*a]; ok {
		return k
	}
	k := *a
	for _, f := range []*string{&k.Name, &k.AddressLine1, &k.AddressLine2, &k.AddressLine3, &k.City, &k.County,
		&k.District, &k.StateOrRegion, &k.PostalCode, &k.CountryCode, &k.Phone} {
		*f = in.str(*f)
	}
	if len(in.addrs) < maxInterned {
		if in.addrs == nil {
			in.addrs = map[amazonpay.Address]*amazonpay.Address{}
		}
		in.addrs[k] = &k
	}
	return &k
}

// form replaces every value of form by its kept copy; Signature and
// Timestamp, which no two requests share, are copied without filling the
// table.
func (in *interner) form(form map[string][]string) {
	for key, vs := range form {
		for i, v := range vs {
			if key == "Signature" || key == "Timestamp" {
				vs[i] = strings.Clone(v)
			} else {
				vs[i] = in.str(v)
			}
		}
	}
}
