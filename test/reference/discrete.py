#!/usr/bin/env python3
"""Reference values for the discrete, multivariate and mixture families and for src/core/linalg.ts.

Writes test/fixtures/discrete.json. Run from the repository root:

    python3 test/reference/discrete.py

(about 8 minutes, mostly the exact tail sums of the binomial with n = 1e10).

Needs numpy, scipy and mpmath. Most values are computed with mpmath (60 significant digits; 30 for
long sums of positive terms) from the defining formulas: exact sums or incomplete gamma functions
for cdfs, closed forms for moments and entropies. So they are exact to double precision. scipy is
used as a cross-check (binomial and Poisson cdfs, multivariate normal, Dirichlet entropy), for the
entropies of the binomials with n = 1e7 and 1e10 (fsum of boost's masses), and for the 2-d normal
mixture entropy (dblquad). Non-finite numbers are written as the strings "Infinity", "-Infinity"
and "NaN" (JSON has no such numbers).
"""

import json
import math
import os
import sys

import mpmath as mp
import numpy as np
import scipy
import scipy.integrate as si
import scipy.stats as st

mp.mp.dps = 60

P_LEVELS = [1e-12, 0.01, 0.5, 0.99, 1 - 1e-12]


def enc(x):
    """A float (or nested list of floats) as JSON: non-finite values as strings."""
    if isinstance(x, (list, tuple, np.ndarray)):
        return [enc(v) for v in x]
    x = float(x)
    if math.isnan(x):
        return "NaN"
    if math.isinf(x):
        return "Infinity" if x > 0 else "-Infinity"
    return x


def logsumexp_mp(values):
    vals = [v for v in values if v != -mp.inf]
    if not vals:
        return -mp.inf
    m = max(vals)
    return m + mp.log(mp.fsum(mp.exp(v - m) for v in vals))


# ------------------------------------------------------------------------------------------------
# Discrete univariate families: exact log masses, cdfs, sfs, quantiles, moments, entropies.


class Discrete:
    """A discrete law on the integers [lower, upper] given by an exact (mpmath) log mass."""

    def __init__(self, lower, upper, logpmf):
        self.lower = lower
        self.upper = upper
        self.logpmf = logpmf  # integer k -> mpf, -inf outside the support
        self._cache = {}

    def pmf(self, k):
        if k < self.lower or k > self.upper:
            return mp.mpf(0)
        if k not in self._cache:
            self._cache[k] = mp.exp(self.logpmf(k))
        return self._cache[k]


def exact_cdf_sf(law, k, lo, hi):
    """cdf(k) and sf(k) by exact summation over [lo, hi] (the caller makes the rest negligible)."""
    left = mp.fsum(law.pmf(j) for j in range(max(lo, law.lower), k + 1)) if k >= law.lower else mp.mpf(0)
    right = mp.fsum(law.pmf(j) for j in range(k + 1, hi + 1))
    return left, right


def upper_sum(law, k):
    """sum_{j > k} pmf(j) for a tail that decreases (k past the mode), to 1e-30 relative."""
    total, j = mp.mpf(0), k + 1
    while True:
        t = law.pmf(j)
        total += t
        if t < total * mp.mpf("1e-30"):
            return total
        j += 1


def quantile_by_definition(p, cdf, sf, start, lower, upper):
    """The smallest integer k with cdf(k) >= p, tested as sf(k) <= 1 - p above 1/2 like the code."""
    p_mp = mp.mpf(p)
    q_float = 1 - p  # exact for p in [1/2, 1]

    def ok(k):
        if k < lower:
            return False
        if p <= 0.5:
            return cdf(k) >= p_mp
        return sf(k) <= mp.mpf(q_float)

    k = max(lower, min(upper, int(start)))
    while not ok(k):
        k += 1
    while k > lower and ok(k - 1):
        k -= 1
    return k


