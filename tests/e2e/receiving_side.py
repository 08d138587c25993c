"""A stand-in for TeamWeb AI's receiving side, written as a receiving side
would be written with this SDK's Python package.

It is an HTTP server on 127.0.0.1 with an SQLite database:

* ``GET /chat-widget.js`` serves the stand-in widget (the page's ``src``);
* ``POST /api/conversations`` (body ``{"assistant_id": ...}``, header
  ``X-User-Token``) opens the token with the channel's keyring, creates or
  updates the Contact with that id (name and email stored when given), and
  starts a conversation linked to it;
* ``POST /api/conversations/<n>/messages`` (body ``{"text": ...}``, the same
  header) opens the token again and stores the message, if the token names
  the conversation's contact.

A refused token gets ``401 {"error": "<code>"}``: the error code and nothing
else, and nothing is written. The channels and their keys come from a JSON
file, ``{"channels": {"<assistant id>": ["<newest secret>", "<older>", ...]}}``:
rotating a key is adding the new secret in front and, once every page has
moved on, removing the old one.

    python receiving_side.py --config channels.json --db e2e.sqlite --port 0

prints ``listening on http://127.0.0.1:<port>/`` once it accepts requests.
"""

from __future__ import annotations

import argparse
import json
import re
import sqlite3
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from teamweb_identity import IdentityKey, IdentityKeyring, IdentityTokenError, UserIdentity

SCHEMA = """
CREATE TABLE IF NOT EXISTS contacts (
    id TEXT PRIMARY KEY,
    name TEXT,
    email TEXT
);
CREATE TABLE IF NOT EXISTS conversations (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    assistant_id TEXT NOT NULL,
    contact_id TEXT NOT NULL REFERENCES contacts(id)
);
CREATE TABLE IF NOT EXISTS messages (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    conversation_id INTEGER NOT NULL REFERENCES conversations(id),
    body TEXT NOT NULL
);
"""

MESSAGES_PATH = re.compile(r"^/api/conversations/(\d+)/messages$")
MAX_BODY = 64 * 1024


class Refused(Exception):
    """An answer other than success: an HTTP status and an error code."""

    def __init__(self, status: int, code: str) -> None:
        super().__init__(code)
        self.status = status
        self.code = code


class ReceivingSide:
    """The channels' keyrings and the database; no HTTP in here."""

    def __init__(self, keyrings: dict[str, IdentityKeyring], db: Path) -> None:
        self.keyrings = keyrings
        self.db = db
        with self.connect() as conn:
            conn.executescript(SCHEMA)

    def connect(self) -> sqlite3.Connection:
        conn = sqlite3.connect(self.db, timeout=10)
        conn.execute("PRAGMA foreign_keys = ON")
        return conn

    def identify(self, assistant_id: str, token: str | None) -> UserIdentity:
        """The visitor the token names, or a refusal with the SDK's error code."""
        keyring = self.keyrings.get(assistant_id)
        if keyring is None:
            raise Refused(404, "unknown_assistant")
        if not token:
            raise Refused(401, "missing_token")
        try:
            return keyring.decrypt(token)
        except IdentityTokenError as error:
            # The code only: which key was tried or what the bytes were
            # would only help someone forging tokens.
            raise Refused(401, error.code) from None

    def start_conversation(self, assistant_id: str, token: str | None) -> dict[str, Any]:
        who = self.identify(assistant_id, token)
        with self.connect() as conn:  # one transaction: contact and conversation, or neither
            conn.execute(
                "INSERT INTO contacts (id, name, email) VALUES (?, ?, ?) "
                "ON CONFLICT (id) DO UPDATE SET name = coalesce(excluded.name, name), "
                "email = coalesce(excluded.email, email)",
                (who.id, who.name, who.email),
            )
            cursor = conn.execute(
                "INSERT INTO conversations (assistant_id, contact_id) VALUES (?, ?)", (assistant_id, who.id)
            )
            name = conn.execute("SELECT name FROM contacts WHERE id = ?", (who.id,)).fetchone()[0]
        conn.close()
        return {"conversation_id": cursor.lastrowid, "contact": {"name": name}}

    def add_message(self, conversation_id: int, token: str | None, text: str) -> dict[str, Any]:
        with self.connect() as conn:
            row = conn.execute(
                "SELECT assistant_id, contact_id FROM conversations WHERE id = ?", (conversation_id,)
            ).fetchone()
        conn.close()
        if row is None:
            raise Refused(404, "unknown_conversation")
        who = self.identify(row[0], token)
        if who.id != row[1]:
            raise Refused(403, "not_your_conversation")
        with self.connect() as conn:
            cursor = conn.execute(
                "INSERT INTO messages (conversation_id, body) VALUES (?, ?)", (conversation_id, text)
            )
        conn.close()
        return {"message_id": cursor.lastrowid}


