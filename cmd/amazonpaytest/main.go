// Command amazonpaytest is the offline Amazon Pay (MWS) sandbox of package
// amazonpaytest as a program, for shops in any language and for the
// end-to-end tests of a deployed binary:
//
//	amazonpaytest --listen 127.0.0.1:8080 --proxy 127.0.0.1:8443 --ca-out ca.pem
//
// --listen serves the MWS API, the Confirmation Flow page, the fake widgets,
// Login with Amazon and the control API (/_sandbox/v1/, documented in
// amazonpaytest/SERVER.md) over plain HTTP, --listen-tls the same over
// HTTPS. --proxy is an HTTPS forward
// proxy for Amazon's own hosts that terminates TLS with a CA it makes at
// start, so a client that only sets HTTPS_PROXY and trusts that CA talks
// to the sandbox with its production endpoint configuration. Run
// amazonpaytest --help for every flag.
package main

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"runtime/debug"
	"syscall"
	"time"

	"github.com/amazonpay-go/amazonpay/amazonpaytest"
)

// version is set at build time with -ldflags "-X main.version=v1.2.3";
// otherwise the module version of the build is reported.
var version = ""

// shutdownGrace is how long requests in flight may take to finish after
// SIGTERM; the whole stop stays within 5 seconds.
const shutdownGrace = 4 * time.Second

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	err := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	if err != nil {
		fmt.Fprintln(os.Stderr, "amazonpaytest:", err)
		os.Exit(2)
	}
}

// run starts the sandbox as args say and serves until ctx ends, then
// drains and stops. It writes the addresses it listens on to stdout, one
// line each ("amazonpaytest: listening on http://127.0.0.1:8080"), with
// --proxy the CA's SPKI hash for browsers, and the request log to stderr.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	s, err := parseFlags(args, stdout, stderr)
	if errors.Is(err, errHelp) {
		return nil
	}
	if err != nil {
		return err
	}
	if s.version {
		_, _ = fmt.Fprintln(stdout, "amazonpaytest", buildVersion())
		return nil
	}
	if s.listen == "" && s.listenTLS == "" && s.proxy == "" {
		return errors.New("nothing to serve: give --listen, --listen-tls or --proxy")
	}
	var lh slog.Handler = slog.NewTextHandler(stderr, nil)
	if s.logFormat == "json" {
		lh = slog.NewJSONHandler(stderr, nil)
	}
	log := slog.New(lh)

	h := amazonpaytest.NewHandler(s.opts...)
	defer h.Close() // after the servers drained: no IPN is left in flight
	for _, u := range s.notify {
		h.AddNotificationURL(u)
	}
	h.SetNotificationSignatureVersion(s.notifyVersion)
	ca, err := newAuthority()
	if err != nil {
		return fmt.Errorf("making the proxy CA: %w", err)
	}
	if s.caOut != "" {
		if err := os.WriteFile(s.caOut, ca.pem, 0o644); err != nil {
			return fmt.Errorf("--ca-out: %w", err)
		}
	}

	local := localMux(h, ca)
	errLog := slog.NewLogLogger(lh, slog.LevelWarn)
	var servers []*http.Server
	errc := make(chan error, 3)
	serve := func(srv *http.Server, l net.Listener) {
		servers = append(servers, srv)
		go func() {
			if err := srv.Serve(l); err != nil && !errors.Is(err, http.ErrServerClosed) {
				errc <- err
			}
		}()
	}
	var listeners []net.Listener
	listen := func(addr string) (net.Listener, error) {
		l, err := net.Listen("tcp", addr)
		if err == nil {
			listeners = append(listeners, l)
		}
		return l, err
	}
	closeAll := func() {
		for _, l := range listeners {
			_ = l.Close()
		}
	}
	if s.listen != "" {
		l, err := listen(s.listen)
		if err != nil {
			closeAll()
			return fmt.Errorf("--listen: %w", err)
		}
		serve(&http.Server{Handler: logRequests(log, local), ErrorLog: errLog, ReadHeaderTimeout: 10 * time.Second}, l)
		_, _ = fmt.Fprintf(stdout, "amazonpaytest: listening on http://%s\n", l.Addr())
	}
	if s.listenTLS != "" {
		l, err := listen(s.listenTLS)
		if err != nil {
			closeAll()
			for _, srv := range servers {
				_ = srv.Close()
			}
			return fmt.Errorf("--listen-tls: %w", err)
		}
		serve(&http.Server{Handler: logRequests(log, local), ErrorLog: errLog, ReadHeaderTimeout: 10 * time.Second},
			tls.NewListener(l, ca.serverConfig()))
		_, _ = fmt.Fprintf(stdout, "amazonpaytest: listening on https://%s\n", l.Addr())
	}
	if s.proxy != "" {
		l, err := listen(s.proxy)
		if err != nil {
			closeAll()
			for _, srv := range servers {
				_ = srv.Close()
			}
			return fmt.Errorf("--proxy: %w", err)
		}
		p := newProxy(ca, h, logRequests(log, local), log)
		serve(&http.Server{Handler: p.amazon, ErrorLog: errLog, ReadHeaderTimeout: 10 * time.Second}, p.tunnel)
		serve(&http.Server{Handler: p, ErrorLog: errLog, ReadHeaderTimeout: 10 * time.Second}, l)
		_, _ = fmt.Fprintf(stdout, "amazonpaytest: proxy on http://%s\n", l.Addr())
		_, _ = fmt.Fprintf(stdout, "amazonpaytest: proxy CA SPKI %s (chromium --ignore-certificate-errors-spki-list)\n", ca.spkiHash())
	}
	log.Info("started", "version", buildVersion(), "seller_id", h.SellerID(), "region", string(h.Region()), "sandbox", h.Sandbox())

	var runErr error
	select {
	case <-ctx.Done():
	case runErr = <-errc:
	}
	shutdown, cancel := context.WithTimeout(context.Background(), shutdownGrace)
	defer cancel()
	for _, srv := range servers {
		if err := srv.Shutdown(shutdown); err != nil {
			_ = srv.Close() // the grace is over: cut what is left
		}
	}
	log.Info("stopped")
	return runErr
}

// localMux is what --listen serves (and the proxy for requests to itself):
// the CA, the control API and the sandbox at every other path.
func localMux(h *amazonpaytest.Handler, ca *authority) http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET "+amazonpaytest.ControlPath+"ca.pem", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/x-pem-file")
		_, _ = w.Write(ca.pem)
	})
	mux.Handle(amazonpaytest.ControlPath, amazonpaytest.NewControlHandler(h))
	mux.Handle("/", h)
	return mux
}

func buildVersion() string {
	if version != "" {
		return version
	}
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" {
		return bi.Main.Version
	}
	return "(devel)"
}
