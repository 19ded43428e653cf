#!/usr/bin/python3
"""serve_load.py - a bounded local load test of `exoskin serve` (make bench;
docs/serve.md, "Load"): starts the server on a free port and sends, from
several client threads at once, a fixed number of requests of each kind:
the page, a check and a run of the default example, then a burst of runs
at a server with one run place and one queue place (the rest answered 503).
Prints one key=value line per phase (requests per second, latency
percentiles in ms, answers by status), like the other benchmarks.

usage: bench/serve_load.py EXOSKIN [SOURCE_DIR]
"""
import http.client
import os
import re
import subprocess
import sys
import threading
import time


def start(exo, *args):
    p = subprocess.Popen([exo, "serve", "--port", "0", *args], stdout=subprocess.PIPE,
                         stderr=subprocess.DEVNULL, text=True)
    m = re.search(r"http://127\.0\.0\.1:(\d+)/", p.stdout.readline())
    if not m:
        p.kill()
        sys.exit("serve_load: exoskin serve did not start")
    return p, int(m.group(1))


def phase(name, port, n, clients, method, path, body=None):
    """n requests from `clients` threads; one key=value line."""
    lat, codes, lock = [], {}, threading.Lock()
    todo = iter(range(n))

    def client():
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=300)
        while True:
            with lock:
                if next(todo, None) is None:
                    break
            t0 = time.perf_counter()
            conn.request(method, path, body=body, headers={"Content-Type": "application/yaml"} if body else {})
            r = conn.getresponse()
            r.read()
            dt = time.perf_counter() - t0
            with lock:
                lat.append(dt)
                codes[r.status] = codes.get(r.status, 0) + 1
            if r.getheader("Connection", "").lower() == "close":
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=300)
        conn.close()

    t0 = time.perf_counter()
    threads = [threading.Thread(target=client) for _ in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.perf_counter() - t0
    lat.sort()
    pct = lambda q: 1000 * lat[min(len(lat) - 1, int(q * len(lat)))]
    status = ",".join(f"{k}:{v}" for k, v in sorted(codes.items()))
    print(f"bench=serve phase={name} requests={n} clients={clients} wall_s={wall:.3f} "
          f"requests_per_s={n / wall:.1f} latency_p50_ms={pct(0.5):.1f} latency_p95_ms={pct(0.95):.1f} "
          f"latency_max_ms={1000 * lat[-1]:.1f} status={status}", flush=True)


def main():
    exo = os.path.abspath(sys.argv[1])
    src = sys.argv[2] if len(sys.argv) > 2 else os.path.join(os.path.dirname(__file__), "..")
    default = open(os.path.join(src, "examples", "default.yaml"), "rb").read()
    p, port = start(exo, "--runs", "2", "--queue", "16")
    try:
        phase("page", port, 2000, 8, "GET", "/")
        phase("schema", port, 200, 4, "GET", "/api/schema")
        phase("check_default", port, 200, 4, "POST", "/api/check", default)
        phase("run_default_serial", port, 5, 1, "POST", "/api/run", default)
        phase("run_default", port, 12, 4, "POST", "/api/run", default)
    finally:
        p.terminate()
        p.wait()
    # a full queue: one place to run, one to wait, 8 clients at once
    p, port = start(exo, "--runs", "1", "--queue", "1")
    try:
        phase("run_overload", port, 16, 8, "POST", "/api/run", default)
    finally:
        p.terminate()
        p.wait()


if __name__ == "__main__":
    main()
