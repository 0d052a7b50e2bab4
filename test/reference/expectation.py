"""Reference values for the expectation tests: exact forms (scipy.special) checked against
scipy.integrate.quad / exact sums, with Var f where the Monte Carlo tests check the standard error.

    python3 test/reference/expectation.py   # writes test/fixtures/expectation.json
"""

import json
import math
import warnings
from pathlib import Path

import numpy as np
from scipy import integrate, special, stats


def moments(f, dist, lo=-np.inf, hi=np.inf, points=None):
    """E[f] and Var f under a scipy frozen continuous distribution, by quad."""
    opts = {"epsabs": 1e-14, "epsrel": 1e-13, "limit": 500}
    if points is not None:
        opts["points"] = points
        lo, hi = dist.ppf(1e-15), dist.isf(1e-15)

    def weighted(g):
        def h(x):
            p = dist.pdf(x)
            return 0.0 if p == 0 else g(x) * p

        return h

    m = integrate.quad(weighted(f), lo, hi, **opts)[0]
    m2 = integrate.quad(weighted(lambda x: f(x) ** 2), lo, hi, **opts)[0]
    return m, m2 - m * m


def discrete_moments(f, dist, kmax):
    ks = np.arange(0, kmax + 1)
    p = dist.pmf(ks)
    fk = np.array([f(k) for k in ks], dtype=float)
    m = float(np.sum(fk * p))
    return m, float(np.sum(fk**2 * p) - m * m)


# Some second moments (log^2 near 0) make quad warn; the values checked are the first moments.
warnings.filterwarnings("ignore", category=integrate.IntegrationWarning)

cases = []


def add(name, distribution, f, exact, var=None, check=None, **extra):
    """check: an independent numerical value that must agree with `exact` (guards the exact forms)."""
    if check is not None:
        assert abs(check - exact) <= 1e-9 * max(1.0, abs(exact)), (name, exact, check)
    case = {"name": name, "distribution": distribution, "f": f, "exact": exact}
    if var is not None:
        case["varF"] = var
    case.update(extra)
    cases.append(case)


# E[x^2] under N(1, std 2): mean^2 + variance = 5; Var x^2 = E x^4 - 25 = 73 - 25 = 48.
nd = stats.norm(1, 2)
m, v = moments(lambda x: x * x, nd)
add("normal x^2", {"family": "normal", "mean": 1, "std": 2}, "x^2", 5.0, 48.0, check=m)
assert abs(v - 48) < 1e-8

# P(X > 1.96) for the standard normal.
p = float(stats.norm.sf(1.96))
m, _ = moments(lambda x: 1.0 if x > 1.96 else 0.0, stats.norm(), points=[1.96])
add("normal indicator", {"family": "normal", "mean": 0, "std": 1}, "x > 1.96", p, p * (1 - p), check=m)

# E[exp(x)] under N(0.5, variance 0.64) = exp(mean + variance / 2); Var = (e^{s^2} - 1) e^{2m + s^2}.
mu, s2 = 0.5, 0.64
ex = math.exp(mu + s2 / 2)
m, v = moments(np.exp, stats.norm(mu, math.sqrt(s2)))
add(
    "normal exp",
    {"family": "normal", "mean": mu, "variance": s2},
    "exp(x)",
    ex,
    (math.exp(s2) - 1) * math.exp(2 * mu + s2),
    check=m,
)

# E[x^2 + sin(x)] under N(0, 1) = 1 (the benchmark's f); Var by quad.
m, v = moments(lambda x: x * x + np.sin(x), stats.norm())
add("normal x^2+sin", {"family": "normal", "mean": 0, "std": 1}, "x^2 + sin(x)", 1.0, v, check=m)

# E[sin(x)] under N(0.3, 1) = sin(0.3) e^{-1/2}.
m, v = moments(np.sin, stats.norm(0.3, 1))
add("normal sin", {"family": "normal", "mean": 0.3, "std": 1}, "sin(x)", math.sin(0.3) * math.exp(-0.5), v, check=m)

