package amazonpaytest

import (
	"bytes"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"strconv"
	"sync"
	"syscall"
	"time"
)

// A Go test in the same process does not need a socket to reach the
// sandbox. InProcessClient's transport hands each request to the Handler
// as net/http's server would after reading it off a connection (method,
// the request URI parsed as the server parses it, Host, the headers the
// client's transport adds, Content-Length or chunked, the body, a
// loopback remote address, the caller's context), and gives back the reply
// as the client would read it (status, headers with Date and
// Content-Length or chunked, the sniffed Content-Type, the body). So
// everything the sandbox checks — the signature over Host and path, the
// 1 MiB body limit, the Confirmation Flow's redirects, faults, delayed
// replies that end with the caller's context — happens as over loopback,
// without the kernel's sockets, a connection's goroutines or ports in
// TIME_WAIT.

// InProcessClient returns an *http.Client whose requests to the server's
// URL are served by the Handler in the caller's goroutine, without a
// socket; requests to any other host go through Client, over the network,
// as before. AmazonPay and FollowConfirmationFlow use it.
//
// What a socket would add, it imitates: a context that has ended before
// the request is an error and nothing is served; a reply delayed by a
// fault ends with the caller's context (the sandbox still acts, as a
// server does when the client hangs up); a dropped connection
// (FaultConnectionReset, FaultAppliedThenDropped) is the
// connection reset a client reads from a socket; after
// Close every request fails with the dial error of a refused connection,
// and Close waits for the in-process requests in flight. One thing it does
// not: a panic in the sandbox propagates to the caller instead of being
// logged by net/http and read as a closed connection, so that a bug in
// the sandbox fails the test that met it.
//
// Each call returns a new *http.Client (sharing one transport), so a test
// may change its CheckRedirect or Timeout freely.
func (s *Server) InProcessClient() *http.Client {
	return &http.Client{Transport: s.inProcess}
}

// inProcessTransport is the RoundTripper of InProcessClient.
type inProcessTransport struct {
	h    *Handler
	host string       // the server's host:port; other hosts go to next
	addr *net.TCPAddr // for the refused dial after Close
	next http.RoundTripper

	gate     sync.RWMutex // held shared by each request, exclusively by close
	closed   bool
	inFlight sync.WaitGroup
}

func newInProcessTransport(h *Handler, ts *httptest.Server) *inProcessTransport {
	u, err := url.Parse(ts.URL)
	if err != nil {
		panic("amazonpaytest: the server's own URL: " + err.Error())
	}
	addr, _ := net.ResolveTCPAddr("tcp", u.Host) // a literal 127.0.0.1:port
	return &inProcessTransport{h: h, host: u.Host, addr: addr, next: ts.Client().Transport}
}

// close refuses new requests and waits for those in flight.
func (t *inProcessTransport) close() {
	t.gate.Lock()
	t.closed = true
	t.gate.Unlock()
	t.inFlight.Wait()
}

// enter counts a request in, unless the server is closed.
func (t *inProcessTransport) enter() bool {
	t.gate.RLock()
	defer t.gate.RUnlock()
	if t.closed {
		return false
	}
	t.inFlight.Add(1)
	return true
}

// RoundTrip serves req in process if it is for the server.
func (t *inProcessTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	if req.URL.Scheme != "http" || req.URL.Host != t.host {
		return t.next.RoundTrip(req)
	}
	if req.Body != nil {
		defer func() { _ = req.Body.Close() }() // a RoundTripper closes the body, as net/http's does
	}
	if err := req.Context().Err(); err != nil {
		return nil, err // as http.Transport: nothing is sent
	}
	if !t.enter() {
		return nil, &net.OpError{Op: "dial", Net: "tcp", Addr: t.addr,
			Err: os.NewSyscallError("connect", syscall.ECONNREFUSED)}
	}
	defer t.inFlight.Done()
	sr, err := serverRequest(req)
	if err != nil {
		return nil, err
	}
	w := &inProcessWriter{header: http.Header{}}
	if !serveInProcess(t.h, w, sr) {
		// What a client reads from the socket the sandbox closed with a
		// reset (dropConnection).
		return nil, &net.OpError{Op: "read", Net: "tcp", Source: clientAddr, Addr: t.addr,
			Err: os.NewSyscallError("read", syscall.ECONNRESET)}
	}
	if err := req.Context().Err(); err != nil {
		return nil, err // the caller gave up before the reply, as over a socket
	}
	return w.response(req), nil
}

