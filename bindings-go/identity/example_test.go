package identity_test

import (
	"errors"
	"fmt"
	"log"
	"strings"

	"github.com/teamweb-ai/teamweb-identity/bindings-go/identity"
)

func Example() {
	// The secret comes from the channel's settings page, through the
	// environment (os.Getenv("TEAMWEB_IDENTITY_SECRET")) in a real server.
	key, err := identity.NewKey("q83vEjRWeJq83vEjRWeJq83vEjRWeJq83vEjRWeJq80=")
	if err != nil {
		log.Fatal(err)
	}
	token, err := key.Encrypt(identity.User{ID: "user_123", Name: "Alice", Email: "alice@example.com"})
	if err != nil {
		log.Fatal(err)
	}
	tag := identity.WidgetScriptTag("https://teamweb.example/static/js/chat-widget.js", "123", token)
	fmt.Println(strings.HasPrefix(tag, `<script src="https://teamweb.example/static/js/chat-widget.js" data-assistant-id="123" data-user-token="`))

	who, err := key.Decrypt(token)
	fmt.Println(who.ID, who.Name, who.Email, err)
	// Output:
	// true
	// user_123 Alice alice@example.com <nil>
}

func ExampleKey_Encrypt_errors() {
	key, _ := identity.GenerateKey()
	defer key.Close()
	_, err := key.Encrypt(identity.User{ID: "u1", Email: "not an email"})
	var e *identity.Error
	fmt.Println(errors.Is(err, identity.ErrInvalidIdentity), errors.As(err, &e) && e.Code() == "invalid_identity")
	// Output: true true
}

func ExampleNewKeyring() {
	old, _ := identity.GenerateKey()
	current, _ := identity.GenerateKey()
	oldToken, _ := old.Encrypt(identity.User{ID: "u1"})

	ring, _ := identity.NewKeyring(current, old) // encrypts with current, opens both
	defer ring.Close()
	who, err := ring.Decrypt(oldToken)
	fmt.Println(who.ID, err)
	// Output: u1 <nil>
}

func ExampleWidgetScriptTag() {
	fmt.Println(identity.WidgetScriptTag("/w.js?a=1&b=2", "42", ""))
	// Output: <script src="/w.js?a=1&amp;b=2" data-assistant-id="42"></script>
}
