#!/usr/bin/env python3
"""A local server whose health changes over time, for the health-wait tests.

usage: health_server.py MODE PORTFILE [SECONDS | GATE]
  http-after SECONDS   HTTP 503 until SECONDS after the first request, then 200
                       (timed from the first request, so a slow start of the
                       test under load cannot shorten the wait)
  http-never           always HTTP 503 with a body saying so
  http-flap            200 on every third request only
  http-hang            accepts connections and never answers
  tcp-after SECONDS    starts listening only SECONDS after start
  tcp-when GATE        starts listening only once the file GATE exists (so a
                       test decides when, whatever the machine's load)

Binds 127.0.0.1 on a free port and writes it to PORTFILE (for tcp-after and
tcp-when the port is reserved first, then released until it listens). Every
request is appended to PORTFILE.log.
"""
import os
import socket
import sys
import threading
import time

mode, portfile = sys.argv[1], sys.argv[2]
argument = sys.argv[3] if len(sys.argv) > 3 else "0"
delay = 0.0 if mode == "tcp-when" else float(argument)
start = time.monotonic()
requests = 0
first_request = None
lock = threading.Lock()


def log(line):
    with open(portfile + ".log", "a") as f:
        f.write(line + "\n")


def listener(port=0):
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind(("127.0.0.1", port))
    s.listen(16)
    return s


def publish(port):
    with open(portfile + ".tmp", "w") as f:
        f.write(str(port))
    os.rename(portfile + ".tmp", portfile)


def answer(conn):
    global requests, first_request
    with conn:
        conn.settimeout(5)
        data = b""
        try:
            while b"\r\n\r\n" not in data:
                chunk = conn.recv(4096)
                if not chunk:
                    break
                data += chunk
        except OSError:
            return
        line = data.split(b"\r\n", 1)[0].decode("latin-1")
        with lock:
            requests += 1
            n = requests
            if first_request is None:
                first_request = time.monotonic()
            since_first = time.monotonic() - first_request
        log(line)
        if mode == "http-hang":
            time.sleep(60)
            return
        healthy = {
            "http-after": since_first >= delay,
            "http-never": False,
            "http-flap": n % 3 == 0,
        }[mode]
        status = "200 OK" if healthy else "503 Service Unavailable"
        body = ("healthy\n" if healthy else "not yet: request %d\n" % n).encode()
        conn.sendall(
            b"HTTP/1.0 " + status.encode() + b"\r\nContent-Type: text/plain\r\n"
            + b"Content-Length: " + str(len(body)).encode() + b"\r\nConnection: close\r\n\r\n" + body
        )


if mode in ("tcp-after", "tcp-when"):
    probe = listener()
    port = probe.getsockname()[1]
    probe.close()
    publish(port)
    if mode == "tcp-when":
        while not os.path.exists(argument):
            time.sleep(0.02)
    else:
        time.sleep(delay)
    s = listener(port)
    log("listening")
    while True:
        conn, _ = s.accept()
        log("connection")
        conn.close()
else:
    s = listener()
    publish(s.getsockname()[1])
    while True:
        conn, _ = s.accept()
        threading.Thread(target=answer, args=(conn,), daemon=True).start()
