package redisquota_test

import (
	"os"
	"strings"
	"testing"
	"time"

	"github.com/amazonpay-go/amazonpay"
	"github.com/amazonpay-go/amazonpay/redisquota"
	"github.com/redis/go-redis/v9"
)

// fleetClient is README's fleet set-up; TestReadmeShowsFleetClient keeps
// README's copy identical to it.
func fleetClient(cfg amazonpay.Config) (*amazonpay.Client, error) {
	rdb := redis.NewClient(&redis.Options{Addr: "redis:6379", DialTimeout: time.Second})
	limiter := redisquota.New(rdb, amazonpay.Quotas{Sandbox: cfg.Sandbox})
	return amazonpay.NewClient(cfg, amazonpay.WithRateLimiter(limiter))
}

func TestReadmeFleetClient(t *testing.T) {
	c, err := fleetClient(amazonpay.Config{SellerID: "A1EXAMPLE", AccessKeyID: "AKIAEXAMPLE", SecretKey: "s",
		Region: amazonpay.RegionDE, Sandbox: true})
	if err != nil || c == nil {
		t.Fatalf("fleetClient: %v, %v", c, err)
	}
}

func TestReadmeShowsFleetClient(t *testing.T) {
	readme, err := os.ReadFile("../README.md")
	if err != nil {
		t.Fatal(err)
	}
	source, err := os.ReadFile("readme_test.go")
	if err != nil {
		t.Fatal(err)
	}
	text := string(source)
	start := strings.Index(text, "\nfunc fleetClient(")
	end := strings.Index(text[start:], "\n}\n")
	lines := strings.Split(text[start+1:start+end+2], "\n")
	for i, line := range lines {
		indent := len(line) - len(strings.TrimLeft(line, "\t"))
		lines[i] = strings.Repeat("    ", indent) + line[indent:]
	}
	want := strings.Join(lines, "\n")
	if !strings.Contains(string(readme), "```go\n"+want+"\n```\n") {
		t.Errorf("README has no Go block with exactly:\n%s", want)
	}
}
