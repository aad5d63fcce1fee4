package main

import (
	"bufio"
	"errors"
	"log/slog"
	"net"
	"net/http"
	"strings"

	"github.com/amazonpay-go/amazonpay/amazonpaytest"
)

// logRequests writes one line per request: the host, the MWS Action (or
// the control method, or the path for pages and scripts), the status and
// the MWS request id. Never the query, the form or a header: they carry
// signatures, access tokens and the buyer's data.
func logRequests(log *slog.Logger, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rec := &statusRecorder{ResponseWriter: w}
		defer func() {
			status := rec.status
			if rec.hijacked {
				status = 0 // the sandbox dropped the connection (an injected fault)
			} else if status == 0 {
				status = http.StatusOK
			}
			action := r.URL.Path
			if a := r.PostForm.Get("Action"); a != "" { // the sandbox parsed the form of an MWS call
				action = a
			} else if m, ok := strings.CutPrefix(r.URL.Path, amazonpaytest.ControlPath); ok && m != "" {
				action = "control:" + m
			}
			log.Info("request", "host", r.Host, "method", r.Method, "action", action, "status", status,
				"request_id", rec.Header().Get("x-mws-request-id"))
		}()
		next.ServeHTTP(rec, r)
	})
}

// statusRecorder notes the status, and lets the sandbox drop a connection.
type statusRecorder struct {
	http.ResponseWriter
	status   int
	hijacked bool
}

func (s *statusRecorder) WriteHeader(code int) {
	if s.status == 0 {
		s.status = code
	}
	s.ResponseWriter.WriteHeader(code)
}

func (s *statusRecorder) Write(b []byte) (int, error) {
	if s.status == 0 {
		s.status = http.StatusOK
	}
	return s.ResponseWriter.Write(b)
}

// Hijack passes the connection on, for the sandbox's connection-reset faults.
func (s *statusRecorder) Hijack() (net.Conn, *bufio.ReadWriter, error) {
	hj, ok := s.ResponseWriter.(http.Hijacker)
	if !ok {
		return nil, nil, errors.New("amazonpaytest: the connection cannot be hijacked")
	}
	s.hijacked = true
	return hj.Hijack()
}

// Flush passes flushes on.
func (s *statusRecorder) Flush() {
	if f, ok := s.ResponseWriter.(http.Flusher); ok {
		f.Flush()
	}
}
