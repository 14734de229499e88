#!/usr/bin/env python3
"""Every rule page, as a person sees it: the real service binary serves /rules/{id}, headless Chromium
(Debian's `chromium`) renders it at a desktop width and at a narrow EHR side-panel / phone width, and the
checks are made on the rendered page through the Chrome DevTools Protocol:

- a title and a heading, the card as the clinician sees it, with slots shown as [drug], never as {drug};
- nothing wider than the window (no sideways scrolling in a 360 px panel), body text at least 16 px;
- no request beyond the page itself (it works inside an EHR that blocks outside resources), no script;
- every evidence link is https.

Screenshots are written to $ACHILLES_SCREENSHOTS (default: build/test-screenshots) for a person to look at.
  rule_pages_test.py            (env: ACHILLES_BINARY, ACHILLES_SOURCE_DIR)
"""
import base64
import json
import os
import re
import shutil
import socket
import struct
import subprocess
import sys
import tempfile
import time
import urllib.request

SOURCE = os.environ.get("ACHILLES_SOURCE_DIR", os.path.join(os.path.dirname(__file__), "..", ".."))
BINARY = os.environ.get("ACHILLES_BINARY", os.path.join(SOURCE, "build", "achilles-cds"))
SHOTS = os.environ.get("ACHILLES_SCREENSHOTS", os.path.join(SOURCE, "build", "test-screenshots"))
WIDTHS = (1000, 360)


class WebSocket:
    """Just enough of RFC 6455 for CDP on loopback: text frames, client-masked, unfragmented."""

    def __init__(self, url):
        m = re.match(r"ws://([^/:]+):(\d+)(/.*)", url)
        self.sock = socket.create_connection((m.group(1), int(m.group(2))), timeout=30)
        key = base64.b64encode(os.urandom(16)).decode()
        self.sock.sendall((f"GET {m.group(3)} HTTP/1.1\r\nHost: {m.group(1)}:{m.group(2)}\r\nUpgrade: websocket\r\n"
                           f"Connection: Upgrade\r\nSec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n").encode())
        head = b""
        while b"\r\n\r\n" not in head:
            chunk = self.sock.recv(4096)
            if not chunk:
                raise RuntimeError("DevTools closed the connection during the handshake")
            head += chunk
        if b" 101 " not in head.split(b"\r\n", 1)[0]:
            raise RuntimeError("DevTools refused the WebSocket: " + head.split(b"\r\n", 1)[0].decode())
        self.buf = head.split(b"\r\n\r\n", 1)[1]

    def send(self, text):
        data = text.encode()
        mask = os.urandom(4)
        n = len(data)
        head = bytes([0x81]) + (bytes([0x80 | n]) if n < 126 else
                                bytes([0x80 | 126]) + struct.pack(">H", n) if n < 65536 else
                                bytes([0x80 | 127]) + struct.pack(">Q", n))
        self.sock.sendall(head + mask + bytes(b ^ mask[i % 4] for i, b in enumerate(data)))

    def _read(self, n):
        while len(self.buf) < n:
            chunk = self.sock.recv(1 << 16)
            if not chunk:
                raise RuntimeError("DevTools closed the connection")
            self.buf += chunk
        out, self.buf = self.buf[:n], self.buf[n:]
        return out

    def recv(self):
        message = b""
        while True:
            b0, b1 = self._read(2)
            n = b1 & 0x7F
            if n == 126:
                n = struct.unpack(">H", self._read(2))[0]
            elif n == 127:
                n = struct.unpack(">Q", self._read(8))[0]
            message += self._read(n)
            if b0 & 0x80:
                return message.decode()


class Page:
    def __init__(self, ws_url):
        self.ws = WebSocket(ws_url)
        self.next_id = 0
        self.events = []

    def call(self, method, **params):
        self.next_id += 1
        self.ws.send(json.dumps({"id": self.next_id, "method": method, "params": params}))
        while True:
            msg = json.loads(self.ws.recv())
            if msg.get("id") == self.next_id:
                if "error" in msg:
                    raise RuntimeError(f"{method}: {msg['error']}")
                return msg["result"]
            self.events.append(msg)

    def wait_event(self, name, timeout=30):
        deadline = time.time() + timeout
        while time.time() < deadline:
            for i, e in enumerate(self.events):
                if e.get("method") == name:
                    del self.events[i]
                    return e
            self.events.append(json.loads(self.ws.recv()))
        raise RuntimeError(f"no {name} within {timeout}s")

    def evaluate(self, expression):
        r = self.call("Runtime.evaluate", expression=expression, returnByValue=True)
        if "exceptionDetails" in r:
            raise RuntimeError(f"{expression}: {r['exceptionDetails']}")
        return r["result"].get("value")


def start(args, pattern, stream_name, env=None):
    """Starts a process and waits for `pattern` on its stdout or stderr; returns (process, match)."""
    stream = subprocess.PIPE
    # The service's own log lines go to the suite's log folder, searched after the suite for patient data.
    logs = os.environ.get("ACHILLES_SUITE_LOGS")
    quiet = subprocess.DEVNULL
    if logs and args[0] == BINARY:
        quiet = open(os.path.join(logs, f"{os.path.basename(sys.argv[0])}.{os.getpid()}.{time.time_ns()}.log"), "w")
    proc = subprocess.Popen(args, stdout=stream if stream_name == "stdout" else quiet,
                            stderr=stream if stream_name == "stderr" else quiet, text=True, env=env)
    pipe = proc.stdout if stream_name == "stdout" else proc.stderr
    deadline = time.time() + 60
    while time.time() < deadline:
        line = pipe.readline()
        if not line:
            break
        m = re.search(pattern, line)
        if m:
            return proc, m
    proc.kill()
    raise RuntimeError(f"{args[0]} did not print {pattern!r}")


