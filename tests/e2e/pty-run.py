#!/usr/bin/env python3
"""pty-run.py COMMAND [ARG...]: runs COMMAND on a new pseudo-terminal, as a
person at a terminal would (podman run -it), and prints what it wrote
there; exits with its status."""
import os
import pty
import sys

output = bytearray()


def read(fd):
    data = os.read(fd, 1024)
    output.extend(data)
    return data


status = pty.spawn(sys.argv[1:], read)
sys.stdout.write(output.decode(errors="replace"))
sys.exit(os.waitstatus_to_exitcode(status))
