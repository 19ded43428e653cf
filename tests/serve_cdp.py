#!/usr/bin/python3
"""serve_cdp.py - drives headless Chromium through the DevTools protocol
(Python standard library only: a minimal WebSocket client) for
tests/serve_browser.sh: loads the page of `exoskin serve`, waits for the
default example to fill the form, changes the age in the form, runs it and
prints what the page shows as JSON on stdout:
  {"age_field": ..., "readouts": {ARM: {READOUT: [before, after]}},
   "figures": N, "depth_figures": N, "lines": N, "points": N, "summary": TEXT, "errors": [...]}

usage: serve_cdp.py CHROMIUM URL AGE [SCREENSHOT.png [SELECTOR]]
"""
import base64
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request


class WebSocket:
    """A WebSocket client, enough for the DevTools protocol (text frames)."""

    def __init__(self, url):
        u = urllib.parse.urlparse(url)
        self.sock = socket.create_connection((u.hostname, u.port), timeout=60)
        key = base64.b64encode(os.urandom(16)).decode()
        req = (f"GET {u.path} HTTP/1.1\r\nHost: {u.hostname}:{u.port}\r\nUpgrade: websocket\r\n"
               f"Connection: Upgrade\r\nSec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n")
        self.sock.sendall(req.encode())
        head = b""
        while b"\r\n\r\n" not in head:
            chunk = self.sock.recv(1)
            if not chunk:
                raise RuntimeError("websocket handshake: connection closed")
            head += chunk
        if b" 101 " not in head.split(b"\r\n")[0]:
            raise RuntimeError("websocket handshake: " + head.decode(errors="replace"))
        self.buf = b""

    def send(self, text):
        data = text.encode()
        mask = os.urandom(4)
        n = len(data)
        if n < 126:
            hdr = bytes([0x81, 0x80 | n])
        elif n < 65536:
            hdr = bytes([0x81, 0x80 | 126]) + n.to_bytes(2, "big")
        else:
            hdr = bytes([0x81, 0x80 | 127]) + n.to_bytes(8, "big")
        self.sock.sendall(hdr + mask + bytes(b ^ mask[i % 4] for i, b in enumerate(data)))

    def _read(self, n):
        while len(self.buf) < n:
            chunk = self.sock.recv(65536)
            if not chunk:
                raise RuntimeError("websocket closed")
            self.buf += chunk
        out, self.buf = self.buf[:n], self.buf[n:]
        return out

    def recv(self):
        message = b""
        while True:
            b0, b1 = self._read(2)
            n = b1 & 0x7F
            if n == 126:
                n = int.from_bytes(self._read(2), "big")
            elif n == 127:
                n = int.from_bytes(self._read(8), "big")
            payload = self._read(n)
            message += payload
            if b0 & 0x80:
                return message.decode()


class Page:
    def __init__(self, ws):
        self.ws, self.next_id, self.events = ws, 0, []

    def call(self, method, **params):
        self.next_id += 1
        mid = self.next_id
        self.ws.send(json.dumps({"id": mid, "method": method, "params": params}))
        while True:
            m = json.loads(self.ws.recv())
            if m.get("id") == mid:
                if "error" in m:
                    raise RuntimeError(f"{method}: {m['error']}")
                return m.get("result", {})
            self.events.append(m)

    def eval(self, expr):
        r = self.call("Runtime.evaluate", expression=expr, returnByValue=True, awaitPromise=True)
        if "exceptionDetails" in r:
            raise RuntimeError(f"page: {expr}: {r['exceptionDetails']}")
        return r["result"].get("value")

    def wait(self, expr, seconds=60):
        end = time.time() + seconds
        while time.time() < end:
            if self.eval(expr):
                return
            time.sleep(0.1)
        raise RuntimeError(f"timed out waiting for {expr}")


