// A small net/http server that tells TeamWeb AI's chat widget who the
// logged-in visitor is.
//
//	TEAMWEB_IDENTITY_SECRET=<secret from the channel settings> go run .
//
// Listens on 127.0.0.1 (PORT, default: any free port) and prints its URL.
package main

import (
	"fmt"
	"html"
	"log"
	"net"
	"net/http"
	"os"

	"github.com/teamweb-ai/teamweb-identity/bindings-go/identity"
)

// currentUser stands in for your real authentication (a session cookie, a
// JWT, ...). DEMO_USER_ID, DEMO_USER_NAME and DEMO_USER_EMAIL choose who is
// logged in (the browser tests in tests/e2e set them).
func currentUser(*http.Request) identity.User {
	return identity.User{
		ID:    getenv("DEMO_USER_ID", "user_123"),
		Name:  getenv("DEMO_USER_NAME", "Alice <Admin>"),
		Email: getenv("DEMO_USER_EMAIL", "alice@example.com"),
	}
}

// page serves the dashboard with the widget's script tag, carrying a token
// for the visitor, and /signed-out, the same tag without a token for an
// anonymous visitor (the widget then asks who they are).
func page(key *identity.Key, widgetSrc, assistantID string) http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("/{$}", func(w http.ResponseWriter, r *http.Request) {
		user := currentUser(r)
		token, err := key.Encrypt(user)
		if err != nil {
			// An identity the rules refuse (e.g. an email with a space):
			// show the widget without identifying the visitor.
			log.Printf("identity token: %v (code %s)", err, err.(*identity.Error).Code())
			token = ""
		}
		render(w, "Welcome back, "+user.Name, identity.WidgetScriptTag(widgetSrc, assistantID, token))
	})
	mux.HandleFunc("/signed-out", func(w http.ResponseWriter, r *http.Request) {
		render(w, "Welcome", identity.WidgetScriptTag(widgetSrc, assistantID, ""))
	})
	return mux
}

// render writes the page: the heading escaped here, the tag as it is (the
// helper has already escaped every attribute value).
func render(w http.ResponseWriter, heading, widgetTag string) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	// The token is the visitor's credential: no shared cache keeps it.
	w.Header().Set("Cache-Control", "private, no-store")
	fmt.Fprintf(w, `<!doctype html>
<html>
  <head><meta charset="utf-8"><title>Dashboard</title></head>
  <body>
    <h1>%s</h1>
    %s
  </body>
</html>
`, html.EscapeString(heading), widgetTag)
}

func getenv(name, fallback string) string {
	if v := os.Getenv(name); v != "" {
		return v
	}
	return fallback
}

func main() {
	// Parse the secret once, at start-up: a bad secret stops the server
	// here with an error that says what is wrong (never the secret itself).
	key, err := identity.NewKey(os.Getenv("TEAMWEB_IDENTITY_SECRET"))
	if err != nil {
		log.Fatalf("TEAMWEB_IDENTITY_SECRET: %v", err)
	}
	defer key.Close()
	handler := page(key,
		getenv("TEAMWEB_WIDGET_SRC", "https://teamweb.example/static/js/chat-widget.js"),
		getenv("TEAMWEB_ASSISTANT_ID", "123"))

	ln, err := net.Listen("tcp", "127.0.0.1:"+getenv("PORT", "0"))
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("listening on http://%s/\n", ln.Addr())
	log.Fatal(http.Serve(ln, handler))
}
