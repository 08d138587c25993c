"""examples/python/app.py: start it on loopback, fetch the page, open the token."""

from __future__ import annotations

import html
import os
import re
import socket
import subprocess
import sys
import time
import urllib.request

import teamweb_identity as ti

from conftest import REPO


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def test_flask_example_page_carries_a_token() -> None:
    key = ti.IdentityKey.generate()
    port = free_port()
    env = dict(os.environ, TEAMWEB_IDENTITY_SECRET=key.secret_base64())
    server = subprocess.Popen(
        [sys.executable, str(REPO / "examples" / "python" / "app.py"), "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        page, cache_control = "", ""
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5) as response:
                    page = response.read().decode()
                    cache_control = response.headers.get("Cache-Control", "")
                break
            except OSError:
                assert server.poll() is None, server.stderr.read().decode() if server.stderr else "server died"
                time.sleep(0.1)
        assert page, "the example did not answer"
        # The token is the visitor's credential: the page is never cached.
        assert "no-store" in [d.strip() for d in cache_control.split(",")], cache_control
        tag = re.search(r"<script [^>]*></script>", page)
        assert tag, page
        assert 'data-assistant-id="123"' in tag.group(0)
        match = re.search(r'data-user-token="([^"]+)"', tag.group(0))
        assert match, tag.group(0)
        who = key.decrypt(html.unescape(match.group(1)))
        assert who == ti.UserIdentity("4711", "Zoë O'Brien", "zoe@example.com")
        assert "Hello, Zoë O&#39;Brien" in page
    finally:
        server.terminate()
        server.wait(timeout=10)