def discrete_case(name, spec, law, lo, hi, mean, variance, entropy, points, cdf=None, sf=None, scipy_ppf=None):
    """Build the fixture entry. lo..hi must carry all but ~1e-40 of the mass (for the sums)."""
    if cdf is None:
        cdf = lambda k: exact_cdf_sf(law, k, lo, hi)[0]  # noqa: E731
    if sf is None:
        sf = lambda k: exact_cdf_sf(law, k, lo, hi)[1]  # noqa: E731
    logpmf, cdfs, sfs = [], [], []
    for x in points:
        if x != math.floor(x) or x < law.lower or x > law.upper:
            logpmf.append(-math.inf)
        else:
            logpmf.append(float(law.logpmf(int(x))))
        k = math.floor(x)
        if k < law.lower:
            cdfs.append(0.0)
            sfs.append(1.0)
        elif k >= law.upper:
            cdfs.append(1.0)
            sfs.append(0.0)
        else:
            cdfs.append(float(cdf(k)))
            sfs.append(float(sf(k)))
    quantiles = []
    for p in P_LEVELS:
        start = scipy_ppf(p) if scipy_ppf is not None else law.lower
        if not np.isfinite(start):
            start = law.lower
        quantiles.append(quantile_by_definition(p, cdf, sf, start, law.lower, law.upper))
    return {
        "name": name,
        "spec": spec,
        "points": enc(points),
        "logpmf": enc(logpmf),
        "cdf": enc(cdfs),
        "sf": enc(sfs),
        "p": P_LEVELS,
        "quantile": enc(quantiles),
        "mean": enc(mean),
        "variance": enc(variance),
        "entropy": enc(entropy),
    }


def entropy_sum(law, lo, hi):
    with mp.workdps(30):  # a sum of positive terms: 30 digits are plenty
        return +mp.fsum(-law.pmf(k) * law.logpmf(k) for k in range(lo, hi + 1) if law.pmf(k) > 0)


def grid(law_lower, law_upper, centre, spread, extra=()):
    pts = {law_lower - 1, law_lower, law_lower + 0.5}
    for z in [-30, -12, -8, -5, -2, -1, 0, 1, 2, 5, 8, 12, 30, 60]:
        k = round(centre + z * spread)
        if law_lower <= k <= law_upper:
            pts.add(k)
            pts.add(k + 0.5)
    if math.isfinite(law_upper):
        pts.update([law_upper, law_upper + 1, law_upper - 0.5])
    pts.update(extra)
    return sorted(float(p) for p in pts)


def bernoulli_case(p):
    pm = mp.mpf(p)
    law = Discrete(0, 1, lambda k: mp.log(1 - pm) if k == 0 else mp.log(pm) if pm > 0 else -mp.inf)
    if p == 1:
        law.logpmf = lambda k: -mp.inf if k == 0 else mp.mpf(0)
    h = -sum(v * mp.log(v) for v in [pm, 1 - pm] if v > 0)
    return discrete_case(
        f"bernoulli p={p}", {"family": "bernoulli", "p": p}, law, 0, 1, pm, pm * (1 - pm), h,
        [-1, 0, 0.5, 1, 1.5, 2],
    )


