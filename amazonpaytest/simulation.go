package amazonpaytest

import (
	"bytes"
	"encoding/json"
	"slices"
	"strconv"
	"strings"
)

// Sandbox simulation strings (spec §5): a JSON object
// {"SandboxSimulation": {...}} in a free-text parameter of the call that
// triggers the outcome. Whitespace is free; values are case-sensitive. A
// string naming a combination that the object does not have is refused
// with 400 InvalidSandboxSimulationSpecified. With WithLive the text is a
// plain note.

// simContext is where a simulation string was found.
type simContext int

const (
	simOrderNote   simContext = iota // SellerNote of SetOrderReferenceDetails / SetOrderAttributes / CreateOrderReferenceForId
	simBANote                        // SellerNote of SetBillingAgreementDetails
	simAuthNote                      // SellerAuthorizationNote of Authorize / AuthorizeOnBillingAgreement
	simCaptureNote                   // SellerCaptureNote of Capture
	simRefundNote                    // SellerRefundNote of Refund
	simClosure                       // ClosureReason of CloseOrderReference / CloseBillingAgreement
)

// simulation is a parsed simulation string.
type simulation struct {
	State, ReasonCode string
	UpdateMins        int   // PaymentMethodUpdateTimeInMins, 0 if absent
	ExpirationMins    int   // ExpirationTimeInMins, 0 if absent
	SoftDecline       *bool // SoftDecline, nil if absent
	Constraint        string
	AuthnState        string // PaymentAuthenticationStatus.State
}

// validPairs lists the State/ReasonCode pairs each context accepts ("" =
// no reason code).
var validPairs = map[simContext][]string{
	simAuthNote: {"Declined/InvalidPaymentMethod", "Declined/AmazonRejected", "Declined/TransactionTimedOut",
		"Declined/ProcessingFailure", "Closed/ExpiredUnused", "Closed/AmazonClosed", "Pending/"},
	simCaptureNote: {"Pending/", "Declined/AmazonRejected", "Declined/ProcessingFailure", "Closed/AmazonClosed"},
	simRefundNote:  {"Declined/AmazonRejected"},
	simClosure:     {"Closed/AmazonClosed"},
}

func simError(reason string) *apiError {
	return &apiError{400, "Sender", "InvalidSandboxSimulationSpecified",
		"The sandbox simulation specified is invalid: " + reason}
}

// parseSimulation returns the simulation in text, nil if there is none.
// The caller runs it inside an operation: errors abort the call.
func (c *call) simulation(ctx simContext, text string) *simulation {
	if c.h.cfg.live || !strings.Contains(text, "SandboxSimulation") {
		return nil
	}
	s, e := parseSimulation(ctx, text)
	if e != nil {
		panic(e)
	}
	return s
}

func parseSimulation(ctx simContext, text string) (*simulation, *apiError) {
	var outer map[string]json.RawMessage
	if err := json.Unmarshal([]byte(text), &outer); err != nil {
		return nil, simError("it is not a JSON object")
	}
	raw, ok := outer["SandboxSimulation"]
	if !ok || len(outer) != 1 {
		return nil, simError(`it must be {"SandboxSimulation": {...}}`)
	}
	var inner map[string]json.RawMessage
	if err := json.Unmarshal(raw, &inner); err != nil || inner == nil {
		return nil, simError("SandboxSimulation is not an object")
	}
	s := &simulation{}
	for key, v := range inner {
		var err error
		switch key {
		case "State":
			err = json.Unmarshal(v, &s.State)
		case "ReasonCode":
			err = json.Unmarshal(v, &s.ReasonCode)
		case "Constraint":
			err = json.Unmarshal(v, &s.Constraint)
		case "PaymentMethodUpdateTimeInMins":
			s.UpdateMins, err = minutes(v)
		case "ExpirationTimeInMins":
			s.ExpirationMins, err = minutes(v)
		case "SoftDecline":
			var b bool
			b, err = boolish(v)
			s.SoftDecline = &b
		case "PaymentAuthenticationStatus":
			var pas map[string]string
			err = json.Unmarshal(v, &pas)
			if err == nil && (len(pas) != 1 || pas["State"] == "") {
				return nil, simError(`PaymentAuthenticationStatus must be {"State": "Failure"|"Abandoned"}`)
			}
			s.AuthnState = pas["State"]
		default:
			return nil, simError("unknown key " + strconv.Quote(key))
		}
		if err != nil {
			return nil, simError("bad value of " + key)
		}
	}
	if e := s.check(ctx); e != nil {
		return nil, e
	}
	return s, nil
}

