#!/usr/bin/env python3
"""mutate-config.py HAKO ROOT BUNDLE: every value of BUNDLE/config.json
(the first element of each array) replaced in turn by one of another JSON
type, and `hako create` run on each. A mutation must be refused with a
message that names the field (or its parent), a non-zero exit and no
sanitizer report; one hako accepts is deleted again. Prints one line per
problem and a summary; exits non-zero when there was any."""
import json
import os
import subprocess
import sys

hako, root, bundle = sys.argv[1:4]
path = os.path.join(bundle, "config.json")
with open(path) as f:
    original = json.load(f)

# seccomp's syscall lists are long and alike: the first rule stands for all.
def walk(node, where):
    yield where, node
    if isinstance(node, dict):
        for key, value in node.items():
            yield from walk(value, where + [key])
    elif isinstance(node, list) and node:
        yield from walk(node[0], where + [0])


def wrong(value):
    if isinstance(value, bool):
        return "yes"
    if isinstance(value, (int, float)):
        return "12"
    if isinstance(value, str):
        return 12
    if isinstance(value, list):
        return {"a": 1}
    return ["a"]


def replaced(doc, where, value):
    doc = json.loads(json.dumps(doc))
    node = doc
    for step in where[:-1]:
        node = node[step]
    node[where[-1]] = value
    return doc


def label(where):
    out = ""
    for step in where:
        out += "[%d]" % step if isinstance(step, int) else ("." if out else "") + step
    return out


problems = tried = accepted = 0
for where, value in list(walk(original, [])):
    if not where:
        continue
    # Members hako reads only as opaque annotations of its own are strings anyway.
    tried += 1
    with open(path, "w") as f:
        json.dump(replaced(original, where, wrong(value)), f)
    run = subprocess.run([hako, "--root", root, "create", "--bundle", bundle, "m"],
                         capture_output=True, text=True)
    err = run.stderr
    name = label(where)
    if "Sanitizer" in err or "runtime error:" in err:
        problems += 1
        print("crash on %s:\n%s" % (name, err))
    elif run.returncode == 0:
        accepted += 1
        print("# accepted a wrong type at %s" % name)
        subprocess.run([hako, "--root", root, "delete", "--force", "m"], capture_output=True)
    else:
        key = [str(s) for s in where if not isinstance(s, int)][-1]
        if key not in err and label(where[:-1]) not in err:
            problems += 1
            print("%s: the message does not name the field: %s" % (name, err.strip()))
with open(path, "w") as f:
    json.dump(original, f)
print("# %d mutations, %d refused, %d accepted, %d problems" % (tried, tried - accepted, accepted, problems))
sys.exit(1 if problems or accepted else 0)
