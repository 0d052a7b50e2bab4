#!/usr/bin/env python3
"""Reference maximum-likelihood fits for POST /v1/fit, from scipy.

Run from the repository root:  python3 test/reference/fit.py
Writes test/fixtures/fit-reference.json: for every family a seeded data set (numpy default_rng), the
MLE parameters in the service's names, the log-likelihood at them (a sum of scipy logpdf/logpmf), and
for continuous families scipy's KS statistic and p-value against the fitted distribution; plus a table
of scipy.stats.kstwo.sf values for the Kolmogorov distribution.

scipy's conventions, and how they map to ours:
- scipy fits a location (and scale) for every continuous family unless told otherwise: the service's
  gamma, weibull, lognormal and exponential have location 0, so those fits use floc=0; beta lives on
  (0, 1), so floc=0, fscale=1.
- scipy's norm.fit returns the MLE scale (variance divided by n), as the service does.
- lognorm.fit returns (s, loc, scale) with s = sigma and scale = exp(mu).
- gamma/weibull_min return a scale; the service's gamma has rate = 1 / scale.
- discrete families have no .fit in scipy.stats: their MLEs are closed forms computed here with numpy,
  and their log-likelihoods are sums of scipy's logpmf.
- numerical families (gamma, beta, weibull, student_t, cauchy, dirichlet): scipy's own fit AND
  scipy.optimize on the exact log-likelihood (from scipy's fit and from the method of moments), keeping
  the better, so the reference is the best maximum we can find.
"""

import json
import os
import sys

import numpy as np
from scipy import optimize, stats

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "..", "fixtures", "fit-reference.json")


def polish(nll, x0, transform):
    """Minimise nll(theta) over u with theta = transform(u), by Nelder-Mead then BFGS, tight."""
    best = None
    u = np.asarray(x0, dtype=float)
    for method in ("Nelder-Mead", "BFGS", "Nelder-Mead"):
        opts = {"xatol": 1e-12, "fatol": 1e-13, "maxiter": 20000, "maxfev": 40000} if method == "Nelder-Mead" else {"gtol": 1e-10, "maxiter": 10000}
        r = optimize.minimize(lambda v: nll(transform(v)), u, method=method, options=opts)
        if best is None or r.fun < best.fun:
            best = r
        u = best.x
    return transform(best.x), -best.fun


def better(candidates):
    """candidates: list of (params, loglik, source): the highest log-likelihood."""
    return max(candidates, key=lambda c: c[1])


def ks(x, cdf):
    r = stats.kstest(x, cdf)
    return {"statistic": float(r.statistic), "pValue": float(r.pvalue)}


