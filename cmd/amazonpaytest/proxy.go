package main

import (
	"bufio"
	"crypto/tls"
	"io"
	"log/slog"
	"net"
	"net/http"
	"regexp"
	"strings"
	"sync"

	"github.com/amazonpay-go/amazonpay/amazonpaytest"
)

// The proxy is a plain-HTTP forward proxy. A client that sets HTTPS_PROXY
// sends CONNECT host:443 for each of Amazon's hosts; the proxy answers 200
// and speaks TLS inside the tunnel itself, with a certificate for that
// host from its CA, and serves the sandbox there. Every other host is
// refused with 403: nothing is ever tunnelled to the network. Plain
// "GET http://host/..." proxy requests for Amazon's hosts are served too,
// and requests for the proxy's own paths (the control API) as on --listen.

// hostKind is what the sandbox plays on one of Amazon's hosts.
type hostKind int

const (
	hostRefused hostKind = iota
	hostMWS              // the MWS API (and the Confirmation Flow page)
	hostLWA              // Login with Amazon: /auth/o2/tokeninfo, /user/profile
	hostWidgets          // the widgets' scripts and what they call
	hostSNS              // the IPN signing certificates
)

var amazonHosts = map[string]hostKind{
	"mws.amazonservices.com":    hostMWS,
	"mws-eu.amazonservices.com": hostMWS,
	"mws.amazonservices.jp":     hostMWS,

	"api.amazon.com":           hostLWA,
	"api.amazon.co.uk":         hostLWA,
	"api.amazon.de":            hostLWA,
	"api.amazon.co.jp":         hostLWA,
	"api.sandbox.amazon.com":   hostLWA,
	"api.sandbox.amazon.co.uk": hostLWA,
	"api.sandbox.amazon.de":    hostLWA,
	"api.sandbox.amazon.co.jp": hostLWA,

	"static-na.payments-amazon.com": hostWidgets,
	"static-eu.payments-amazon.com": hostWidgets,
	"static-fe.payments-amazon.com": hostWidgets,
}

// snsHost is sns.<region>.amazonaws.com, where the SigningCertURL of
// every notification points.
var snsHost = regexp.MustCompile(`^sns\.[a-z]{2}(-[a-z]+)+-\d\.amazonaws\.com$`)

func classify(host string) hostKind {
	host = strings.ToLower(strings.TrimSuffix(host, "."))
	if k, ok := amazonHosts[host]; ok {
		return k
	}
	if snsHost.MatchString(host) {
		return hostSNS
	}
	return hostRefused
}

// proxy serves the --proxy listener.
type proxy struct {
	ca     *authority
	h      *amazonpaytest.Handler
	local  http.Handler // the proxy's own paths: what --listen serves
	amazon http.Handler // Amazon's hosts, inside the tunnels and for plain proxy requests
	tunnel *connQueue   // TLS connections for the server of the tunnels
	log    *slog.Logger
}

func newProxy(ca *authority, h *amazonpaytest.Handler, local http.Handler, log *slog.Logger) *proxy {
	p := &proxy{ca: ca, h: h, local: local, log: log, tunnel: newConnQueue()}
	p.amazon = logRequests(log, http.HandlerFunc(p.serveAmazon))
	return p
}

// ServeHTTP answers CONNECT, absolute-form proxy requests and the proxy's
// own paths.
func (p *proxy) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	switch {
	case r.Method == http.MethodConnect:
		p.connect(w, r)
	case r.URL.Host != "": // GET http://host/path: a plain proxy request
		if classify(r.URL.Hostname()) == hostRefused {
			p.refuse(w, r.URL.Hostname())
			return
		}
		r.Host = r.URL.Host
		p.amazon.ServeHTTP(w, r)
	default:
		p.local.ServeHTTP(w, r)
	}
}

func (p *proxy) refuse(w http.ResponseWriter, host string) {
	p.log.Info("refused", "host", host, "status", http.StatusForbidden)
	http.Error(w, "amazonpaytest serves only Amazon Pay's hosts; "+host+" is not one and is never tunnelled", http.StatusForbidden)
}

