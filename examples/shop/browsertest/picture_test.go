package browsertest

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"hash/crc32"
	"image"
	stdpng "image/png"
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// The README shows readmePicture, a screenshot of the checkout page that
// TestBrowserPurchasePassingTheChallenge takes. The PNG carries, in a tEXt
// chunk under pictureKeyword, the fingerprint of the page it shows; when the
// page the test reaches has another fingerprint the test writes the new
// screenshot there, except under CI=true, where a stale picture fails the
// run (a clean clone cannot commit it).
const (
	readmePicture  = "../checkout.png"
	pictureKeyword = "amazonpay-shop-page"
)

// renderedPage is what decides the pixels of a screenshot: the document
// without its scripts, which inputs are checked, disabled or focused, and
// the viewport.
const renderedPage = `(() => {
  const doc = document.documentElement.cloneNode(true);
  doc.querySelectorAll('script').forEach(e => e.remove());
  const state = [...document.querySelectorAll('input,button,select,textarea')]
    .map(e => e.id + (e.checked ? ':checked' : '') + (e.disabled ? ':disabled' : '')).join(' ');
  const focus = document.activeElement ? document.activeElement.id : '';
  return doc.outerHTML + '\n' + state + '\nfocus:' + focus + '\n' + innerWidth + 'x' + innerHeight + '@' + devicePixelRatio;
})()`

// loopbackPort matches the sandbox's and the shop's addresses, which change
// with every run.
var loopbackPort = regexp.MustCompile(`127\.0\.0\.1:[0-9]+`)

// pageFingerprint hashes the rendered page with what changes from run to
// run (the order reference id and the loopback ports) taken out.
func pageFingerprint(rendered, orderReferenceID string) string {
	stable := strings.ReplaceAll(rendered, orderReferenceID, "ORDER-REFERENCE-ID")
	stable = loopbackPort.ReplaceAllString(stable, "127.0.0.1:PORT")
	sum := sha256.Sum256([]byte(stable))
	return hex.EncodeToString(sum[:])
}

// keepReadmePictureCurrent screenshots the page the scenario shows and, if
// the README's picture shows another page, refreshes it (or, under CI,
// fails).
func (s *scenario) keepReadmePictureCurrent(orderReferenceID string) {
	s.t.Helper()
	fingerprint := pageFingerprint(value(s, "read the rendered page", chromedp.Evaluate[string](renderedPage)), orderReferenceID)
	old, err := os.ReadFile(readmePicture)
	if err != nil && !errors.Is(err, os.ErrNotExist) {
		s.t.Fatal(err)
	}
	if shown, _ := pngText(old, pictureKeyword); shown == fingerprint {
		return
	}
	if os.Getenv("CI") == "true" {
		s.t.Errorf("examples/shop/checkout.png shows an older checkout page than the one the test reached (page %s): refresh it with `cd examples/shop/browsertest && go test -run TestBrowserPurchasePassingTheChallenge .` and commit it", fingerprint[:12])
		return
	}
	png, err := withPNGText(value(s, "screenshot the checkout", chromedp.CaptureScreenshot()), pictureKeyword, fingerprint)
	if err != nil {
		s.t.Fatal(err)
	}
	if err := os.WriteFile(readmePicture, png, 0o644); err != nil {
		s.t.Fatal(err)
	}
	s.t.Logf("the checkout page changed: refreshed examples/shop/checkout.png (page %s)", fingerprint[:12])
}

var pngSignature = []byte("\x89PNG\r\n\x1a\n")

// pngChunk is one chunk of a PNG file.
type pngChunk struct {
	typ  string
	data []byte
}

// pngChunks splits a PNG file into its chunks, checking each CRC.
func pngChunks(png []byte) ([]pngChunk, error) {
	if !bytes.HasPrefix(png, pngSignature) {
		return nil, errors.New("not a PNG file")
	}
	var chunks []pngChunk
	for rest := png[len(pngSignature):]; len(rest) > 0; {
		if len(rest) < 12 {
			return nil, errors.New("PNG: truncated chunk")
		}
		n := binary.BigEndian.Uint32(rest)
		if uint64(n) > uint64(len(rest)-12) {
			return nil, errors.New("PNG: chunk longer than the file")
		}
		typeAndData := rest[4 : 8+n]
		if crc32.ChecksumIEEE(typeAndData) != binary.BigEndian.Uint32(rest[8+n:]) {
			return nil, fmt.Errorf("PNG: bad CRC in chunk %q", typeAndData[:4])
		}
		chunks = append(chunks, pngChunk{typ: string(typeAndData[:4]), data: typeAndData[4:]})
		rest = rest[12+n:]
	}
	if len(chunks) == 0 || chunks[len(chunks)-1].typ != "IEND" {
		return nil, errors.New("PNG: no IEND chunk at the end")
	}
	return chunks, nil
}