def open_browser(chromium, profile):
    """Headless Chromium with DevTools on a free loopback port; returns (process, its first page, enabled)."""
    browser, m = start([chromium, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                        "--hide-scrollbars", "--remote-debugging-address=127.0.0.1", "--remote-debugging-port=0",
                        f"--user-data-dir={profile}", "about:blank"],
                       r"DevTools listening on (ws://\S+)", "stderr")
    port = re.match(r"ws://[^:]+:(\d+)/", m.group(1)).group(1)
    targets = json.load(urllib.request.urlopen(f"http://127.0.0.1:{port}/json/list", timeout=30))
    page = Page(next(t for t in targets if t["type"] == "page")["webSocketDebuggerUrl"])
    page.call("Page.enable")
    return browser, page


# What the page looks like once rendered, read in the page (the page itself carries no script).
PROBE = """JSON.stringify({
  title: document.title,
  h1: (document.querySelector('h1') || {}).innerText || '',
  card: (document.querySelector('.card') || {}).innerText || '',
  scrollWidth: document.documentElement.scrollWidth,
  innerWidth: window.innerWidth,
  fontPx: parseFloat(getComputedStyle(document.body).fontSize),
  scripts: document.scripts.length,
  resources: performance.getEntriesByType('resource').map(r => r.name),
  links: Array.from(document.querySelectorAll('a')).map(a => a.href),
  sections: Array.from(document.querySelectorAll('h2')).map(h => h.innerText),
})"""


def check_page(page, url, rule, width):
    problems = []
    page.call("Emulation.setDeviceMetricsOverride", width=width, height=900, deviceScaleFactor=1, mobile=width < 500)
    page.call("Page.navigate", url=url)
    page.wait_event("Page.loadEventFired")
    seen = json.loads(page.evaluate(PROBE))
    where = f"{rule} at {width}px"
    if not seen["title"] or not seen["h1"]:
        problems.append(f"{where}: no title or heading")
    for section in ("What it does", "What the clinician sees here", "Evidence"):
        if section not in seen["sections"]:
            problems.append(f"{where}: no section {section!r} (has {seen['sections']})")
    if not seen["card"]:
        problems.append(f"{where}: the card is not shown")
    if "{" in seen["card"] or "}" in seen["card"]:
        problems.append(f"{where}: the card shows a raw slot: {seen['card']!r}")
    if seen["scrollWidth"] > seen["innerWidth"]:
        problems.append(f"{where}: the page is {seen['scrollWidth']}px wide in a {seen['innerWidth']}px window")
    if seen["fontPx"] < 16:
        problems.append(f"{where}: body text is {seen['fontPx']}px")
    if seen["scripts"]:
        problems.append(f"{where}: the page carries a script")
    if seen["resources"]:
        problems.append(f"{where}: the page fetches {seen['resources']}")
    if not seen["links"] or any(not href.startswith("https://") for href in seen["links"]):
        problems.append(f"{where}: evidence links {seen['links']}")
    shot = page.call("Page.captureScreenshot", format="png", captureBeyondViewport=True)
    with open(os.path.join(SHOTS, f"rule-{rule}-{width}.png"), "wb") as f:
        f.write(base64.b64decode(shot["data"]))
    return problems


def main():
    chromium = shutil.which("chromium")
    if chromium is None:
        print("rule_pages_test: chromium is not installed (run scripts/install-deps.sh)")
        return 1
    os.makedirs(SHOTS, exist_ok=True)
    rules = sorted(f[:-5] for f in os.listdir(os.path.join(SOURCE, "config", "rules")) if f.endswith(".json"))
    profile = tempfile.mkdtemp(prefix="achilles-chromium-")
    service = browser = None
    try:
        service, m = start([BINARY, "serve", "--port", "0", "--threads", "1", "--config",
                            os.path.join(SOURCE, "config")], r"listening on .*:(\d+)\s*$", "stdout")
        base = f"http://127.0.0.1:{m.group(1)}"
        browser, page = open_browser(chromium, profile)
        problems = []
        for rule in rules:
            for width in WIDTHS:
                problems += check_page(page, f"{base}/rules/{rule}", rule, width)
        # An unknown rule is a plain 404, not a blank page.
        status = subprocess.run(["curl", "-s", "-o", "/dev/null", "-w", "%{http_code}", f"{base}/rules/no-such-rule"],
                                capture_output=True, text=True).stdout
        if status != "404":
            problems.append(f"/rules/no-such-rule answered {status}")
        for p in problems:
            print("FAIL", p)
        print(f"rule_pages_test: {len(rules)} rule pages at {', '.join(map(str, WIDTHS))}px, "
              f"{len(problems)} problem(s); screenshots in {SHOTS}")
        return 1 if problems or not rules else 0
    finally:
        for proc in (browser, service):
            if proc is not None:
                proc.terminate()
                try:
                    proc.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    proc.kill()
        shutil.rmtree(profile, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