// connect opens a tunnel to one of Amazon's hosts on port 443 and hands
// its TLS side to the server of the tunnels.
func (p *proxy) connect(w http.ResponseWriter, r *http.Request) {
	host, port, err := net.SplitHostPort(r.Host)
	if err != nil {
		host, port = r.Host, "443"
	}
	if classify(host) == hostRefused || port != "443" {
		p.refuse(w, r.Host)
		return
	}
	hj, ok := w.(http.Hijacker)
	if !ok {
		http.Error(w, "CONNECT needs HTTP/1.1", http.StatusHTTPVersionNotSupported)
		return
	}
	conn, brw, err := hj.Hijack()
	if err != nil {
		return
	}
	if _, err := io.WriteString(conn, "HTTP/1.1 200 Connection Established\r\n\r\n"); err != nil {
		_ = conn.Close()
		return
	}
	p.log.Info("connect", "host", host, "status", http.StatusOK)
	var raw net.Conn = conn        //nolint:staticcheck // net.Conn: reassigned to the TLS side below
	if brw.Reader.Buffered() > 0 { // the client did not wait for the 200
		raw = &bufferedConn{Conn: conn, r: brw.Reader}
	}
	name := strings.ToLower(host)
	p.tunnel.push(tls.Server(raw, &tls.Config{
		MinVersion: tls.VersionTLS12,
		NextProtos: []string{"http/1.1"},
		GetCertificate: func(*tls.ClientHelloInfo) (*tls.Certificate, error) {
			return p.ca.leaf(name) // the CONNECT host, whatever the SNI says
		},
	}))
}

// serveAmazon plays Amazon on the host of the request.
func (p *proxy) serveAmazon(w http.ResponseWriter, r *http.Request) {
	host := r.Host
	if h, _, err := net.SplitHostPort(host); err == nil {
		host = h
	}
	switch classify(host) {
	case hostMWS, hostLWA:
		p.h.ServeHTTP(w, r)
	case hostWidgets:
		// Amazon's script URLs (…/OffAmazonPayments/eur/sandbox/lpa/js/Widgets.js)
		// get the fake Widgets.js. It finds its JSON API and the hosted page
		// under its own URL, which the sandbox serves wherever WidgetsPath
		// appears in the path.
		if strings.HasSuffix(r.URL.Path, "/Widgets.js") && !strings.Contains(r.URL.Path, amazonpaytest.WidgetsPath) {
			r = r.Clone(r.Context())
			r.URL.Path, r.URL.RawPath = amazonpaytest.WidgetsJSPath, ""
		}
		p.h.ServeHTTP(w, r)
	case hostSNS:
		p.serveSNS(w, r, host)
	default:
		p.refuse(w, host)
	}
}

// serveSNS answers the SNS URLs (the signing certificate, subscription
// confirmations) with the sandbox's in-process SNS.
func (p *proxy) serveSNS(w http.ResponseWriter, r *http.Request, host string) {
	out, err := http.NewRequestWithContext(r.Context(), r.Method, "https://"+host+r.URL.RequestURI(), nil)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	resp, err := p.h.NotificationHTTPClient().Transport.RoundTrip(out)
	if err != nil {
		http.Error(w, "not found", http.StatusNotFound)
		return
	}
	defer func() { _ = resp.Body.Close() }()
	for k, vs := range resp.Header {
		w.Header()[k] = vs
	}
	w.WriteHeader(resp.StatusCode)
	_, _ = io.Copy(w, resp.Body)
}

// bufferedConn is a hijacked connection whose first bytes are already in r.
type bufferedConn struct {
	net.Conn
	r *bufio.Reader
}

func (c *bufferedConn) Read(b []byte) (int, error) { return c.r.Read(b) }

// connQueue is a net.Listener whose connections are the tunnels' TLS
// sides, so that one http.Server serves (and drains) them all.
type connQueue struct {
	ch   chan net.Conn
	done chan struct{}
	once sync.Once
}

func newConnQueue() *connQueue {
	return &connQueue{ch: make(chan net.Conn), done: make(chan struct{})}
}

func (q *connQueue) push(c net.Conn) {
	select {
	case q.ch <- c:
	case <-q.done:
		_ = c.Close()
	}
}

// Accept returns the next tunnel.
func (q *connQueue) Accept() (net.Conn, error) {
	select {
	case c := <-q.ch:
		return c, nil
	case <-q.done:
		return nil, net.ErrClosed
	}
}

// Close stops Accept.
func (q *connQueue) Close() error {
	q.once.Do(func() { close(q.done) })
	return nil
}

// Addr is a placeholder: the tunnels have no address of their own.
func (q *connQueue) Addr() net.Addr { return &net.TCPAddr{IP: net.IPv4(127, 0, 0, 1)} }