def binomial_case(n, p, exact=True):
    pm, qm = mp.mpf(p), 1 - mp.mpf(p)

    def logpmf(k):
        if k < 0 or k > n:
            return -mp.inf
        return mp.log(mp.binomial(n, k)) + k * mp.log(pm) + (n - k) * mp.log(qm)

    law = Discrete(0, n, logpmf)
    mean, var = n * pm, n * pm * qm
    sd = math.sqrt(float(var))
    pts = grid(0, n, float(mean), max(sd, 0.5))
    if exact:
        lo, hi = 0, n
        h = entropy_sum(law, lo, hi)
        cdf = sf = None
    else:
        # n too large to sum the whole support in mpmath. The cdf and sf: the smaller tail summed
        # in mpmath from the exact mass at its start by the ratio recurrence (until the terms are
        # below 1e-25 of the sum), the other as its complement. The entropy: a float sum
        # (math.fsum) of -pmf log pmf over mean +- 12 sd with boost's masses (scipy's binom.pmf,
        # good to ~1e-15; not its logpmf, which loses 1e-8 to cancellation at n = 1e7); the mass
        # left out is below 1e-32.
        lo, hi = 0, n
        a = max(0, int(float(mean) - 12 * sd))
        b = min(n, int(float(mean) + 12 * sd) + 1)
        pm_ = st.binom.pmf(np.arange(a, b + 1), n, p)
        pm_ = pm_[pm_ > 0]
        h = math.fsum((-pm_ * np.log(pm_)).tolist())

        def tail(k, upper):
            with mp.workdps(30):  # 30 digits are plenty for a sum of positive terms
                return tail30(k, upper)

        def tail30(k, upper):
            j = k + 1 if upper else k
            t = mp.exp(logpmf(j))
            total = t
            while True:
                if upper:
                    t *= (n - j) * pm / ((j + 1) * qm)
                    j += 1
                else:
                    t *= j * qm / ((n - j + 1) * pm)
                    j -= 1
                total += t
                if t < total * mp.mpf("1e-25") or j <= 0 or j >= n:
                    return total

        def cdf(k):
            return tail(k, False) if k < float(mean) else 1 - tail(k, True)

        def sf(k):
            return tail(k, True) if k >= float(mean) else 1 - tail(k, False)
    return discrete_case(
        f"binomial n={n} p={p}", {"family": "binomial", "n": n, "p": p}, law, lo, hi, mean, var, h, pts,
        cdf=cdf, sf=sf, scipy_ppf=lambda u: st.binom.ppf(u, n, p),
    )


def poisson_case(rate):
    lam = mp.mpf(rate)

    def logpmf(k):
        if k < 0:
            return -mp.inf
        return k * mp.log(lam) - lam - mp.loggamma(k + 1)

    law = Discrete(0, math.inf, logpmf)
    sd = math.sqrt(rate)
    # Upper incomplete gamma Q(k + 1, rate) = P(X <= k), exactly (60 digits); its complement at 60
    # digits is exact to double precision down to 1e-40, and beyond that an exact sum of the masses.
    cdf = lambda k: mp.gammainc(k + 1, lam, mp.inf, regularized=True)  # noqa: E731

    def sf(k):
        c = cdf(k)
        if 1 - c > mp.mpf("1e-40"):
            return 1 - c
        return upper_sum(law, k)

    w = (40 if rate <= 1e6 else 12) * sd + 40  # beyond 12 sd the mass is below 1e-32
    lo, hi = max(0, int(rate - w)), int(rate + w)
    h = entropy_sum(law, lo, hi)
    pts = grid(0, math.inf, rate, max(sd, 0.5))
    return discrete_case(
        f"poisson rate={rate}", {"family": "poisson", "rate": rate}, law, lo, hi, lam, lam, h, pts,
        cdf=cdf, sf=sf, scipy_ppf=lambda u: st.poisson.ppf(u, rate),
    )


def geometric_case(p):
    pm = mp.mpf(p)

    def logpmf(k):
        if k < 1:
            return -mp.inf
        if p == 1:
            return mp.mpf(0) if k == 1 else -mp.inf
        return (k - 1) * mp.log(1 - pm) + mp.log(pm)

    law = Discrete(1, math.inf, logpmf)
    sf = lambda k: (1 - pm) ** k if k >= 1 else mp.mpf(1)  # noqa: E731
    cdf = lambda k: 1 - sf(k)  # noqa: E731
    mean, var = 1 / pm, (1 - pm) / pm**2
    h = mp.mpf(0) if p == 1 else (-(1 - pm) * mp.log(1 - pm) - pm * mp.log(pm)) / pm
    pts = grid(1, math.inf, float(mean), max(math.sqrt(float(var)), 0.5), extra=[1, 2, 3, 1.5])
    return discrete_case(
        f"geometric p={p}", {"family": "geometric", "p": p}, law, 1, 10**9, mean, var, h, pts,
        cdf=cdf, sf=sf, scipy_ppf=lambda u: st.geom.ppf(u, p),
    )


