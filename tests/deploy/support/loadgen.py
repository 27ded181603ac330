#!/usr/bin/env python3
"""A bounded load generator for the deploy tests (loopback and Docker).

    loadgen.py --url URL [--host HOST] --rate N --max-seconds S --out FILE.json

Sends GET URL at N requests a second (spread over a few threads, each
request with a 5-second timeout, HOST as the Host header when given) until
SIGTERM or SIGINT, or S seconds, whichever comes first; then writes

    {"sent": 1234, "failed": 0, "status": {"200": 1230, "500": 4}}

to FILE.json (`failed`: no response at all, the connection refused, reset or
timed out) and the same line on stderr. The rate is a ceiling: on a loaded
machine fewer requests go out, never more.
"""

import argparse
import http.client
import json
import queue
import signal
import sys
import threading
import time
import urllib.parse

WORKERS = 8
TIMEOUT_SECONDS = 5


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--url", required=True)
    parser.add_argument("--host")
    parser.add_argument("--rate", type=float, required=True)
    parser.add_argument("--max-seconds", type=float, required=True)
    parser.add_argument("--out", required=True)
    args = parser.parse_args()

    url = urllib.parse.urlsplit(args.url)
    if url.scheme != "http" or not url.hostname:
        parser.error("--url must be http://HOST[:PORT][/PATH]")
    port = url.port or 80
    path = url.path or "/"
    if url.query:
        path += "?" + url.query
    headers = {"Connection": "close"}
    if args.host:
        headers["Host"] = args.host

    stop = threading.Event()
    tickets = queue.Queue(maxsize=WORKERS)
    lock = threading.Lock()
    result = {"sent": 0, "failed": 0, "status": {}}

    def on_signal(*_):
        stop.set()

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)

    def worker():
        while True:
            ticket = tickets.get()
            if ticket is None:
                return
            status = None
            try:
                connection = http.client.HTTPConnection(url.hostname, port, timeout=TIMEOUT_SECONDS)
                connection.request("GET", path, headers=headers)
                response = connection.getresponse()
                response.read()
                status = str(response.status)
                connection.close()
            except (OSError, http.client.HTTPException):
                status = None
            with lock:
                result["sent"] += 1
                if status is None:
                    result["failed"] += 1
                else:
                    result["status"][status] = result["status"].get(status, 0) + 1

    threads = [threading.Thread(target=worker, daemon=True) for _ in range(WORKERS)]
    for thread in threads:
        thread.start()

    start = time.monotonic()
    deadline = start + args.max_seconds
    interval = 1.0 / args.rate if args.rate > 0 else None
    due = start
    while not stop.is_set() and time.monotonic() < deadline:
        if interval is None:
            stop.wait(0.1)
            continue
        now = time.monotonic()
        if now < due:
            stop.wait(min(due - now, 0.1))
            continue
        try:
            tickets.put(1, timeout=0.1)
        except queue.Full:
            continue  # every worker is busy: the rate is a ceiling
        due = max(due + interval, now - 1.0)
    for _ in threads:
        tickets.put(None)
    for thread in threads:
        thread.join(TIMEOUT_SECONDS + 1)

    with lock:
        summary = json.dumps(result, sort_keys=True)
    with open(args.out, "w") as out:
        out.write(summary + "\n")
    print("loadgen: " + summary, file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
