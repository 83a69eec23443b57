#!/usr/bin/env python3
"""Same-run baseline for `npm run bench`: exact-input KL with mpmath at a given precision.

Reads JSON {"p": [...], "q": [...], "digits": 40, "repeats": 5} on stdin (floats in shortest
round-trip form, so Python reads the same doubles); mpf(float) is exact, so mpmath evaluates
sum p*log(p/q) for the binary values as given, like klcheck's reference. Prints JSON
{"us_per_category": [...one per repeat...], "value": "<digits>"}.
"""
import json
import sys
import time

import mpmath


def kl(p, q):
    s = mpmath.mpf(0)
    for a, b in zip(p, q):
        if a > 0:
            s += mpmath.mpf(a) * mpmath.log(mpmath.mpf(a) / mpmath.mpf(b))
    return s


def main():
    req = json.load(sys.stdin)
    p, q = req["p"], req["q"]
    mpmath.mp.dps = int(req["digits"])
    kl(p, q)  # warm-up
    times = []
    value = None
    for _ in range(int(req["repeats"])):
        t0 = time.perf_counter()
        value = kl(p, q)
        times.append((time.perf_counter() - t0) * 1e6 / len(p))
    print(json.dumps({"us_per_category": times, "value": mpmath.nstr(value, int(req["digits"]))}))


if __name__ == "__main__":
    main()