def categorical_case(probs):
    ps = [mp.mpf(v) for v in probs]
    k = len(probs)
    law = Discrete(0, k - 1, lambda i: mp.log(ps[i]) if 0 <= i < k and ps[i] > 0 else -mp.inf)
    mean = mp.fsum(i * ps[i] for i in range(k))
    var = mp.fsum((i - mean) ** 2 * ps[i] for i in range(k))
    h = -mp.fsum(v * mp.log(v) for v in ps if v > 0)
    pts = [-1, -0.5] + [i + d for i in range(k) for d in (0, 0.5)] + [k, k + 3]
    return discrete_case(
        f"categorical {probs}", {"family": "categorical", "probs": probs}, law, 0, k - 1, mean, var, h, pts,
    )


def discrete_cases():
    out = [
        bernoulli_case(0.3),
        bernoulli_case(1),
        binomial_case(10, 0.3),
        binomial_case(1000, 0.3),
        binomial_case(1000, 1e-4),
        binomial_case(100, 0.99),
        binomial_case(0, 0.5),
        binomial_case(10_000_000, 0.3, exact=False),
        binomial_case(10_000_000_000, 0.3, exact=False),
        poisson_case(0.1),
        poisson_case(3.5),
        poisson_case(1000),
        poisson_case(1e6),
        poisson_case(1e8),
        geometric_case(0.01),
        geometric_case(0.5),
        geometric_case(1),
        categorical_case([0.1, 0.2, 0.3, 0.4]),
        categorical_case([0, 0.25, 0, 0, 0.75, 0]),
    ]
    # Cross-check the mpmath values against scipy where scipy is accurate (small arguments), and
    # report (only) where scipy's ppf differs from the smallest k with cdf(k) >= p.
    ppf = {"binomial": lambda u, s: st.binom.ppf(u, s["n"], s["p"]), "poisson": lambda u, s: st.poisson.ppf(u, s["rate"])}
    for case in out:
        fam = case["spec"]["family"]
        if fam in ppf:
            sp = [float(ppf[fam](u, case["spec"])) for u in P_LEVELS]
            if sp != case["quantile"]:
                print(f"note: scipy ppf {sp} differs from the definition {case['quantile']} for {case['name']}", file=sys.stderr)

        fam = case["spec"]["family"]
        if fam == "binomial" and case["spec"]["n"] <= 1000:
            n, p = case["spec"]["n"], case["spec"]["p"]
            for x, c in zip(case["points"], case["cdf"]):
                assert abs(st.binom.cdf(x, n, p) - c) <= 1e-12 * max(c, 1e-300) + 1e-300, (case["name"], x)
        if fam == "poisson" and case["spec"]["rate"] <= 1000:
            r = case["spec"]["rate"]
            for x, c in zip(case["points"], case["cdf"]):
                assert abs(st.poisson.cdf(x, r) - c) <= 1e-11 * max(c, 1e-300) + 1e-300, (case["name"], x)
    return out


# ------------------------------------------------------------------------------------------------
# Multivariate families.


def mvn_case(name, mean, cov, points):
    mean = np.asarray(mean, float)
    cov = np.asarray(cov, float)
    d = len(mean)
    # logpdf with mpmath from the definition (scipy agrees to ~1e-14).
    M = mp.matrix(cov.tolist())
    Minv = M**-1
    logdet = mp.log(mp.det(M))
    logpdf = []
    for x in points:
        dx = mp.matrix([mp.mpf(x[i]) - mp.mpf(mean[i]) for i in range(d)])
        q = (dx.T * Minv * dx)[0]
        logpdf.append(float(-(d * mp.log(2 * mp.pi) + logdet + q) / 2))
    sp = st.multivariate_normal(mean, cov).logpdf(np.asarray(points))
    assert np.allclose(sp, logpdf, rtol=1e-12, atol=0), name
    entropy = (d * (mp.log(2 * mp.pi) + 1) + logdet) / 2
    assert abs(float(entropy) - st.multivariate_normal(mean, cov).entropy()) < 1e-12
    return {
        "name": name,
        "spec": {"family": "multivariate_normal", "mean": mean.tolist(), "cov": cov.tolist()},
        "points": enc(points),
        "logpdf": enc(logpdf),
        "mean": enc(mean),
        "covariance": enc(cov),
        "entropy": enc(entropy),
    }