// check validates the combination for the context.
func (s *simulation) check(ctx simContext) *apiError {
	if ctx == simOrderNote || ctx == simBANote {
		switch {
		case s.State != "" || s.ReasonCode != "" || s.UpdateMins != 0 || s.ExpirationMins != 0 || s.SoftDecline != nil:
			return simError("a seller note takes only Constraint or PaymentAuthenticationStatus")
		case s.Constraint != "" && s.AuthnState != "":
			return simError("give either Constraint or PaymentAuthenticationStatus")
		case s.Constraint != "" && s.Constraint != "PaymentMethodNotAllowed":
			return simError("the constraint " + s.Constraint + " cannot be simulated")
		case s.AuthnState != "" && s.AuthnState != "Failure" && s.AuthnState != "Abandoned":
			return simError("PaymentAuthenticationStatus State must be Failure or Abandoned")
		case s.Constraint == "" && s.AuthnState == "":
			return simError("nothing to simulate")
		}
		return nil
	}
	if s.Constraint != "" || s.AuthnState != "" {
		return simError("Constraint and PaymentAuthenticationStatus belong in a SellerNote")
	}
	pair := s.State + "/" + s.ReasonCode
	if !slices.Contains(validPairs[ctx], pair) {
		return simError("State " + strconv.Quote(s.State) + " with ReasonCode " + strconv.Quote(s.ReasonCode) + " is not a valid combination here")
	}
	if (s.UpdateMins != 0 || s.SoftDecline != nil) && pair != "Declined/InvalidPaymentMethod" {
		return simError("PaymentMethodUpdateTimeInMins and SoftDecline go with Declined/InvalidPaymentMethod only")
	}
	if s.ExpirationMins != 0 && pair != "Closed/ExpiredUnused" {
		return simError("ExpirationTimeInMins goes with Closed/ExpiredUnused only")
	}
	return nil
}

// maxSimMinutes bounds PaymentMethodUpdateTimeInMins and
// ExpirationTimeInMins: 30 days, the longest an authorization lives. Amazon
// documents no bound; a larger value is refused rather than overflowing.
const maxSimMinutes = 30 * 24 * 60

// minutes reads a whole number from 1 to maxSimMinutes, given as a JSON
// number or string.
func minutes(v json.RawMessage) (int, error) {
	s := string(bytes.Trim(v, `"`))
	n, err := strconv.Atoi(s)
	if err != nil || n <= 0 || n > maxSimMinutes {
		return 0, strconv.ErrSyntax
	}
	return n, nil
}

// boolish reads true/false given as a JSON boolean or string.
func boolish(v json.RawMessage) (bool, error) {
	return strconv.ParseBool(string(bytes.Trim(v, `"`)))
}

// applyNoteSimulation records the effect of a simulation string in a
// seller note. A note without one clears an earlier simulation, as
// overwriting the SellerNote does in the sandbox.
func applyNoteSimulation(b *buyerSide, s *simulation) {
	b.simNotAllow, b.simAuthn = false, ""
	if s == nil {
		return
	}
	b.simNotAllow = s.Constraint == "PaymentMethodNotAllowed"
	b.simAuthn = s.AuthnState
}