def main():
    chromium, url, age = sys.argv[1:4]
    profile = tempfile.mkdtemp(prefix="exoskin-cdp-")
    proc = subprocess.Popen([chromium, "--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run",
                             "--no-default-browser-check", "--disable-extensions", "--disable-background-networking",
                             f"--user-data-dir={profile}", "--remote-debugging-port=0", "about:blank"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        ws_url = None
        end = time.time() + 60
        while time.time() < end and not ws_url:
            line = proc.stderr.readline()
            if not line and proc.poll() is not None:
                break
            m = re.search(r"DevTools listening on (ws://\S+)", line)
            if m:
                ws_url = m.group(1)
        if not ws_url:
            raise RuntimeError("chromium did not start its DevTools endpoint")
        port = urllib.parse.urlparse(ws_url).port
        targets = json.load(urllib.request.urlopen(f"http://127.0.0.1:{port}/json/list", timeout=30))
        page_ws = next(t["webSocketDebuggerUrl"] for t in targets if t["type"] == "page")
        page = Page(WebSocket(page_ws))
        page.call("Runtime.enable")
        page.call("Log.enable")
        page.call("Page.enable")
        page.call("Page.navigate", url=url)
        page.wait("document.body && document.body.dataset.ready === '1'")
        page.wait("document.getElementById('check').classList.contains('ok')")
        # fill the form: the age of the skin, as a person types it
        age_js = json.dumps(age)
        page.eval("(() => { const i = [...document.querySelectorAll('#form input')].find(x => x.dataset.key === 'age');"
                  f" i.value = {age_js}; i.dispatchEvent(new Event('input')); return true; }})()")
        page.wait("document.getElementById('yaml').value.includes('age: ' + " + age_js + ")")
        page.eval("document.getElementById('run').click(), true")
        page.wait("!document.getElementById('results').hidden && !!document.getElementById('numbers-table')")
        shown = page.eval("""(() => {
            const out = {};
            const heads = [...document.querySelectorAll('#numbers-table thead th')].map(th => th.textContent);
            const arms = heads.filter(h => h.includes(' · ')).map(h => h.split(' · ')[0]);
            for (const tr of document.querySelectorAll('#numbers-table tbody tr')) {
              const vals = [...tr.querySelectorAll('td[data-value]')].map(td => Number(td.dataset.value));
              arms.forEach((a, i) => { (out[a] = out[a] || {})[tr.dataset.readout] = [vals[2 * i], vals[2 * i + 1]]; });
            }
            return {
              age_field: [...document.querySelectorAll('#form input')].find(x => x.dataset.key === 'age').value,
              readouts: out,
              figures: document.querySelectorAll('#figures svg').length,
              depth_figures: document.querySelectorAll('#delivery svg[data-depth]').length,
              lines: document.querySelectorAll('#figures svg polyline').length,
              points: Math.min(...[...document.querySelectorAll('#figures svg polyline')].map(p => p.points.length)),
              summary: document.getElementById('summary').textContent,
            };
        })()""")
        shown["errors"] = [e["params"] for e in page.events
                           if e.get("method") == "Runtime.exceptionThrown" or
                           (e.get("method") == "Log.entryAdded" and e["params"]["entry"]["level"] == "error")]
        if len(sys.argv) > 4:  # a picture of the page, for a person to look at
            page.call("Emulation.setDeviceMetricsOverride", width=1400, height=900, deviceScaleFactor=1, mobile=False)
            args = {"format": "png", "captureBeyondViewport": True}
            if len(sys.argv) > 5:  # only the element of this selector
                r = page.eval(f"(() => {{ const r = document.querySelector({json.dumps(sys.argv[5])})"
                              ".getBoundingClientRect(); return [r.x + scrollX, r.y + scrollY, r.width, r.height]; })()")
                args["clip"] = {"x": r[0], "y": r[1], "width": r[2], "height": r[3], "scale": 1}
            shot = page.call("Page.captureScreenshot", **args)
            with open(sys.argv[4], "wb") as f:
                f.write(base64.b64decode(shot["data"]))
        print(json.dumps(shown))
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
        shutil.rmtree(profile, ignore_errors=True)


if __name__ == "__main__":
    main()