def dirichlet_case(name, alpha, points):
    a = [mp.mpf(v) for v in alpha]
    a0 = mp.fsum(a)
    logB = mp.fsum(mp.loggamma(v) for v in a) - mp.loggamma(a0)
    logpdf = []
    for x in points:
        xs = [mp.mpf(v) for v in x]
        logpdf.append(float(mp.fsum((a[i] - 1) * mp.log(xs[i]) for i in range(len(a))) - logB))
    m = [v / a0 for v in a]
    cov = [[((m[i] if i == j else 0) - m[i] * m[j]) / (a0 + 1) for j in range(len(a))] for i in range(len(a))]
    h = logB + (a0 - len(a)) * mp.digamma(a0) - mp.fsum((v - 1) * mp.digamma(v) for v in a)
    assert abs(float(h) - st.dirichlet(alpha).entropy()) < 1e-9 * max(1, abs(float(h))), name
    return {
        "name": name,
        "spec": {"family": "dirichlet", "alpha": alpha},
        "points": enc(points),
        "logpdf": enc(logpdf),
        "mean": enc(m),
        "covariance": enc(cov),
        "entropy": enc(h),
    }


def multivariate_cases():
    rng = np.random.default_rng(20240611)
    A = rng.normal(size=(5, 5))
    cov5 = A @ A.T + 0.5 * np.eye(5)
    mean5 = rng.normal(size=5)
    return [
        mvn_case(
            "mvn d=3 correlated",
            [1.0, -2.0, 0.5],
            [[2.0, 0.6, -0.4], [0.6, 1.0, 0.3], [-0.4, 0.3, 1.5]],
            [[1.0, -2.0, 0.5], [0.0, 0.0, 0.0], [3.0, -1.0, -2.0], [10.0, -10.0, 5.0]],
        ),
        mvn_case(
            "mvn d=5 random SPD",
            mean5.tolist(),
            cov5.tolist(),
            [mean5.tolist(), (mean5 + 1).tolist(), rng.normal(size=5).tolist()],
        ),
        mvn_case("mvn d=1", [0.5], [[4.0]], [[0.5], [-3.0], [40.0]]),
        dirichlet_case(
            "dirichlet alpha<1",
            [0.3, 0.5, 0.2],
            [[0.2, 0.3, 0.5], [0.001, 0.998, 0.001], [1 / 3, 1 / 3, 1 / 3]],
        ),
        dirichlet_case(
            "dirichlet large alpha",
            [1000.0, 2000.0, 500.0],
            [[2 / 7, 4 / 7, 1 / 7], [0.3, 0.55, 0.15], [0.25, 0.6, 0.15]],
        ),
        dirichlet_case("dirichlet k=2", [2.0, 3.5], [[0.4, 0.6], [0.9, 0.1]]),
    ]


# ------------------------------------------------------------------------------------------------
# Mixtures.


def normal_mixture_case(name, weights, comps, points):
    """comps: list of (mean, std). Everything with mpmath, entropy by mpmath quadrature."""
    w = [mp.mpf(v) for v in weights]
    cm = [(mp.mpf(m), mp.mpf(s)) for m, s in comps]

    def logpdf(x):
        x = mp.mpf(x)
        return logsumexp_mp(
            [mp.log(w[i]) - (x - m) ** 2 / (2 * s * s) - mp.log(s) - mp.log(2 * mp.pi) / 2 for i, (m, s) in enumerate(cm)]
        )

    def cdf(x):
        return mp.fsum(w[i] * mp.ncdf(x, m, s) for i, (m, s) in enumerate(cm))

    def sf(x):
        return mp.fsum(w[i] * mp.ncdf(2 * m - x, m, s) for i, (m, s) in enumerate(cm))

    quantiles = []
    for p in P_LEVELS:
        lo, hi = mp.mpf(-1000), mp.mpf(1000)
        target = mp.mpf(p)
        for _ in range(400):
            mid = (lo + hi) / 2
            if (cdf(mid) >= target) if p <= 0.5 else (sf(mid) <= mp.mpf(1 - p)):
                hi = mid
            else:
                lo = mid
        quantiles.append(float(hi))
    mean = mp.fsum(w[i] * m for i, (m, s) in enumerate(cm))
    var = mp.fsum(w[i] * (s * s + (m - mean) ** 2) for i, (m, s) in enumerate(cm))
    breaks = sorted({float(m + z * s) for m, s in comps for z in (-40, -10, -3, 0, 3, 10, 40)})
    mp.mp.dps = 30
    h = mp.quad(lambda x: -mp.exp(logpdf(x)) * logpdf(x), [-mp.inf] + breaks + [mp.inf])
    mp.mp.dps = 60
    return {
        "name": name,
        "spec": {
            "family": "mixture",
            "weights": weights,
            "components": [{"family": "normal", "mean": m, "std": s} for m, s in comps],
        },
        "kind": "continuous",
        "points": enc(points),
        "logpdf": enc([logpdf(x) for x in points]),
        "cdf": enc([cdf(x) for x in points]),
        "sf": enc([sf(x) for x in points]),
        "p": P_LEVELS,
        "quantile": enc(quantiles),
        "mean": enc(mean),
        "variance": enc(var),
        "entropy": enc(h),
    }


