package main

import (
	"html"
	"io"
	"net"
	"net/http"
	"regexp"
	"testing"

	"github.com/teamweb-ai/teamweb-identity/bindings-go/identity"
)

// The page, served on a real loopback socket, carries a script tag whose
// token opens to the visitor.
func TestPageOnLoopback(t *testing.T) {
	for _, name := range []string{"DEMO_USER_ID", "DEMO_USER_NAME", "DEMO_USER_EMAIL"} {
		t.Setenv(name, "") // the default user
	}
	key, err := identity.GenerateKey()
	if err != nil {
		t.Fatal(err)
	}
	defer key.Close()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := &http.Server{Handler: page(key, "https://x.test/w.js?a=1&b=2", "42")}
	go srv.Serve(ln)
	defer srv.Close()

	resp, err := http.Get("http://" + ln.Addr().String() + "/")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "text/html; charset=utf-8" {
		t.Fatalf("%d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	m := regexp.MustCompile(`<script src="https://x\.test/w\.js\?a=1&amp;b=2" data-assistant-id="42" data-user-token="([^"]+)"></script>`).FindSubmatch(body)
	if m == nil {
		t.Fatalf("no script tag in\n%s", body)
	}
	who, err := key.Decrypt(html.UnescapeString(string(m[1])))
	if err != nil || who != currentUser(nil) {
		t.Fatalf("token opens to %+v, %v", who, err)
	}
	if !regexp.MustCompile(`Welcome back, Alice &lt;Admin&gt;`).Match(body) {
		t.Fatalf("name not escaped:\n%s", body)
	}

	// A signed-out visitor: the same tag, without a token.
	resp, err = http.Get("http://" + ln.Addr().String() + "/signed-out")
	if err != nil {
		t.Fatal(err)
	}
	body, _ = io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || !regexp.MustCompile(`<script src="https://x\.test/w\.js\?a=1&amp;b=2" data-assistant-id="42"></script>`).Match(body) {
		t.Fatalf("%d, signed-out page:\n%s", resp.StatusCode, body)
	}

	resp, err = http.Get("http://" + ln.Addr().String() + "/nope")
	if err != nil || resp.StatusCode != 404 {
		t.Fatalf("%v %v", resp, err)
	}
	resp.Body.Close()
}
