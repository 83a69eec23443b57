"""A klcheck candidate over numpy / scipy.special, served with the JSON-lines adapter.

    klcheck check --impl-cmd "python3 examples/python/scipy_candidate.py"

Every function is the plain textbook formula written with scipy's special functions, which carry
the conventions of the extended reals:

    rel_entr(x, y) = x log(x/y)   (0 at x = 0, +inf at x > 0 = y)        -> kl
    entr(x)        = -x log x     (0 at x = 0)                           -> entropy, negEntropy
    xlogy(x, y)    = x log y      (0 at x = 0, even for y = 0)           -> crossEntropy
    logsumexp                     (max-shifted, -inf when every entry is -inf) -> logEvidence

Sums are numpy's (pairwise summation). Natural logarithms, float64.
"""

import os
import sys

import numpy as np
from scipy.special import entr, logsumexp, rel_entr, xlogy

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from klcheck_adapter import Server  # noqa: E402

server = Server("scipy.special (numpy %s, scipy %s)" % (np.__version__, __import__("scipy").__version__))


def _vec(x, name):
    a = np.asarray(x, dtype=np.float64)
    if a.ndim != 1:
        raise ValueError("%s must be a 1-d array" % name)
    return a


def _pair(x, y, nx, ny):
    a, b = _vec(x, nx), _vec(y, ny)
    if a.shape != b.shape:  # numpy would broadcast a length-1 vector silently
        raise ValueError("length mismatch: %s has %d entries, %s has %d" % (nx, a.size, ny, b.size))
    return a, b


@server.register
def kl(p, q):
    """KL(p||q) = sum(rel_entr(p, q)): 0 terms at p_i = 0, +inf under support mismatch."""
    p, q = _pair(p, q, "p", "q")
    with np.errstate(all="ignore"):
        return float(np.sum(rel_entr(p, q)))


@server.register
def entropy(p):
    """H(p) = sum(entr(p)): 0 log 0 = 0."""
    p = _vec(p, "p")
    with np.errstate(all="ignore"):
        return float(np.sum(entr(p)))


@server.register
def crossEntropy(p, q):
    """H(p, q) = -sum(xlogy(p, q)): 0 terms at p_i = 0, +inf where p_i > 0 = q_i."""
    p, q = _pair(p, q, "p", "q")
    with np.errstate(all="ignore"):
        return float(-np.sum(xlogy(p, q)))


@server.register
def negEntropy(p):
    """F(p) = sum p_i log p_i = -sum(entr(p))."""
    p = _vec(p, "p")
    with np.errstate(all="ignore"):
        return float(-np.sum(entr(p)))


@server.register
def negEntropyGradient(q):
    """grad F(q) = 1 + log q (entry -inf at q_i = 0)."""
    q = _vec(q, "q")
    with np.errstate(all="ignore"):
        return 1.0 + np.log(q)


@server.register
def logEvidence(logJoint):
    """log sum exp(logJoint): scipy.special.logsumexp (-inf when every entry is -inf)."""
    lj = _vec(logJoint, "logJoint")
    with np.errstate(all="ignore"):
        return float(logsumexp(lj))


@server.register
def elbo(logJoint, q):
    """ELBO = sum over q_z > 0 of q_z (logJoint_z - log q_z): a term with q_z = 0 is 0 even where
    logJoint_z = -inf; q_z > 0 with logJoint_z = -inf gives -inf."""
    lj, q = _pair(logJoint, q, "logJoint", "q")
    m = q > 0
    with np.errstate(all="ignore"):
        return float(np.sum(q[m] * (lj[m] - np.log(q[m]))))


@server.register
def klNormal(mu1, sigma1, mu2, sigma2):
    """KL(N(mu1, sigma1^2) || N(mu2, sigma2^2)) = log(sigma2/sigma1) + ((sigma1/sigma2)^2 + ((mu1-mu2)/sigma2)^2)/2 - 1/2.

    In ratios: sigma1**2 and (mu1 - mu2)**2 overflow beyond ~1.3e154 (inf/inf = NaN) while the KL is
    moderate (klcheck's huge-scale and tiny-scale classes)."""
    mu1, sigma1, mu2, sigma2 = (np.float64(x) for x in (mu1, sigma1, mu2, sigma2))  # IEEE: overflow -> inf, no exception
    with np.errstate(all="ignore"):
        r = sigma1 / sigma2
        d = (mu1 - mu2) / sigma2
        return float(np.log(sigma2 / sigma1) + (r * r + d * d) / 2 - 0.5)


if __name__ == "__main__":
    server.serve()