def discrete_mixture_case():
    weights = [0.5, 0.3, 0.2]
    specs = [
        {"family": "poisson", "rate": 3.0},
        {"family": "binomial", "n": 20, "p": 0.7},
        {"family": "geometric", "p": 0.2},
    ]
    w = [mp.mpf(v) for v in weights]
    lam, n, pb, pg = mp.mpf(3), 20, mp.mpf("0.7"), mp.mpf("0.2")

    def pmfs(k):
        a = mp.exp(k * mp.log(lam) - lam - mp.loggamma(k + 1)) if k >= 0 else mp.mpf(0)
        b = mp.binomial(n, k) * pb**k * (1 - pb) ** (n - k) if 0 <= k <= n else mp.mpf(0)
        c = (1 - pg) ** (k - 1) * pg if k >= 1 else mp.mpf(0)
        return [a, b, c]

    def pmf(k):
        return mp.fsum(w[i] * v for i, v in enumerate(pmfs(k)))

    top = 400  # the geometric tail beyond is (0.8)^400 ~ 1e-39
    masses = [pmf(k) for k in range(0, top + 1)]

    def cdf(k):
        return mp.fsum(masses[: k + 1]) if k >= 0 else mp.mpf(0)

    def sf(k):
        if k < 0:
            return mp.mpf(1)
        # exact tail: sum to 400 plus the geometric remainder beyond
        return mp.fsum(masses[k + 1 :]) + w[2] * (1 - pg) ** top

    points = [-1, 0, 0.5, 1, 2, 3, 5, 10, 14, 14.5, 20, 25, 40, 100, 150]
    logpmf = [float(mp.log(pmf(int(x)))) if x == int(x) and x >= 0 else -math.inf for x in points]
    quantiles = [quantile_by_definition(p, cdf, sf, 0, 0, math.inf) for p in P_LEVELS]
    comp_mean = [lam, n * pb, 1 / pg]
    comp_var = [lam, n * pb * (1 - pb), (1 - pg) / pg**2]
    mean = mp.fsum(w[i] * comp_mean[i] for i in range(3))
    var = mp.fsum(w[i] * (comp_var[i] + (comp_mean[i] - mean) ** 2) for i in range(3))
    h = -mp.fsum(m * mp.log(m) for m in masses if m > 0)
    return {
        "name": "discrete mixture poisson+binomial+geometric",
        "spec": {"family": "mixture", "weights": weights, "components": specs},
        "kind": "discrete",
        "points": enc(points),
        "logpdf": enc(logpmf),
        "cdf": enc([cdf(math.floor(x)) for x in points]),
        "sf": enc([sf(math.floor(x)) for x in points]),
        "p": P_LEVELS,
        "quantile": enc(quantiles),
        "mean": enc(mean),
        "variance": enc(var),
        "entropy": enc(h),
    }


