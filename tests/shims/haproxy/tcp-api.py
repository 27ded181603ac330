#!/usr/bin/env python3
"""A TCP runtime API for the bats tests of the deploy tasks:

    tcp-api.py PORT READY-FILE

listens on 127.0.0.1:PORT; for each connection it reads one command line,
answers what tests/shims/haproxy/fake-haproxy answers to it, and closes the
connection, as HAProxy's runtime API does in its non-interactive mode.
Writes READY-FILE once listening; stops on SIGTERM.
"""

import os
import signal
import socket
import subprocess
import sys

FAKE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "fake-haproxy")


def main():
    port, ready = int(sys.argv[1]), sys.argv[2]
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    listener = socket.socket()
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind(("127.0.0.1", port))
    listener.listen(8)
    with open(ready, "w") as out:
        out.write("%d\n" % port)
    while True:
        connection, _ = listener.accept()
        with connection:
            connection.settimeout(10)
            data = b""
            while b"\n" not in data:
                chunk = connection.recv(4096)
                if not chunk:
                    break
                data += chunk
            line = data.split(b"\n", 1)[0] + b"\n"
            reply = subprocess.run([FAKE], input=line, stdout=subprocess.PIPE, check=False).stdout
            connection.sendall(reply)


if __name__ == "__main__":
    main()
