"""klcheck JSON-lines adapter: serve Python functions to `klcheck check --impl-cmd "..."`.

The protocol (docs/contract.md, "Any language: JSON lines over stdin/stdout"): one JSON object per
line in each direction.

    harness -> program   {"id": 0, "fn": "describe"}
    program -> harness   {"id": 0, "result": {"name": "...", "functions": ["kl", ...],
                                              "precision": "float64", "base": "e"}}
    harness -> program   {"id": 7, "fn": "kl", "args": [[0.5, 0.5], [0.25, 0.75]]}
    program -> harness   {"id": 7, "result": 0.14384103622589042}
                    or   {"id": 7, "error": "ValueError: ..."}

Non-finite numbers travel as the strings "Infinity", "-Infinity" and "NaN" (both directions, inside
arrays too). Numbers are written in shortest round-trip form (Python's float repr, which json.dumps
uses), so float64 values cross exactly; negative zero is written -0.0.

Usage::

    from klcheck_adapter import Server

    server = Server("my library", precision="float64", base="e")

    @server.register
    def kl(p, q):
        ...

    server.serve()

or ``serve({"kl": kl, ...}, name="my library")``.

While a function runs, ``sys.stdout`` is redirected to ``sys.stderr``: a stray ``print`` in the code
under test cannot corrupt the protocol stream. Arguments arrive as Python lists of floats (integers
in the JSON text are converted to float, exactly); results may be Python floats, numpy scalars or
numpy arrays (anything with ``tolist()``), or lists of those.
"""

import json
import math
import sys
import traceback

__all__ = ["Server", "serve", "decode", "encode", "dumps", "loads"]

_NON_FINITE = {"Infinity": math.inf, "-Infinity": -math.inf, "NaN": math.nan}


def decode(value):
    """Protocol value -> Python: the non-finite strings become floats, integers become floats
    (recursively inside lists). Other values are returned unchanged."""
    if isinstance(value, list):
        return [decode(v) for v in value]
    if isinstance(value, str) and value in _NON_FINITE:
        return _NON_FINITE[value]
    if isinstance(value, int) and not isinstance(value, bool):
        return float(value)  # exact: the harness only sends float64 values
    return value


def encode(value):
    """Python -> protocol value: non-finite floats become strings, numpy scalars and arrays become
    floats and lists (via ``tolist()``), recursively inside lists, tuples and dicts. A value of
    any other type is sent as its ``repr`` string (the harness reports it as a non-number)."""
    if hasattr(value, "tolist") and not isinstance(value, (str, bytes)):
        value = value.tolist()  # numpy array or scalar -> list / float / int / bool
    if isinstance(value, bool) or value is None or isinstance(value, str):
        return value
    if isinstance(value, float):
        if math.isfinite(value):
            return value
        return "NaN" if math.isnan(value) else ("Infinity" if value > 0 else "-Infinity")
    if isinstance(value, int):
        return value
    if isinstance(value, (list, tuple)):
        return [encode(v) for v in value]
    if isinstance(value, dict):
        return {str(k): encode(v) for k, v in value.items()}
    return repr(value)


def dumps(message):
    """One protocol line (without the newline). Floats use repr: shortest round-trip."""
    return json.dumps(encode(message), allow_nan=False, separators=(",", ":"))


def loads(line):
    """Parses one protocol line (the JSON text; the non-finite strings are decoded by ``decode``)."""
    return json.loads(line)


class Server:
    """A registry of functions by name and the JSON-lines server loop that answers for them."""

    def __init__(self, name, precision="float64", base="e"):
        if precision not in ("float64", "float32"):
            raise ValueError("precision must be 'float64' or 'float32'")
        if base not in ("e", 2, 10):
            raise ValueError("base must be 'e', 2 or 10")
        self.name = name
        self.precision = precision
        self.base = base
        self.functions = {}

    def register(self, fn=None, *, name=None):
        """Registers ``fn`` under ``name`` (default: its ``__name__``). Usable as a decorator,
        with or without arguments: ``@server.register`` or ``@server.register(name="kl")``."""
        if fn is None:
            return lambda f: self.register(f, name=name)
        self.functions[name or fn.__name__] = fn
        return fn

    def describe(self):
        return {
            "name": self.name,
            "functions": list(self.functions),
            "precision": self.precision,
            "base": self.base,
        }

    def handle(self, request):
        """The answer (a dict) to one decoded request, or None if it has no usable id."""
        if not isinstance(request, dict) or "id" not in request:
            return None
        rid = request["id"]
        fn = request.get("fn")
        if fn == "describe":
            return {"id": rid, "result": self.describe()}
        f = self.functions.get(fn) if isinstance(fn, str) else None
        if f is None:
            return {"id": rid, "error": "unknown function %r" % (fn,)}
        args = request.get("args", [])
        if not isinstance(args, list):
            return {"id": rid, "error": "args must be an array"}
        real_stdout = sys.stdout
        sys.stdout = sys.stderr  # stray prints of the code under test must not reach the protocol
        try:
            result = f(*decode(args))
            return {"id": rid, "result": encode(result)}
        except Exception as e:  # the harness reports it as a throw
            return {"id": rid, "error": "%s: %s" % (type(e).__name__, e)}
        finally:
            sys.stdout = real_stdout

    def serve(self, stdin=None, stdout=None):
        """Answers requests until stdin ends. One request at a time, answers in order."""
        stdin = stdin or sys.stdin
        out = stdout or sys.stdout
        while True:
            line = stdin.readline()
            if not line:
                return
            line = line.strip()
            if not line:
                continue
            try:
                request = loads(line)
            except ValueError:
                sys.stderr.write("klcheck_adapter: ignoring a malformed request line: %r\n" % line[:200])
                continue
            try:
                answer = self.handle(request)
            except Exception:  # a bug in the adapter itself: say so, keep serving
                traceback.print_exc(file=sys.stderr)
                rid = request.get("id") if isinstance(request, dict) else None
                answer = None if rid is None else {"id": rid, "error": "adapter error"}
            if answer is None:
                sys.stderr.write("klcheck_adapter: ignoring a request without an id: %r\n" % line[:200])
                continue
            out.write(dumps(answer) + "\n")
            out.flush()


def serve(functions, name, precision="float64", base="e"):
    """Serves a dict of name -> function on stdin/stdout until stdin ends."""
    server = Server(name, precision=precision, base=base)
    for fname, f in functions.items():
        server.register(f, name=fname)
    server.serve()
