// Command amazonpay looks up, explains and acts on Amazon Pay (MWS)
// objects, and runs the batch jobs of a shop's payments: the PSD2 billing
// agreement migration and the monthly billing run. Run "amazonpay --help".
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	// The first Ctrl-C stops a batch cleanly; a second one kills at once.
	go func() { <-ctx.Done(); stop() }()
	code := run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr, os.Getenv)
	stop()
	os.Exit(code)
}
