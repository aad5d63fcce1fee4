package checkouttest

import (
	"encoding/json"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/amazonpay-go/amazonpay/checkout"
)

// storeEveryFieldRoundTrips fills every field of a Payment by reflection,
// so a field added to Payment later is covered without a change here, and
// checks each way in and out of the store keeps them all.
func storeEveryFieldRoundTrips(t *testing.T, s checkout.Store) {
	ctx := t.Context()
	fill := func(seed int, version int64) *checkout.Payment {
		p := new(checkout.Payment)
		storeFill(t, reflect.ValueOf(p).Elem(), seed, "Payment", 0)
		p.ID, p.Version = "pay-full", version
		// The payment's JSON must round-trip by itself, or no store can.
		data, err := json.Marshal(p)
		storeMust(t, "json.Marshal(Payment)", err)
		var back checkout.Payment
		storeMust(t, "json.Unmarshal(Payment)", json.Unmarshal(data, &back))
		if d := storeDiff(&back, p); d != "" {
			t.Fatalf("Payment's own JSON does not round-trip (not the store's fault): %s", d)
		}
		return p
	}
	v1 := fill(1, 1)
	storeMust(t, "Create", s.Create(ctx, v1))
	storeHas(t, s, v1)
	got, err := s.GetByAmazonID(ctx, v1.AmazonID())
	storeMust(t, "GetByAmazonID", err)
	storeSame(t, "GetByAmazonID", got, v1)
	list, err := s.List(ctx, []checkout.State{v1.State}, 0)
	storeMust(t, "List", err)
	if len(list) != 1 {
		t.Fatalf("List: %d payments, want 1", len(list))
	}
	storeSame(t, "List", list[0], v1)

	v2 := fill(2, 2)
	storeMust(t, "Update", s.Update(ctx, v2))
	storeHas(t, s, v2)
	v3 := fill(3, 3)
	storeMust(t, "RecordNotification", s.RecordNotification(ctx, storeNotification("n-1", v3.AmazonID(), 0), v3))
	storeHas(t, s, v3)
}

// storeFill sets every exported field that JSON carries to a value other
// than its zero, derived from seed (each seed gives other values). It fails
// the test on a kind of field it cannot fill: teach it, rather than leave
// the field untested.
func storeFill(t *testing.T, v reflect.Value, seed int, path string, depth int) {
	t.Helper()
	if depth > 8 {
		return // a recursive type: deep enough
	}
	switch v.Type() {
	case reflect.TypeFor[time.Time]():
		zone := time.FixedZone(fmt.Sprintf("UTC+%d", seed), seed*3600)
		v.Set(reflect.ValueOf(time.Date(2020+seed, time.Month(seed), 10+seed, 11, 12, 13, 123456789*seed%1e9+len(path), zone)))
		return
	case reflect.TypeFor[checkout.Kind]():
		// An enumeration: a value a decoder might check.
		kind := checkout.KindSubscription
		if seed%2 == 0 {
			kind = checkout.KindPurchase
		}
		v.Set(reflect.ValueOf(kind))
		return
	}
	switch v.Kind() {
	case reflect.String:
		v.SetString(fmt.Sprintf("%s-%d", path, seed))
	case reflect.Bool:
		v.SetBool(seed%2 == 1)
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		v.SetInt(int64(seed*10 + len(path)%7 + 1))
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		v.SetUint(uint64(seed*10 + len(path)%7 + 1))
	case reflect.Float32, reflect.Float64:
		v.SetFloat(float64(seed) + 0.25)
	case reflect.Pointer:
		v.Set(reflect.New(v.Type().Elem()))
		storeFill(t, v.Elem(), seed, path, depth+1)
	case reflect.Slice:
		v.Set(reflect.MakeSlice(v.Type(), 2, 2))
		fallthrough
	case reflect.Array:
		for i := 0; i < v.Len(); i++ {
			storeFill(t, v.Index(i), seed+i, fmt.Sprintf("%s[%d]", path, i), depth+1)
		}
	case reflect.Map:
		m := reflect.MakeMap(v.Type())
		key, elem := reflect.New(v.Type().Key()).Elem(), reflect.New(v.Type().Elem()).Elem()
		storeFill(t, key, seed, path+".key", depth+1)
		storeFill(t, elem, seed, path+".value", depth+1)
		m.SetMapIndex(key, elem)
		v.Set(m)
	case reflect.Struct:
		for i := 0; i < v.NumField(); i++ {
			f := v.Type().Field(i)
			if !f.IsExported() || strings.Split(f.Tag.Get("json"), ",")[0] == "-" {
				continue // not part of the record
			}
			storeFill(t, v.Field(i), seed, path+"."+f.Name, depth+1)
		}
	default:
		t.Fatalf("storeFill: cannot fill %s of kind %s: teach checkouttest's TestStore", path, v.Kind())
	}
}

// storeDiff describes the first difference between got and want, or is
// "": times are compared as instants, nil and empty slices and maps are
// alike (JSON's omitempty makes one of the other), and only what JSON
// carries counts.
func storeDiff(got, want *checkout.Payment) string {
	return storeDiffValue("Payment", reflect.ValueOf(got), reflect.ValueOf(want))
}

func storeDiffValue(path string, got, want reflect.Value) string {
	if got.Type() == reflect.TypeFor[time.Time]() {
		g, w := got.Interface().(time.Time), want.Interface().(time.Time)
		if !g.Equal(w) {
			return fmt.Sprintf("%s = %v, want %v", path, g, w)
		}
		return ""
	}
	switch got.Kind() {
	case reflect.Pointer, reflect.Interface:
		if got.IsNil() || want.IsNil() {
			if got.IsNil() != want.IsNil() {
				return fmt.Sprintf("%s: nil and not nil", path)
			}
			return ""
		}
		return storeDiffValue(path, got.Elem(), want.Elem())
	case reflect.Struct:
		for i := 0; i < got.NumField(); i++ {
			f := got.Type().Field(i)
			if !f.IsExported() || strings.Split(f.Tag.Get("json"), ",")[0] == "-" {
				continue
			}
			if d := storeDiffValue(path+"."+f.Name, got.Field(i), want.Field(i)); d != "" {
				return d
			}
		}
		return ""
	case reflect.Slice, reflect.Array:
		if got.Len() != want.Len() {
			return fmt.Sprintf("%s has %d elements, want %d", path, got.Len(), want.Len())
		}
		for i := 0; i < got.Len(); i++ {
			if d := storeDiffValue(fmt.Sprintf("%s[%d]", path, i), got.Index(i), want.Index(i)); d != "" {
				return d
			}
		}
		return ""
	case reflect.Map:
		if got.Len() != want.Len() {
			return fmt.Sprintf("%s has %d entries, want %d", path, got.Len(), want.Len())
		}
		for _, k := range want.MapKeys() {
			g := got.MapIndex(k)
			if !g.IsValid() {
				return fmt.Sprintf("%s lacks key %v", path, k)
			}
			if d := storeDiffValue(fmt.Sprintf("%s[%v]", path, k), g, want.MapIndex(k)); d != "" {
				return d
			}
		}
		return ""
	}
	if !reflect.DeepEqual(got.Interface(), want.Interface()) {
		return fmt.Sprintf("%s = %#v, want %#v", path, got.Interface(), want.Interface())
	}
	return ""
}
