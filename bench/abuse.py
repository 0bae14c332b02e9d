#!/usr/bin/env python3
"""One client abusing one endpoint, and a calm probe measuring what everyone else sees (issue 10, section 3).

Modes (each prints one JSON line on stdout):
  probe BASE SECONDS            GET /health and GET /api/products/1 in turn every 50 ms on one kept-alive connection:
                                p50/p95/max of each, and how many failed.
  stampede BASE SECONDS N       N clients loop POST /api/cache/stampede {"requests":1000,"protection":"none"}
                                (1,000: the most one address may race, Budgets:RaceReadersPerApiClient; more is a 400).
  publish BASE SECONDS N        N clients loop POST /api/pubsub/publish with a 64 KB message.
  connections BASE SECONDS N    N WebSocket upgrades to /hubs/metrics that never read after the handshake.
Standard library only, so the bench needs nothing installed.
"""
import base64
import http.client
import json
import os
import socket
import statistics
import sys
import threading
import time
from urllib.parse import urlparse


def connect(base):
    u = urlparse(base)
    return http.client.HTTPConnection(u.hostname, u.port, timeout=30)


def percentile(values, p):
    if not values:
        return None
    ordered = sorted(values)
    k = max(0, min(len(ordered) - 1, int(round(p / 100.0 * len(ordered) + 0.5)) - 1))
    return ordered[k]


def summary(ms):
    return {
        "count": len(ms),
        "p50_ms": round(statistics.median(ms), 2) if ms else None,
        "p95_ms": round(percentile(ms, 95), 2) if ms else None,
        "max_ms": round(max(ms), 2) if ms else None,
    }


def probe(base, seconds):
    paths = ["/health", "/api/products/1"]
    times = {p: [] for p in paths}
    failures = {p: 0 for p in paths}
    conn = connect(base)
    end = time.monotonic() + seconds
    i = 0
    while time.monotonic() < end:
        path = paths[i % 2]
        i += 1
        started = time.perf_counter()
        try:
            conn.request("GET", path)
            response = conn.getresponse()
            body = response.read()
            elapsed = (time.perf_counter() - started) * 1000
            if response.status == 200 and (path != "/api/products/1" or b'"source":"cache"' in body):
                times[path].append(elapsed)
            else:
                failures[path] += 1
        except (OSError, http.client.HTTPException):
            failures[path] += 1
            conn.close()
            conn = connect(base)
        time.sleep(0.05)
    return {p: dict(summary(times[p]), failed=failures[p]) for p in paths}


def loop_posts(base, seconds, clients, path, body_for):
    statuses = {}
    lock = threading.Lock()
    end = time.monotonic() + seconds

    def worker(n):
        conn = connect(base)
        k = 0
        while time.monotonic() < end:
            k += 1
            try:
                conn.request("POST", path, body=body_for(n, k), headers={"Content-Type": "application/json"})
                response = conn.getresponse()
                response.read()
                status = str(response.status)
            except (OSError, http.client.HTTPException) as e:
                status = type(e).__name__
                conn.close()
                conn = connect(base)
                time.sleep(0.1)
            with lock:
                statuses[status] = statuses.get(status, 0) + 1
            if status == "429":
                time.sleep(0.05)  # a real abuser ignores Retry-After, but not at full spin on one core

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return {"statuses": statuses}


def connections(base, seconds, count):
    u = urlparse(base)
    opened, refused, failed = 0, {}, 0
    sockets = []
    for _ in range(count):
        try:
            s = socket.create_connection((u.hostname, u.port), timeout=5)
            key = base64.b64encode(os.urandom(16)).decode()
            s.sendall((f"GET /hubs/metrics HTTP/1.1\r\nHost: {u.hostname}:{u.port}\r\nUpgrade: websocket\r\n"
                       f"Connection: Upgrade\r\nSec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n").encode())
            head = s.recv(1024).split(b"\r\n", 1)[0].decode(errors="replace")
            code = head.split(" ")[1] if " " in head else "?"
            if code == "101":
                # The SignalR handshake, then never read again: the server's snapshots pile up unread.
                payload = b'{"protocol":"json","version":1}\x1e'
                s.sendall(bytes([0x81, 0x80 | len(payload)]) + b"\0\0\0\0" + payload)
                sockets.append(s)
                opened += 1
            else:
                refused[code] = refused.get(code, 0) + 1
                s.close()
        except OSError:
            failed += 1
    time.sleep(seconds)
    for s in sockets:
        s.close()
    return {"opened": opened, "refused": refused, "failed": failed}


def main():
    mode, base, seconds = sys.argv[1], sys.argv[2], float(sys.argv[3])
    n = int(sys.argv[4]) if len(sys.argv) > 4 else 16
    if mode == "probe":
        result = probe(base, seconds)
    elif mode == "stampede":
        body = json.dumps({"requests": 1000, "protection": "none"}).encode()
        result = loop_posts(base, seconds, n, "/api/cache/stampede", lambda _n, _k: body)
    elif mode == "publish":
        filler = "x" * (64 * 1024 - 16)
        result = loop_posts(base, seconds, n, "/api/pubsub/publish",
                            lambda c, k: json.dumps({"channel": f"abuse.{c}", "message": f"{k:015d}{filler}"[:64 * 1024]}).encode())
    elif mode == "connections":
        result = connections(base, seconds, n)
    else:
        raise SystemExit(f"unknown mode {mode}")
    print(json.dumps(result))


if __name__ == "__main__":
    main()
