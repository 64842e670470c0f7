#!/usr/bin/env python3
"""recvtty.py SOCKET OUT: a console socket as runc's recvtty: accept one
connection on the unix socket SOCKET, receive the pty master over
SCM_RIGHTS, and copy what the container writes on it to OUT until it
hangs up. The pty's name (the message payload) is the first line of OUT."""
import os
import socket
import sys


def main():
    path, out = sys.argv[1], sys.argv[2]
    server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    server.bind(path)
    server.listen(1)
    server.settimeout(30)
    conn, _ = server.accept()
    name, fds, _, _ = socket.recv_fds(conn, 1024, 1)
    with open(out, "wb") as f:
        f.write(name + b"\n")
        f.flush()
        while True:
            try:
                data = os.read(fds[0], 4096)
            except OSError:  # EIO once the container side is gone
                break
            if not data:
                break
            f.write(data)
            f.flush()


if __name__ == "__main__":
    main()