# E[|x - 0.3|] under N(0, 1): a kink (Riemann convergence); E|X - a| = 2 phi(a) + a (2 Phi(a) - 1).
a = 0.3
mabs = 2 * stats.norm.pdf(a) + a * (2 * stats.norm.cdf(a) - 1)
m, v = moments(lambda x: abs(x - a), stats.norm(), points=[a])
add("normal abs kink", {"family": "normal", "mean": 0, "std": 1}, "abs(x - 0.3)", mabs, v, check=m)

# E[log x] under gamma(k, rate 1) = digamma(k).
for k in (0.5, 2.5):
    m, v = moments(np.log, stats.gamma(k), lo=0, hi=np.inf)
    add(
        f"gamma log k={k}",
        {"family": "gamma", "shape": k, "rate": 1},
        "log(x)",
        float(special.digamma(k)),
        float(special.polygamma(1, k)),
        check=m,
    )

# E[x] under poisson(3.5) by exact summation; E[x^2] = rate + rate^2.
m, v = discrete_moments(lambda k: k, stats.poisson(3.5), 200)
add("poisson x", {"family": "poisson", "rate": 3.5}, "x", 3.5, 3.5, check=m)
m, v = discrete_moments(lambda k: k * k, stats.poisson(3.5), 200)
add("poisson x^2", {"family": "poisson", "rate": 3.5}, "x^2", 3.5 + 3.5**2, v, check=m)

# E[x^2] under uniform(0, 1) = 1/3 (the midpoint sum's error is exactly 1 / (12 n^2)).
add("uniform x^2", {"family": "uniform", "low": 0, "high": 1}, "x^2", 1 / 3, 4 / 45)

# Lognormal(mu, sigma): E[x] = exp(mu + sigma^2 / 2).
m, v = moments(lambda x: x, stats.lognorm(0.4, scale=math.exp(0.1)), lo=0, hi=np.inf)
add(
    "lognormal x",
    {"family": "lognormal", "mu": 0.1, "sigma": 0.4},
    "x",
    math.exp(0.1 + 0.08),
    (math.exp(0.16) - 1) * math.exp(0.2 + 0.16),
    check=m,
)

# Binomial(10, 0.3): E[x^3] by the exact sum.
m, v = discrete_moments(lambda k: k**3, stats.binom(10, 0.3), 10)
add("binomial x^3", {"family": "binomial", "n": 10, "p": 0.3}, "x^3", m, v)

# Multivariate normal: E[x[0] * x[1]] = cov01 + m0 m1; E[x[0]^2 + x[1]^2] = trace + |m|^2.
mean = [0.5, -1.0]
cov = [[1.0, 0.6], [0.6, 2.0]]
rng = np.random.default_rng(0)
draws = rng.multivariate_normal(mean, cov, size=2_000_000)
prod = draws[:, 0] * draws[:, 1]
add(
    "mvn product",
    {"family": "multivariate_normal", "mean": mean, "cov": cov},
    "x[0] * x[1]",
    cov[0][1] + mean[0] * mean[1],
    # Var(X0 X1) = m0^2 S11 + m1^2 S00 + 2 m0 m1 S01 + S00 S11 + S01^2 (Isserlis)
    mean[0] ** 2 * cov[1][1] + mean[1] ** 2 * cov[0][0] + 2 * mean[0] * mean[1] * cov[0][1]
    + cov[0][0] * cov[1][1] + cov[0][1] ** 2,
)
assert abs(prod.var() - cases[-1]["varF"]) < 0.02 * cases[-1]["varF"], (prod.var(), cases[-1]["varF"])

out = Path(__file__).resolve().parents[1] / "fixtures" / "expectation.json"
out.parent.mkdir(parents=True, exist_ok=True)
out.write_text(json.dumps({"generatedBy": "test/reference/expectation.py", "cases": cases}, indent=2) + "\n")
print(f"wrote {len(cases)} cases to {out}")
