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
// JWT, ...).
func currentUser(*http.Request) identity.User {
	return identity.User{ID: "user_123", Name: "Alice <Admin>", Email: "alice@example.com"}
}

// page serves the dashboard with the widget's script tag, carrying a token
// for the visitor.
func page(key *identity.Key, widgetSrc, assistantID string) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/" {
			http.NotFound(w, r)
			return
		}
		user := currentUser(r)
		token, err := key.Encrypt(user)
		if err != nil {
			// An identity the rules refuse (e.g. an email with a space):
			// show the widget without identifying the visitor.
			log.Printf("identity token: %v (code %s)", err, err.(*identity.Error).Code())
			token = ""
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprintf(w, `<!doctype html>
<html>
  <head><meta charset="utf-8"><title>Dashboard</title></head>
  <body>
    <h1>Welcome back, %s</h1>
    %s
  </body>
</html>
`, html.EscapeString(user.Name), identity.WidgetScriptTag(widgetSrc, assistantID, token))
	})
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