// serverRequest is req as net/http's server hands it to a handler after
// http.Transport sent it.
func serverRequest(req *http.Request) (*http.Request, error) {
	h := req.Header.Clone()
	if h == nil {
		h = http.Header{}
	}
	if ua, ok := h["User-Agent"]; !ok {
		h.Set("User-Agent", "Go-http-client/1.1") // the transport's default
	} else if len(ua) == 0 || ua[0] == "" {
		h.Del("User-Agent") // set empty: the transport sends none
	}
	if h.Get("Accept-Encoding") == "" && h.Get("Range") == "" && req.Method != http.MethodHead {
		h.Set("Accept-Encoding", "gzip")
	}
	body, length := io.Reader(http.NoBody), int64(0)
	var chunked []string
	h.Del("Content-Length")
	h.Del("Transfer-Encoding")
	switch {
	case req.Body == nil || req.Body == http.NoBody:
	case req.ContentLength > 0:
		body, length = io.LimitReader(req.Body, req.ContentLength), req.ContentLength
		h.Set("Content-Length", strconv.FormatInt(req.ContentLength, 10))
	default: // unknown length: the transport sends it chunked
		body, length, chunked = req.Body, -1, []string{"chunked"}
	}
	uri := req.URL.RequestURI()
	u, err := url.ParseRequestURI(uri)
	if err != nil {
		return nil, err
	}
	host := req.Host
	if host == "" {
		host = req.URL.Host
	}
	method := req.Method
	if method == "" {
		method = http.MethodGet
	}
	sr := &http.Request{
		Method: method, URL: u, RequestURI: uri, Proto: "HTTP/1.1", ProtoMajor: 1, ProtoMinor: 1,
		Header: h, Body: io.NopCloser(body), ContentLength: length, TransferEncoding: chunked,
		Host: host, RemoteAddr: clientAddr.String(),
	}
	return sr.WithContext(req.Context()), nil
}

// clientAddr is the address an in-process request comes from.
var clientAddr = &net.TCPAddr{IP: net.IPv4(127, 0, 0, 1), Port: 50000}

// serveInProcess runs h and reports whether it answered: false if it
// dropped the connection with the panic net/http's server recovers from.
func serveInProcess(h http.Handler, w http.ResponseWriter, r *http.Request) (answered bool) {
	defer func() {
		if p := recover(); p != nil {
			if p != http.ErrAbortHandler { //nolint:errorlint // net/http compares it so too
				panic(p)
			}
			answered = false
		}
	}()
	h.ServeHTTP(w, r)
	return true
}

// inProcessWriter records a reply as a connection would carry it.
type inProcessWriter struct {
	header http.Header
	sent   http.Header // the header at WriteHeader
	status int
	body   bytes.Buffer
}

func (w *inProcessWriter) Header() http.Header { return w.header }

func (w *inProcessWriter) WriteHeader(status int) {
	if w.sent != nil {
		return
	}
	w.status, w.sent = status, w.header.Clone()
}

func (w *inProcessWriter) Write(b []byte) (int, error) {
	w.WriteHeader(http.StatusOK)
	return w.body.Write(b)
}

// chunkingThreshold is how much of a reply net/http's server buffers
// before it gives up on a Content-Length and sends the rest chunked.
const chunkingThreshold = 2048

func (w *inProcessWriter) response(req *http.Request) *http.Response {
	w.WriteHeader(http.StatusOK)
	h := w.sent
	body := w.body.Bytes()
	if h.Get("Content-Type") == "" && len(body) > 0 {
		h.Set("Content-Type", http.DetectContentType(body))
	}
	if h.Get("Date") == "" {
		h.Set("Date", time.Now().UTC().Format(http.TimeFormat))
	}
	resp := &http.Response{
		Status: fmt.Sprintf("%d %s", w.status, http.StatusText(w.status)), StatusCode: w.status,
		Proto: "HTTP/1.1", ProtoMajor: 1, ProtoMinor: 1, Header: h, Request: req,
	}
	switch {
	case h.Get("Content-Length") != "":
		resp.ContentLength, _ = strconv.ParseInt(h.Get("Content-Length"), 10, 64)
	case w.status == http.StatusNoContent || w.status == http.StatusNotModified || w.status < 200:
		// no body and no length, as net/http sends these
	case len(body) <= chunkingThreshold:
		resp.ContentLength = int64(len(body))
		h.Set("Content-Length", strconv.Itoa(len(body)))
	case req.Method == http.MethodHead:
		resp.ContentLength = -1 // a client reads no framing of a HEAD reply
	default:
		resp.ContentLength, resp.TransferEncoding = -1, []string{"chunked"}
	}
	if req.Method == http.MethodHead || len(body) == 0 {
		resp.Body = http.NoBody
	} else {
		resp.Body = io.NopCloser(bytes.NewReader(body))
	}
	return resp
}