def mvn_mixture_case():
    weights = [0.4, 0.6]
    means = [np.array([0.0, 0.0]), np.array([2.5, 1.0])]
    covs = [np.array([[1.0, 0.5], [0.5, 2.0]]), np.array([[0.5, -0.2], [-0.2, 0.8]])]
    dists = [st.multivariate_normal(m, c) for m, c in zip(means, covs)]

    def pdf(x, y):
        p = np.array([x, y])
        return sum(wi * d.pdf(p) for wi, d in zip(weights, dists))

    points = [[0.0, 0.0], [2.5, 1.0], [1.0, 0.5], [-4.0, 6.0]]
    logpdf = [math.log(pdf(*p)) for p in points]
    mean = sum(wi * m for wi, m in zip(weights, means))
    cov = sum(wi * (c + np.outer(m - mean, m - mean)) for wi, m, c in zip(weights, means, covs))

    def integrand(y, x):
        v = pdf(x, y)
        return -v * math.log(v) if v > 0 else 0.0

    h, err = si.dblquad(integrand, -12, 14, -12, 14, epsabs=1e-11, epsrel=1e-11)
    return {
        "name": "mvn mixture d=2",
        "spec": {
            "family": "mixture",
            "weights": weights,
            "components": [
                {"family": "multivariate_normal", "mean": m.tolist(), "cov": c.tolist()} for m, c in zip(means, covs)
            ],
        },
        "kind": "multivariate",
        "points": enc(points),
        "logpdf": enc(logpdf),
        "mean": enc(mean),
        "covariance": enc(cov),
        "entropy": enc(h),
        "entropyQuadratureError": enc(err),
    }


def mixture_cases():
    return [
        normal_mixture_case(
            "normal mixture 3 components",
            [0.3, 0.5, 0.2],
            [(-2.0, 1.0), (1.0, 0.5), (5.0, 2.0)],
            [-40.0, -8.0, -2.0, 0.0, 0.7, 1.0, 3.0, 5.0, 12.0, 40.0],
        ),
        normal_mixture_case(
            "normal mixture with a narrow far component",
            [0.99, 0.01],
            [(0.0, 1.0), (50.0, 0.001)],
            [-5.0, 0.0, 3.0, 49.999, 50.0, 50.0005],
        ),
        discrete_mixture_case(),
        mvn_mixture_case(),
    ]


# ------------------------------------------------------------------------------------------------
# Linear algebra.


def linalg_case():
    rng = np.random.default_rng(7)
    A = rng.normal(size=(6, 6))
    spd = A @ A.T + 0.1 * np.eye(6)
    b = rng.normal(size=6)
    L = np.linalg.cholesky(spd)
    sign, logdet = np.linalg.slogdet(spd)
    assert sign > 0
    return {
        "known": {
            "matrix": [[4.0, 12.0, -16.0], [12.0, 37.0, -43.0], [-16.0, -43.0, 98.0]],
            "cholesky": [[2.0, 0.0, 0.0], [6.0, 1.0, 0.0], [-8.0, 5.0, 3.0]],
            "logdet": math.log(36.0),
        },
        "random": {
            "matrix": spd.tolist(),
            "cholesky": L.tolist(),
            "b": b.tolist(),
            "solve": np.linalg.solve(spd, b).tolist(),
            "logdet": logdet,
            "inverse": np.linalg.inv(spd).tolist(),
            "cond": float(np.linalg.cond(spd)),
        },
        "notPositiveDefinite": {"matrix": [[1.0, 2.0, 0.0], [2.0, 1.0, 0.0], [0.0, 0.0, 1.0]], "pivot": 1},
    }


def main():
    out = {
        "generatedBy": "test/reference/discrete.py",
        "versions": {"numpy": np.__version__, "scipy": scipy.__version__, "mpmath": mp.__version__},
        "discrete": discrete_cases(),
        "multivariate": multivariate_cases(),
        "mixtures": mixture_cases(),
        "linalg": linalg_case(),
    }
    here = os.path.dirname(os.path.abspath(__file__))
    path = os.path.join(here, "..", "fixtures", "discrete.json")
    with open(path, "w") as f:
        json.dump(out, f, indent=1, allow_nan=False)
        f.write("\n")
    print(f"wrote {os.path.normpath(path)}", file=sys.stderr)


if __name__ == "__main__":
    main()