class Handler(BaseHTTPRequestHandler):
    server_version = "receiving-side"
    timeout = 10
    side: ReceivingSide
    widget: bytes

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - the base class's name
        sys.stderr.write("receiving side: " + format % args + "\n")

    def answer(self, status: int, body: bytes, content_type: str) -> None:
        self.send_response(status)
        # The widget runs on the customer's pages, another origin.
        self.send_header("Access-Control-Allow-Origin", "*")
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        self.wfile.write(body)

    def answer_json(self, status: int, value: dict[str, Any]) -> None:
        self.answer(status, json.dumps(value).encode(), "application/json")

    def do_OPTIONS(self) -> None:  # noqa: N802 - http.server's naming
        self.send_response(204)
        self.send_header("Access-Control-Allow-Origin", "*")
        self.send_header("Access-Control-Allow-Methods", "POST")
        self.send_header("Access-Control-Allow-Headers", "Content-Type, X-User-Token")
        self.send_header("Access-Control-Max-Age", "600")
        self.end_headers()

    def do_GET(self) -> None:  # noqa: N802
        if self.path.split("?")[0] == "/chat-widget.js":
            self.answer(200, self.widget, "text/javascript; charset=utf-8")
        else:
            self.answer_json(404, {"error": "not_found"})

    def do_POST(self) -> None:  # noqa: N802
        try:
            length_header = self.headers.get("Content-Length") or "0"
            if not length_header.isdigit():
                raise Refused(400, "bad_request")
            length = int(length_header)
            if length > MAX_BODY:
                raise Refused(413, "too_large")
            try:
                body = json.loads(self.rfile.read(length) or b"{}")
            except ValueError:
                raise Refused(400, "bad_request") from None
            if not isinstance(body, dict):
                raise Refused(400, "bad_request")
            token = self.headers.get("X-User-Token")
            match = MESSAGES_PATH.match(self.path)
            if self.path == "/api/conversations":
                self.answer_json(201, self.side.start_conversation(str(body.get("assistant_id")), token))
            elif match:
                text = body.get("text")
                if not isinstance(text, str) or not text.strip():
                    raise Refused(400, "bad_request")
                self.answer_json(201, self.side.add_message(int(match.group(1)), token, text))
            else:
                raise Refused(404, "not_found")
        except Refused as refusal:
            self.answer_json(refusal.status, {"error": refusal.code})


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--config", type=Path, required=True)
    parser.add_argument("--db", type=Path, required=True)
    parser.add_argument("--port", type=int, default=0)
    args = parser.parse_args()

    config = json.loads(args.config.read_text())
    keyrings = {
        str(assistant): IdentityKeyring([IdentityKey.from_base64(secret) for secret in secrets])
        for assistant, secrets in config["channels"].items()
    }
    Handler.side = ReceivingSide(keyrings, args.db)
    Handler.widget = (Path(__file__).parent / "chat-widget.js").read_bytes()
    server = ThreadingHTTPServer(("127.0.0.1", args.port), Handler)
    server.daemon_threads = True
    print(f"listening on http://127.0.0.1:{server.server_address[1]}/", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
