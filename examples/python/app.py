"""A small Flask app that tells TeamWeb AI's chat widget who the logged-in
visitor is.

Run it with the identity secret from the channel's settings page::

    export TEAMWEB_IDENTITY_SECRET='...'
    python app.py --port 8000

The key is parsed once at start-up; each page view mints a fresh token for
the current user and puts it on the widget's script tag.
"""

from __future__ import annotations

import argparse
import os
from dataclasses import dataclass

from flask import Flask, render_template_string
from markupsafe import Markup

from teamweb_identity import IdentityKey, widget_script_tag

WIDGET_SRC = os.environ.get("TEAMWEB_WIDGET_SRC", "https://teamweb.example/static/js/chat-widget.js")
ASSISTANT_ID = os.environ.get("TEAMWEB_ASSISTANT_ID", "123")

# Sent with every page that carries a token.
NO_STORE = {"Cache-Control": "private, no-store"}

PAGE = """<!doctype html>
<html>
  <head><meta charset="utf-8"><title>Dashboard</title></head>
  <body>
    <h1>{{ heading }}</h1>
    {{ widget }}
  </body>
</html>
"""


@dataclass(frozen=True)
class User:
    """The logged-in user, as your app's session/auth layer knows them."""

    id: str
    name: str
    email: str


def current_user() -> User:
    """Stands in for your login system (flask-login's ``current_user``, ...).

    ``DEMO_USER_ID``, ``DEMO_USER_NAME`` and ``DEMO_USER_EMAIL`` choose who
    is logged in (the browser tests in tests/e2e set them)."""
    return User(
        id=os.environ.get("DEMO_USER_ID", "4711"),
        name=os.environ.get("DEMO_USER_NAME", "Zoë O'Brien"),
        email=os.environ.get("DEMO_USER_EMAIL", "zoe@example.com"),
    )


def create_app(secret: str | None = None) -> Flask:
    """The app, with its identity key parsed once from the secret
    (``TEAMWEB_IDENTITY_SECRET`` unless given)."""
    key = IdentityKey.from_base64(secret if secret is not None else os.environ["TEAMWEB_IDENTITY_SECRET"])
    app = Flask(__name__)

    @app.get("/")
    def dashboard() -> tuple[str, dict[str, str]]:
        user = current_user()
        token = key.encrypt(user.id, name=user.name, email=user.email)
        # widget_script_tag escapes every attribute value, so the tag is safe markup.
        widget = Markup(widget_script_tag(WIDGET_SRC, ASSISTANT_ID, token))
        # The token is the visitor's credential: no cache (shared or the
        # browser's) may keep the page.
        return render_template_string(PAGE, heading=f"Hello, {user.name}", widget=widget), NO_STORE

    @app.get("/signed-out")
    def signed_out() -> str:
        # An anonymous visitor: no token, so the widget asks who they are.
        widget = Markup(widget_script_tag(WIDGET_SRC, ASSISTANT_ID))
        return render_template_string(PAGE, heading="Welcome", widget=widget)

    return app


def main() -> None:
    """Serve the example on loopback."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8000)
    args = parser.parse_args()
    create_app().run(host=args.host, port=args.port)


if __name__ == "__main__":
    main()
