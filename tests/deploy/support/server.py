#!/usr/bin/env python3
"""A slot of the loopback deploy tests: a small HTTP server on 127.0.0.1.

    server.py --port PORT --name NAME [--error-rate R] [--latency-ms MS]
              [--health ok|fail] [--log FILE]

`/health` answers 200 (or 500 with --health fail) at once: HAProxy's check.
Every other request waits --latency-ms, then answers 500 for a share R of
the requests (exactly: the n-th request fails when floor(n * R) grows) and
200 otherwise, with the server's NAME in the body; each is logged to --log
(one line: status and path), so a test can count what a slot served.
Stops on SIGTERM.
"""

import argparse
import http.server
import math
import signal
import sys
import threading
import time


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--name", required=True)
    parser.add_argument("--error-rate", type=float, default=0.0)
    parser.add_argument("--latency-ms", type=int, default=0)
    parser.add_argument("--health", choices=["ok", "fail"], default="ok")
    parser.add_argument("--log")
    args = parser.parse_args()

    lock = threading.Lock()
    served = [0]
    log = open(args.log, "a", buffering=1) if args.log else None

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            if self.path == "/health":
                self.answer(200 if args.health == "ok" else 500, "health\n")
                return
            if args.latency_ms:
                time.sleep(args.latency_ms / 1000)
            with lock:
                n = served[0]
                served[0] += 1
                fail = math.floor((n + 1) * args.error_rate) > math.floor(n * args.error_rate)
                status = 500 if fail else 200
                if log:
                    log.write("%d %s\n" % (status, self.path))
            self.answer(status, "%s %s\n" % (args.name, self.path))

        def answer(self, status, body):
            data = body.encode()
            self.send_response(status)
            self.send_header("Content-Type", "text/plain")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *_):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", args.port), Handler)
    server.daemon_threads = True

    def stop(*_):
        threading.Thread(target=server.shutdown, daemon=True).start()

    # Installing a handler hides how the server was started: a slot started
    # with SIGTERM ignored could not be stopped by most servers. Say so.
    if signal.getsignal(signal.SIGTERM) == signal.SIG_IGN:
        print("%s: started with SIGTERM ignored" % args.name, file=sys.stderr, flush=True)
    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    server.serve_forever()
    server.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
