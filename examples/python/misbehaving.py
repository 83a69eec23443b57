"""A deliberately misbehaving JSON-lines candidate: the test fixture of the subprocess client
(test/subprocess.test.ts). Not a useful candidate.

    python3 examples/python/misbehaving.py MODE [ARG]

Functions (when the mode lets them answer): echo(x) -> x (a round trip through the protocol's
encoding), kl(p, q) (plain Python, natural logs), entropy(p), fail() (raises ValueError).

Modes:
    ok              behaves (the baseline)
    crash           answers describe, writes a message to stderr, exits with code 3
    crash-on-kl     answers everything but kl; on kl writes a message to stderr and exits with code 5
    hang            never answers kl (other functions answer)
    noise           prints non-JSON lines, JSON that is not an answer, and an answer to an id nobody
                    asked, on stdout before the describe answer and among the answers; calls still answered
    never-answers   reads requests, never writes anything (not even the describe answer)
    wrong-id        answers kl with the id + 1000 (other functions answer correctly)
    slow [MS]       answers every call after MS milliseconds (default 200)
    pipelined       collects requests until the input is idle for 30 ms (or 16 are waiting) and answers
                    them in reverse order
    flood           writes ~10 KB to stderr at start, then behaves (the stderr tail is bounded)
    exit-early      exits with code 7 before reading anything, after a message on stderr
    bare-nonfinite  answers with plain json.dumps (Python's default: bare Infinity, -Infinity, NaN
                    tokens instead of the protocol's strings), which the harness accepts
    prefixed        writes every answer after a "DEBUG " prefix, so no line is an answer (each is noise)
"""

import json
import math
import os
import select
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from klcheck_adapter import decode, dumps, encode, loads  # noqa: E402

MODE = sys.argv[1] if len(sys.argv) > 1 else "ok"
ARG = sys.argv[2] if len(sys.argv) > 2 else None


def echo(x):
    return x


def kl(p, q):
    s = 0.0
    for a, b in zip(p, q):
        if a > 0:
            s += math.inf if b == 0 else a * math.log(a / b)
    return s


def entropy(p):
    return -sum(a * math.log(a) for a in p if a > 0)


def fail():
    raise ValueError("this function always fails")


FUNCTIONS = {"echo": echo, "kl": kl, "entropy": entropy, "fail": fail}


def write(line):
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


def answer(req):
    rid = req.get("id")
    fn = req.get("fn")
    if fn == "describe":
        return {"id": rid, "result": {"name": "misbehaving (%s)" % MODE, "functions": list(FUNCTIONS)}}
    f = FUNCTIONS.get(fn)
    if f is None:
        return {"id": rid, "error": "unknown function %r" % (fn,)}
    try:
        return {"id": rid, "result": encode(f(*decode(req.get("args", []))))}
    except Exception as e:
        return {"id": rid, "error": "%s: %s" % (type(e).__name__, e)}


def lines():
    """Request lines from fd 0 (unbuffered, so select() sees exactly what is pending)."""
    buf = b""
    while True:
        chunk = os.read(0, 65536)
        if not chunk:
            return
        buf += chunk
        while b"\n" in buf:
            line, buf = buf.split(b"\n", 1)
            if line.strip():
                yield line.decode()


def pending_input(timeout):
    r, _, _ = select.select([0], [], [], timeout)
    return bool(r)


def main():
    if MODE == "exit-early":
        sys.stderr.write("misbehaving: refusing to start\n")
        sys.exit(7)
    if MODE == "flood":
        sys.stderr.write(("x" * 99 + "\n") * 100)
        sys.stderr.write("END-OF-FLOOD\n")
        sys.stderr.flush()
    if MODE == "noise":
        write("Loading the library... done")
        write("")
        write("[1, 2, 3]")
    if MODE == "pipelined":
        return pipelined()
    for line in lines():
        req = loads(line)
        if MODE == "never-answers":
            continue
        fn = req.get("fn")
        if MODE == "crash-on-kl" and fn == "kl":
            sys.stderr.write("misbehaving: segfault in kl (simulated)\n")
            sys.stderr.flush()
            os._exit(5)
        if MODE == "hang" and fn == "kl":
            continue  # never answered
        if MODE == "slow" and fn != "describe":
            time.sleep(int(ARG or 200) / 1000)
        a = answer(req)
        if MODE == "wrong-id" and fn == "kl":
            a["id"] = a["id"] + 1000
        if MODE == "bare-nonfinite":
            if "result" in a:
                a["result"] = decode(a["result"])
            write(json.dumps(a))
            continue
        if MODE == "prefixed":
            write("DEBUG " + dumps(a))
            continue
        if MODE == "noise":
            write("WARNING: computing %s" % fn)
            write('{"log": "not an answer"}')
            write('{"id": 987654, "result": 1}')
        write(dumps(a))
        if MODE == "crash" and fn == "describe":
            sys.stderr.write("misbehaving: crashing after describe\n")
            sys.stderr.flush()
            sys.exit(3)


def pipelined():
    """Answers every request read so far in reverse order, whenever 16 are waiting or the input
    has been idle for 30 ms (describe is answered at once)."""
    buf = b""
    waiting = []

    def flush():
        for req in reversed(waiting):
            write(dumps(answer(req)))
        del waiting[:]

    while True:
        while b"\n" in buf:
            line, buf = buf.split(b"\n", 1)
            if not line.strip():
                continue
            req = loads(line.decode())
            if req.get("fn") == "describe":
                write(dumps(answer(req)))
            else:
                waiting.append(req)
            if len(waiting) >= 16:
                flush()
        if waiting and not pending_input(0.03):
            flush()
            continue
        chunk = os.read(0, 65536)
        if not chunk:
            flush()
            return
        buf += chunk


if __name__ == "__main__":
    main()
