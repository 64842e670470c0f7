#!/usr/bin/env python3
"""Both ends of network.t's traffic, on the host and in the container.

  get HOST PORT                 HTTP GET /, retried until the server answers; prints the body
  parallel HOST PORT N          N connections at once, each a GET; prints how many got the body
  udp-echo-server PORT          answers every datagram with "echo:" + it, for ever
  udp-ask HOST PORT TEXT        sends TEXT (retrying) and prints the answer
  serve PORT TEXT [close|reset] one TCP connection: sends TEXT, then closes or resets
  peer HOST PORT                connects (retrying), prints what it reads and how it ended
  dns-server [HOST:]PORT NAME ADDR
                                answers A queries for NAME with ADDR ("peer": the asker's), for ever
                                (HOST: 127.0.0.1 unless given)
  source-server PORT            on 127.0.0.1, TCP and UDP: tells each peer its address
                                ("tcp:ADDR", then closes; "udp:ADDR"), for ever
"""
import socket
import struct
import sys
import threading
import time


def family(host):
    return socket.AF_INET6 if ":" in host else socket.AF_INET


def retry(what, seconds=10):
    deadline = time.monotonic() + seconds
    while True:
        try:
            result = what()
            if result:
                return result
        except OSError:
            if time.monotonic() > deadline:
                raise
        if time.monotonic() > deadline:
            return None
        time.sleep(0.1)


def http_get(host, port):
    with socket.create_connection((host, port), timeout=5) as s:
        s.sendall(b"GET / HTTP/1.0\r\n\r\n")
        data = b""
        while chunk := s.recv(65536):
            data += chunk
    return data.partition(b"\r\n\r\n")[2].decode()


def cmd_get(host, port):
    print(retry(lambda: http_get(host, int(port))) or "")


def cmd_parallel(host, port, n):
    bodies = []
    barrier = threading.Barrier(int(n))

    def one():
        barrier.wait()
        bodies.append(retry(lambda: http_get(host, int(port))))

    threads = [threading.Thread(target=one) for _ in range(int(n))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    print(sum(1 for b in bodies if b and b.strip() == "hello"))


def cmd_udp_echo_server(port):
    with socket.socket(socket.AF_INET6, socket.SOCK_DGRAM) as s:
        s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 0)
        s.bind(("::", int(port)))
        while True:
            data, peer = s.recvfrom(65536)
            s.sendto(b"echo:" + data, peer)


def cmd_udp_ask(host, port, text):
    with socket.socket(family(host), socket.SOCK_DGRAM) as s:
        s.settimeout(0.3)

        def ask():
            s.sendto(text.encode(), (host, int(port)))
            return s.recv(65536).decode()

        print(retry(ask) or "")


def cmd_serve(port, text, end="close"):
    with socket.socket(socket.AF_INET6, socket.SOCK_STREAM) as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 0)
        s.bind(("::", int(port)))
        s.listen(1)
        conn, _ = s.accept()
        conn.sendall(text.encode())
        if end == "reset":
            time.sleep(0.5)  # the text first, then the reset
            conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        conn.close()


def cmd_peer(host, port):
    def connect():
        s = socket.create_connection((host, int(port)), timeout=5)
        data = b""
        try:
            while chunk := s.recv(65536):
                data += chunk
            end = "closed"
        except ConnectionResetError:
            end = "reset"
        finally:
            s.close()
        # An empty close: slirp accepted before anyone listened; again.
        return f"{data.decode()} {end}" if data else None

    print(retry(connect) or "nothing")


def cmd_dns_server(port, name, addr):
    host, _, port = port.rpartition(":")
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        s.bind((host or "127.0.0.1", int(port)))
        while True:
            query, peer = s.recvfrom(512)
            qid, flags = struct.unpack("!HH", query[:4])
            labels, i = [], 12
            while query[i]:
                labels.append(query[i + 1:i + 1 + query[i]].decode())
                i += 1 + query[i]
            qtype = struct.unpack("!H", query[i + 1:i + 3])[0]
            question = query[12:i + 5]
            known = ".".join(labels).lower() == name.lower()
            found = known and qtype == 1  # A; other types: no data, but no error
            header = struct.pack("!HHHHHH", qid, 0x8180 if known else 0x8183, 1,
                                 1 if found else 0, 0, 0)
            answer = (b"\xc0\x0c" + struct.pack("!HHIH", 1, 1, 60, 4)
                      + socket.inet_aton(peer[0] if addr == "peer" else addr)
                      if found else b"")
            s.sendto(header + question + answer, peer)


def cmd_source_server(port):
    udp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    udp.bind(("127.0.0.1", int(port)))
    tcp = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    tcp.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    tcp.bind(("127.0.0.1", int(port)))
    tcp.listen(16)

    def answer_udp():
        while True:
            _, peer = udp.recvfrom(512)
            udp.sendto(f"udp:{peer[0]}".encode(), peer)

    threading.Thread(target=answer_udp, daemon=True).start()
    while True:
        conn, peer = tcp.accept()
        conn.sendall(f"tcp:{peer[0]}".encode())
        conn.close()


if __name__ == "__main__":
    globals()["cmd_" + sys.argv[1].replace("-", "_")](*sys.argv[2:])