// pngText returns the text of the tEXt chunk named keyword.
func pngText(png []byte, keyword string) (string, bool) {
	chunks, err := pngChunks(png)
	if err != nil {
		return "", false
	}
	for _, c := range chunks {
		if k, text, ok := bytes.Cut(c.data, []byte{0}); c.typ == "tEXt" && ok && string(k) == keyword {
			return string(text), true
		}
	}
	return "", false
}

// withPNGText returns png with a tEXt chunk keyword=text before its IEND,
// replacing an earlier chunk of that keyword.
func withPNGText(png []byte, keyword, text string) ([]byte, error) {
	chunks, err := pngChunks(png)
	if err != nil {
		return nil, err
	}
	out := bytes.NewBuffer(append([]byte(nil), pngSignature...))
	write := func(c pngChunk) {
		var n [4]byte
		binary.BigEndian.PutUint32(n[:], uint32(len(c.data)))
		out.Write(n[:])
		typeAndData := append([]byte(c.typ), c.data...)
		out.Write(typeAndData)
		binary.BigEndian.PutUint32(n[:], crc32.ChecksumIEEE(typeAndData))
		out.Write(n[:])
	}
	for _, c := range chunks {
		if k, _, _ := bytes.Cut(c.data, []byte{0}); c.typ == "tEXt" && string(k) == keyword {
			continue
		}
		if c.typ == "IEND" {
			write(pngChunk{typ: "tEXt", data: []byte(keyword + "\x00" + text)})
		}
		write(c)
	}
	return out.Bytes(), nil
}

// The picture's text chunk survives a rewrite, replaces an older one, leaves
// a PNG image/png still decodes, and a damaged chunk is refused.
func TestPNGTextChunk(t *testing.T) {
	var img bytes.Buffer
	if err := stdpng.Encode(&img, image.NewGray(image.Rect(0, 0, 3, 2))); err != nil {
		t.Fatal(err)
	}
	if _, ok := pngText(img.Bytes(), pictureKeyword); ok {
		t.Fatal("a fresh PNG has no fingerprint")
	}
	once, err := withPNGText(img.Bytes(), pictureKeyword, "first")
	if err != nil {
		t.Fatal(err)
	}
	twice, err := withPNGText(once, pictureKeyword, "second")
	if err != nil {
		t.Fatal(err)
	}
	if got, _ := pngText(twice, pictureKeyword); got != "second" {
		t.Fatalf("pngText = %q, want second", got)
	}
	chunks, err := pngChunks(twice)
	if err != nil {
		t.Fatal(err)
	}
	var types []string
	for _, c := range chunks {
		types = append(types, c.typ)
	}
	if got := strings.Join(types, " "); got != "IHDR IDAT tEXt IEND" {
		t.Fatalf("chunks = %s", got)
	}
	decoded, err := stdpng.Decode(bytes.NewReader(twice))
	if err != nil || decoded.Bounds().Dx() != 3 {
		t.Fatalf("image/png: %v", err)
	}
	damaged := bytes.Clone(twice)
	damaged[len(damaged)-20] ^= 1 // inside the tEXt chunk
	if _, err := pngChunks(damaged); err == nil || !strings.Contains(err.Error(), "bad CRC") {
		t.Fatalf("damaged chunk: err = %v", err)
	}
	if _, err := withPNGText([]byte("GIF89a"), pictureKeyword, "x"); err == nil {
		t.Fatal("a GIF was taken for a PNG")
	}
}

// The README's picture is a PNG that carries the fingerprint of its page.
func TestReadmePictureHasItsPage(t *testing.T) {
	png, err := os.ReadFile(readmePicture)
	if err != nil {
		t.Fatal(err)
	}
	fingerprint, ok := pngText(png, pictureKeyword)
	if !ok || !regexp.MustCompile(`^[0-9a-f]{64}$`).MatchString(fingerprint) {
		t.Fatalf("checkout.png has no page fingerprint (%q); TestBrowserPurchasePassingTheChallenge writes it", fingerprint)
	}
	if _, err := stdpng.Decode(bytes.NewReader(png)); err != nil {
		t.Fatal(err)
	}
}

// The fingerprint ignores the order reference id and the loopback ports,
// and nothing else.
func TestPageFingerprintIgnoresWhatChangesEveryRun(t *testing.T) {
	page := `<fieldset data-amazon-id="%s"><script src="http://127.0.0.1:%d/widgets/Widgets.js"></script>%s`
	a := pageFingerprint(fmt.Sprintf(page, "S02-4557386-3597467", 41863, "Total: 42.50 EUR"), "S02-4557386-3597467")
	b := pageFingerprint(fmt.Sprintf(page, "S02-7016783-1012889", 44827, "Total: 42.50 EUR"), "S02-7016783-1012889")
	c := pageFingerprint(fmt.Sprintf(page, "S02-7016783-1012889", 44827, "Total: 42.51 EUR"), "S02-7016783-1012889")
	if a != b {
		t.Error("the order reference id or a port changed the fingerprint")
	}
	if b == c {
		t.Error("a changed total kept the fingerprint")
	}
}