def main():
    out = {"scipy": __import__("scipy").__version__, "numpy": np.__version__, "cases": []}
    cases = out["cases"]

    def add(family, data, params, ll, source, extra=None, ks_ref=None, options=None):
        case = {
            "family": family,
            "data": data.tolist(),
            "params": params,
            "logLikelihood": float(ll),
            "source": source,
        }
        if options:
            case["options"] = options
        if ks_ref:
            case["ks"] = ks_ref
        if extra:
            case.update(extra)
        cases.append(case)

    # ----- closed forms -------------------------------------------------------------------
    rng = np.random.default_rng(101)
    x = rng.normal(2.0, 3.0, 1000)
    loc, scale = stats.norm.fit(x)
    add("normal", x, {"mean": loc, "std": scale}, stats.norm.logpdf(x, loc, scale).sum(), "scipy.stats.norm.fit",
        ks_ref=ks(x, stats.norm(loc, scale).cdf),
        extra={"unbiasedVariance": float(np.var(x, ddof=1))})

    rng = np.random.default_rng(102)
    x = rng.lognormal(0.5, 0.8, 1000)
    s, _, sc = stats.lognorm.fit(x, floc=0)
    add("lognormal", x, {"mu": np.log(sc), "sigma": s}, stats.lognorm.logpdf(x, s, 0, sc).sum(),
        "scipy.stats.lognorm.fit(floc=0)", ks_ref=ks(x, stats.lognorm(s, 0, sc).cdf))

    rng = np.random.default_rng(103)
    x = rng.exponential(1 / 1.7, 1000)
    _, sc = stats.expon.fit(x, floc=0)
    add("exponential", x, {"rate": 1 / sc}, stats.expon.logpdf(x, 0, sc).sum(), "scipy.stats.expon.fit(floc=0)",
        ks_ref=ks(x, stats.expon(0, sc).cdf))

    rng = np.random.default_rng(104)
    x = rng.uniform(-2.0, 5.0, 1000)
    lo, sc = stats.uniform.fit(x)
    add("uniform", x, {"low": lo, "high": lo + sc}, stats.uniform.logpdf(x, lo, sc).sum(), "scipy.stats.uniform.fit",
        ks_ref=ks(x, stats.uniform(lo, sc).cdf))

    rng = np.random.default_rng(105)
    x = rng.laplace(-1.0, 2.0, 1000)
    loc, sc = stats.laplace.fit(x)
    add("laplace", x, {"loc": loc, "scale": sc}, stats.laplace.logpdf(x, loc, sc).sum(), "scipy.stats.laplace.fit",
        ks_ref=ks(x, stats.laplace(loc, sc).cdf))

    rng = np.random.default_rng(106)
    x = rng.poisson(3.2, 1000).astype(float)
    lam = x.mean()
    add("poisson", x, {"rate": lam}, stats.poisson.logpmf(x, lam).sum(), "closed form (mean), scipy logpmf")

    rng = np.random.default_rng(107)
    x = (rng.random(1000) < 0.3).astype(float)
    p = x.mean()
    add("bernoulli", x, {"p": p}, stats.bernoulli.logpmf(x, p).sum(), "closed form (mean), scipy logpmf")

    rng = np.random.default_rng(108)
    N = 12
    x = rng.binomial(N, 0.35, 1000).astype(float)
    p = x.mean() / N
    add("binomial", x, {"n": N, "p": p}, stats.binom.logpmf(x, N, p).sum(), "closed form (mean / n), scipy logpmf",
        options={"trials": N})

    rng = np.random.default_rng(109)
    x = rng.geometric(0.25, 1000).astype(float)
    p = 1 / x.mean()
    add("geometric", x, {"p": p}, stats.geom.logpmf(x, p).sum(), "closed form (1 / mean), scipy logpmf")

    rng = np.random.default_rng(110)
    probs = [0.1, 0.2, 0.3, 0.4]
    x = rng.choice(4, size=1000, p=probs).astype(float)
    counts = np.bincount(x.astype(int), minlength=4)
    ph = counts / counts.sum()
    add("categorical", x, {"probs": ph.tolist()}, float(np.sum(counts * np.log(ph))),
        "closed form (frequencies), multinomial log-likelihood")

    rng = np.random.default_rng(111)
    cov = np.array([[2.0, 0.6, -0.3], [0.6, 1.0, 0.2], [-0.3, 0.2, 0.5]])
    x = rng.multivariate_normal([1.0, -2.0, 0.5], cov, 500)
    mean, cv = stats.multivariate_normal.fit(x)
    add("multivariate_normal", x, {"mean": mean.tolist(), "cov": cv.tolist()},
        stats.multivariate_normal.logpdf(x, mean, cv).sum(), "scipy.stats.multivariate_normal.fit")

    # ----- numerical ----------------------------------------------------------------------
    exp = np.exp

    rng = np.random.default_rng(201)
    x = rng.gamma(2.5, 0.6, 1000)
    a, _, sc = stats.gamma.fit(x, floc=0)
    c = [((a, 1 / sc), stats.gamma.logpdf(x, a, 0, sc).sum(), "scipy.stats.gamma.fit(floc=0)")]
    th, ll = polish(lambda t: -stats.gamma.logpdf(x, t[0], 0, 1 / t[1]).sum(), np.log([a, 1 / sc]), exp)
    c.append(((th[0], th[1]), ll, "scipy.optimize on the log-likelihood"))
    (a, r), ll, src = better(c)
    add("gamma", x, {"shape": a, "rate": r}, ll, src, ks_ref=ks(x, stats.gamma(a, 0, 1 / r).cdf))

    rng = np.random.default_rng(202)
    x = rng.beta(2.0, 5.0, 1000)
    a, b, _, _ = stats.beta.fit(x, floc=0, fscale=1)
    c = [((a, b), stats.beta.logpdf(x, a, b).sum(), "scipy.stats.beta.fit(floc=0, fscale=1)")]
    th, ll = polish(lambda t: -stats.beta.logpdf(x, t[0], t[1]).sum(), np.log([a, b]), exp)
    c.append(((th[0], th[1]), ll, "scipy.optimize on the log-likelihood"))
    (a, b), ll, src = better(c)
    add("beta", x, {"alpha": a, "beta": b}, ll, src, ks_ref=ks(x, stats.beta(a, b).cdf))

    rng = np.random.default_rng(203)
    x = 2.2 * rng.weibull(1.7, 1000)
    k, _, sc = stats.weibull_min.fit(x, floc=0)
    c = [((k, sc), stats.weibull_min.logpdf(x, k, 0, sc).sum(), "scipy.stats.weibull_min.fit(floc=0)")]
    th, ll = polish(lambda t: -stats.weibull_min.logpdf(x, t[0], 0, t[1]).sum(), np.log([k, sc]), exp)
    c.append(((th[0], th[1]), ll, "scipy.optimize on the log-likelihood"))
    (k, sc), ll, src = better(c)
    add("weibull", x, {"shape": k, "scale": sc}, ll, src, ks_ref=ks(x, stats.weibull_min(k, 0, sc).cdf))

    rng = np.random.default_rng(204)
    x = 1.0 + 2.0 * rng.standard_t(5.0, 2000)
    df, loc, sc = stats.t.fit(x)
    c = [((df, loc, sc), stats.t.logpdf(x, df, loc, sc).sum(), "scipy.stats.t.fit")]
    tr = lambda v: np.array([exp(v[0]), v[1], exp(v[2])])
    th, ll = polish(lambda t: -stats.t.logpdf(x, t[0], t[1], t[2]).sum(), [np.log(df), loc, np.log(sc)], tr)
    c.append((tuple(th), ll, "scipy.optimize on the log-likelihood"))
    (df, loc, sc), ll, src = better(c)
    add("student_t", x, {"df": df, "loc": loc, "scale": sc}, ll, src, ks_ref=ks(x, stats.t(df, loc, sc).cdf))

    rng = np.random.default_rng(205)
    x = 0.5 + 1.5 * rng.standard_cauchy(1000)
    loc, sc = stats.cauchy.fit(x)
    c = [((loc, sc), stats.cauchy.logpdf(x, loc, sc).sum(), "scipy.stats.cauchy.fit")]
    tr = lambda v: np.array([v[0], exp(v[1])])
    th, ll = polish(lambda t: -stats.cauchy.logpdf(x, t[0], t[1]).sum(), [loc, np.log(sc)], tr)
    c.append((tuple(th), ll, "scipy.optimize on the log-likelihood"))
    (loc, sc), ll, src = better(c)
    add("cauchy", x, {"loc": loc, "scale": sc}, ll, src, ks_ref=ks(x, stats.cauchy(loc, sc).cdf))

    rng = np.random.default_rng(206)
    alpha = np.array([2.0, 3.5, 1.2])
    x = rng.dirichlet(alpha, 500)
    # scipy.stats.dirichlet has no fit: optimise the exact log-likelihood from the method of moments.
    m = x.mean(axis=0)
    a0 = (m[0] - (x[:, 0] ** 2).mean()) / ((x[:, 0] ** 2).mean() - m[0] ** 2)
    nll = lambda a: -sum(stats.dirichlet.logpdf(row, a) for row in x)
    logx = np.log(x).mean(axis=0)
    from scipy.special import gammaln
    nll_fast = lambda a: -len(x) * (gammaln(a.sum()) - gammaln(a).sum() + ((a - 1) * logx).sum())
    th, ll = polish(nll_fast, np.log(a0 * m), exp)
    ll_exact = -nll(th)
    add("dirichlet", x, {"alpha": th.tolist()}, ll_exact, "scipy.optimize on the log-likelihood (scipy has no dirichlet.fit)")

    # ----- a univariate Gaussian mixture -------------------------------------------------
    rng = np.random.default_rng(301)
    comp = rng.choice(3, size=1500, p=[0.3, 0.5, 0.2])
    means = np.array([-4.0, 0.0, 5.0])
    sds = np.array([1.0, 0.7, 1.5])
    x = rng.normal(means[comp], sds[comp])

    def mix_ll(t):
        w = np.array([t[0], t[1], 1 - t[0] - t[1]])
        mu = t[2:5]
        sd = t[5:8]
        if np.any(w <= 0) or np.any(sd <= 0):
            return -np.inf
        lp = np.log(w)[None, :] + stats.norm.logpdf(x[:, None], mu[None, :], sd[None, :])
        mx = lp.max(axis=1)
        return float(np.sum(mx + np.log(np.exp(lp - mx[:, None]).sum(axis=1))))

    # EM from the truth to tight convergence, then polished by scipy.optimize.
    w, mu, sd = np.array([0.3, 0.5, 0.2]), means.copy(), sds.copy()
    for _ in range(5000):
        lp = np.log(w)[None, :] + stats.norm.logpdf(x[:, None], mu[None, :], sd[None, :])
        mx = lp.max(axis=1)
        r = np.exp(lp - mx[:, None])
        r /= r.sum(axis=1)[:, None]
        Nk = r.sum(axis=0)
        w = Nk / len(x)
        mu = (r * x[:, None]).sum(axis=0) / Nk
        sd = np.sqrt((r * (x[:, None] - mu[None, :]) ** 2).sum(axis=0) / Nk)
    t0 = np.concatenate([w[:2], mu, sd])
    res = optimize.minimize(lambda t: -mix_ll(t), t0, method="Nelder-Mead",
                            options={"xatol": 1e-12, "fatol": 1e-12, "maxiter": 40000, "maxfev": 80000})
    t = res.x if -res.fun > mix_ll(t0) else t0
    order = np.argsort(t[2:5])
    wfull = np.array([t[0], t[1], 1 - t[0] - t[1]])
    add("mixture", x, {"weights": wfull[order].tolist(), "means": t[2:5][order].tolist(), "stds": t[5:8][order].tolist()},
        mix_ll(t), "EM from the truth to 5000 iterations, polished by scipy.optimize", options={"components": 3, "seed": 7, "tolerance": 1e-13})

    # ----- the Kolmogorov distribution ---------------------------------------------------
    table = []
    for n in [1, 2, 5, 10, 50, 100, 140, 141, 500, 1000, 5000, 100000, 1000000]:
        for d in [0.3 / n, 0.7 / n, 0.9 / n, 0.5 / np.sqrt(n), 0.8 / np.sqrt(n), 1.0 / np.sqrt(n), 1.3 / np.sqrt(n),
                  1.8 / np.sqrt(n), 2.5 / np.sqrt(n), 4.0 / np.sqrt(n), 0.6, 0.95]:
            if d >= 1:
                continue
            table.append({"n": n, "d": float(d), "sf": float(stats.kstwo.sf(d, n))})
    out["kolmogorov"] = table

    with open(OUT, "w") as f:
        json.dump(out, f)
    print(f"wrote {OUT}: {len(cases)} cases, {os.path.getsize(OUT)} bytes", file=sys.stderr)


if __name__ == "__main__":
    main()
