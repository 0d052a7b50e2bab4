import { describe, expect, it } from 'vitest';
import type { MultivariateMixture, UnivariateMixture } from '../../../src/core/distributions/mixture.js';
import { createDistribution } from '../../../src/core/distributions/registry.js';
import type { DistributionSpec } from '../../../src/core/distributions/types.js';
import { createRng } from '../../../src/core/rng/index.js';
import {
  chiSquareGof,
  drawMany,
  drawPoints,
  expectAllClose,
  expectClose,
  expectInvalid,
  expectMatrixClose,
  expectMeanCovWithin5Se,
  expectMomentsWithin5Se,
  fixture,
  ksCritical,
  ksStatistic,
  multivariate,
  univariate,
} from './discrete-helpers.js';

/*
 * Reference values from test/reference/discrete.py: the normal mixtures entirely in mpmath (log
 * density by log-sum-exp, cdf and sf as weighted sums of normal cdfs, quantiles by 400 bisections,
 * entropy by mpmath quadrature at 30 digits); the discrete mixture by exact sums; the 2-d normal
 * mixture's entropy by scipy dblquad (error estimate ~2e-11).
 *
 * Tolerances: log density, mean, variance 1e-12 relative (weighted sums of exact terms); cdf and sf
 * 1e-12 relative (stdlib's normal cdf is good to a few ulps) with a 1e-300 absolute floor for
 * values that are subnormal; continuous quantiles 1e-12 relative (the bisection on bit patterns
 * finds the exact smallest double, so this only absorbs the cdf's rounding); discrete quantiles
 * exact; entropy 1e-10 relative (the quadrature is asked for 1e-12). The multivariate entropy is a
 * Monte Carlo estimate: within 5 of its reported standard errors of the quadrature value.
 */
const { mixtures } = fixture();

const NORMAL_MIX: DistributionSpec = {
  family: 'mixture',
  weights: [0.3, 0.5, 0.2],
  components: [
    { family: 'normal', mean: -2, std: 1 },
    { family: 'normal', mean: 1, variance: 0.25 },
    { family: 'normal', mean: 5, std: 2 },
  ],
};

describe('mixtures against the reference', () => {
  for (const c of mixtures) {
    describe(c.name, () => {
      if (c.kind === 'multivariate') {
        it('log density, mean, covariance', () => {
          const d = multivariate(c.spec);
          expect(d.family).toBe('mixture');
          expect(d.kind).toBe('multivariate');
          c.points.forEach((x, i) => {
            expectClose(d.logPdf(x as number[]), c.logpdf[i]!, 1e-12, 1e-14, `logPdf(${x})`);
          });
          expectAllClose(d.mean(), c.mean as number[], 1e-12, 1e-15, 'mean');
          expectMatrixClose(d.covariance(), c.covariance!, 1e-12, 'covariance');
        });

        it('entropy: a deterministic Monte Carlo estimate within 5 standard errors', () => {
          const d = multivariate(c.spec) as MultivariateMixture;
          const h = d.entropy();
          const se = d.entropyStdError();
          expect(se).toBeGreaterThan(0);
          expect(se).toBeLessThan(2e-3);
          expectClose(h, c.entropy, 0, 5 * se + c.entropyQuadratureError!, 'entropy');
          // Deterministic: a fresh instance gives the same number, bit for bit.
          expect(multivariate(c.spec).entropy()).toBe(h);
        });
        return;
      }
      const d = univariate(c.spec);

      it(`is ${c.kind}`, () => {
        expect(d.kind).toBe(c.kind);
        expect(d.family).toBe('mixture');
      });

      it('log density, cdf and sf at grid points', () => {
        c.points.forEach((x, i) => {
          const v = x as number;
          expectClose(d.logPdf(v), c.logpdf[i]!, 1e-12, 1e-14, `logPdf(${v})`);
          expectClose(d.cdf(v), c.cdf![i]!, 1e-12, 1e-300, `cdf(${v})`);
          expectClose(d.sf(v), c.sf![i]!, 1e-12, 1e-300, `sf(${v})`);
        });
      });

      it('quantiles at 1e-12 .. 1 - 1e-12', () => {
        c.p!.forEach((p, i) => {
          if (c.kind === 'discrete') expect(d.quantile(p), `quantile(${p})`).toBe(c.quantile![i]);
          else expectClose(d.quantile(p), c.quantile![i]!, 1e-12, 1e-300, `quantile(${p})`);
        });
      });

      it('mean, variance (law of total variance), entropy', () => {
        expectClose(d.mean(), c.mean as number, 1e-12, 1e-15, 'mean');
        expectClose(d.variance(), c.variance!, 1e-12, 0, 'variance');
        expectClose(d.entropy(), c.entropy, 1e-10, 0, 'entropy');
        expect((d as UnivariateMixture).entropyStdError()).toBe(0);
      });
    });
  }
});

describe('mixture behaviour', () => {
  it('continuous quantile is the smallest double with cdf >= p', () => {
    const d = univariate(NORMAL_MIX);
    for (const p of [1e-300, 1e-12, 0.001, 0.3, 0.5, 0.77, 0.999, 1 - 1e-12]) {
      const x = d.quantile(p);
      const below = x - Math.abs(x) * Number.EPSILON;
      // (Just below, the rounded cdf may equal p: the search decides on the unrounded sum.)
      if (p <= 0.5) {
        expect(d.cdf(x) >= p, `cdf(q(${p}))`).toBe(true);
        expect(d.cdf(below) <= p, `cdf just below q(${p})`).toBe(true);
        expect(d.cdf(below - Math.abs(below) * 1e-12) < p, `cdf below q(${p})`).toBe(true);
      } else {
        expect(d.sf(x) <= 1 - p, `sf(q(${p}))`).toBe(true);
        expect(d.sf(below) >= 1 - p, `sf just below q(${p})`).toBe(true);
        expect(d.sf(below - Math.abs(below) * 1e-12) > 1 - p, `sf below q(${p})`).toBe(true);
      }
    }
    expect(d.quantile(0)).toBe(-Infinity);
    expect(d.quantile(1)).toBe(Infinity);
    expect(d.quantile(Number.NaN)).toBeNaN();
  });

  it('a flat stretch of the cdf: the quantile is its left end', () => {
    // Two point-like discrete components with a gap: the cdf is flat at 0.5 on [1, 5).
    const d = univariate({
      family: 'mixture',
      weights: [0.5, 0.5],
      components: [
        { family: 'categorical', probs: [0, 1] },
        { family: 'binomial', n: 5, p: 1 },
      ],
    });
    expect(d.quantile(0.5)).toBe(1);
    expect(d.quantile(0.5000001)).toBe(5);
    expect(d.cdf(3)).toBe(0.5);
  });

  it('a one-component mixture is that component', () => {
    const d = univariate({ family: 'mixture', weights: [1], components: [{ family: 'poisson', rate: 4.5 }] });
    const p = univariate({ family: 'poisson', rate: 4.5 });
    for (const k of [0, 3, 9, 20]) expect(d.logPdf(k)).toBe(p.logPdf(k));
    expect(d.entropy()).toBe(p.entropy());
    expect(d.quantile(0.3)).toBe(p.quantile(0.3));
    expect(d.support).toEqual(p.support);
  });

  it('zero-weight components take no part', () => {
    const d = univariate({
      family: 'mixture',
      weights: [1, 0],
      components: [
        { family: 'normal', mean: 0, std: 1 },
        { family: 'normal', mean: 100, std: 1 },
      ],
    });
    expect(d.support).toEqual({ lower: -Infinity, upper: Infinity });
    expectClose(d.entropy(), 0.5 * Math.log(2 * Math.PI * Math.E), 1e-15, 0, 'entropy');
    const draws = drawMany(d, createRng(1), 10_000);
    expect(draws.every((x) => x < 50)).toBe(true);
  });

  it('nested mixtures work and flatten to the same law', () => {
    const nested = univariate({
      family: 'mixture',
      weights: [0.3, 0.7],
      components: [
        { family: 'normal', mean: -2, std: 1 },
        {
          family: 'mixture',
          weights: [5 / 7, 2 / 7],
          components: [
            { family: 'normal', mean: 1, variance: 0.25 },
            { family: 'normal', mean: 5, std: 2 },
          ],
        },
      ],
    });
    const flat = univariate(NORMAL_MIX);
    for (const x of [-3, 0, 1, 4, 9]) {
      expectClose(nested.logPdf(x), flat.logPdf(x), 1e-14, 1e-15, `logPdf(${x})`);
      expectClose(nested.cdf(x), flat.cdf(x), 1e-14, 0, `cdf(${x})`);
    }
    expectClose(nested.entropy(), flat.entropy(), 1e-10, 0, 'entropy');
    expectClose(nested.variance(), flat.variance(), 1e-14, 0, 'variance');
  });

  it('entropy of well separated components is H(w) + sum w_i H_i', () => {
    const d = univariate({
      family: 'mixture',
      weights: [0.25, 0.75],
      components: [
        { family: 'normal', mean: -1000, std: 1 },
        { family: 'normal', mean: 1000, std: 3 },
      ],
    });
    const hw = -(0.25 * Math.log(0.25) + 0.75 * Math.log(0.75));
    const h = (s: number) => 0.5 * Math.log(2 * Math.PI * Math.E * s * s);
    expectClose(d.entropy(), hw + 0.25 * h(1) + 0.75 * h(3), 1e-12, 0, 'entropy');
  });

  it('discrete mixture entropy of far-apart components, and of a geometric with a long tail', () => {
    const d = univariate({
      family: 'mixture',
      weights: [0.5, 0.5],
      components: [
        { family: 'poisson', rate: 10 },
        { family: 'poisson', rate: 1e6 },
      ],
    });
    const p1 = univariate({ family: 'poisson', rate: 10 }).entropy();
    const p2 = univariate({ family: 'poisson', rate: 1e6 }).entropy();
    expectClose(d.entropy(), Math.log(2) + 0.5 * (p1 + p2), 1e-12, 0, 'entropy');
    const g = univariate({
      family: 'mixture',
      weights: [0.5, 0.5],
      components: [
        { family: 'geometric', p: 0.001 },
        { family: 'geometric', p: 0.001 },
      ],
    });
    expectClose(g.entropy(), univariate({ family: 'geometric', p: 0.001 }).entropy(), 1e-12, 0, 'entropy');
  });

  it('discrete mixture entropy over a huge support falls back to a deterministic Monte Carlo estimate', () => {
    const spec = {
      family: 'mixture',
      weights: [0.5, 0.5],
      components: [
        { family: 'poisson', rate: 1e12 },
        { family: 'poisson', rate: 1e12 - 1.3e6 },
      ],
    };
    const d = univariate(spec) as UnivariateMixture;
    const h = d.entropy();
    expect(d.entropyStdError()).toBeGreaterThan(0);
    expect(d.entropyStdError()).toBeLessThan(1e-2);
    // Bounds: max_i H_i <= H <= H(w) + sum w_i H_i.
    const hi = univariate({ family: 'poisson', rate: 1e12 }).entropy();
    expect(h).toBeGreaterThan(hi - 5 * d.entropyStdError());
    expect(h).toBeLessThan(hi + Math.log(2) + 5 * d.entropyStdError());
    expect(univariate(spec).entropy()).toBe(h);
  });

  it('support is the hull of the components', () => {
    const d = univariate({
      family: 'mixture',
      weights: [0.5, 0.5],
      components: [
        { family: 'geometric', p: 0.5 },
        { family: 'binomial', n: 3, p: 0.5 },
      ],
    });
    expect(d.support).toEqual({ lower: 0, upper: Infinity });
    expect(d.logPdf(0.5)).toBe(-Infinity);
    expect(d.cdf(2.5)).toBe(d.cdf(2));
  });

  it('canonical spec: weights as given, components canonical', () => {
    const d = createDistribution(NORMAL_MIX);
    expect(d.spec).toEqual(NORMAL_MIX);
    expect(createDistribution(d.spec).spec).toEqual(NORMAL_MIX);
  });

  it('mixture of multivariate families of one dimension (normal and Dirichlet)', () => {
    const d = multivariate({
      family: 'mixture',
      weights: [0.5, 0.5],
      components: [
        {
          family: 'multivariate_normal',
          mean: [0.3, 0.7],
          cov: [
            [1, 0],
            [0, 1],
          ],
        },
        { family: 'dirichlet', alpha: [2, 3] },
      ],
    });
    expect(d.dim).toBe(2);
    expect(d.supportText).toMatch(/R\^2/);
    const mvn = multivariate({
      family: 'multivariate_normal',
      mean: [0.3, 0.7],
      cov: [
        [1, 0],
        [0, 1],
      ],
    });
    const dir = multivariate({ family: 'dirichlet', alpha: [2, 3] });
    const x = [0.4, 0.6];
    const ref = Math.log(0.5 * Math.exp(mvn.logPdf(x)) + 0.5 * Math.exp(dir.logPdf(x)));
    expectClose(d.logPdf(x), ref, 1e-14, 0, 'logPdf');
    expect(d.logPdf([2, 3])).toBe(Math.log(0.5) + mvn.logPdf([2, 3]));
    expect(Number.isFinite(d.entropy())).toBe(true);
  });
});

describe('mixture samplers', () => {
  it('normal mixture: KS test and moments (1e5 draws)', () => {
    const d = univariate(NORMAL_MIX);
    const draws = drawMany(d, createRng('mix-ks'), 100_000);
    const ks = ksStatistic((x) => d.cdf(x), draws);
    expect(ks).toBeLessThan(ksCritical(draws.length));
    expectMomentsWithin5Se(d, draws, 'normal mixture');
  });

  it('normal mixture with a narrow far component: KS test', () => {
    const d = univariate(mixtures[1]!.spec);
    const draws = drawMany(d, createRng('mix-ks-2'), 100_000);
    expect(ksStatistic((x) => d.cdf(x), draws)).toBeLessThan(ksCritical(draws.length));
    expectMomentsWithin5Se(d, draws, 'narrow mixture');
  });

  it('discrete mixture: chi-square goodness of fit and moments (1e5 draws)', () => {
    const d = univariate(mixtures[2]!.spec);
    const draws = drawMany(d, createRng('mix-chi'), 100_000);
    const { stat, critical, df } = chiSquareGof(d, draws);
    expect(stat, `chi-square ${stat} on ${df} df`).toBeLessThan(critical);
    expectMomentsWithin5Se(d, draws, 'discrete mixture');
  });

  it('multivariate mixture: mean and covariance within 5 SE (1e5 draws)', () => {
    const d = multivariate(mixtures[3]!.spec);
    expectMeanCovWithin5Se(d, drawPoints(d, 'mix-mv', 100_000), 'mvn mixture');
  });

  it('same seed: bit-identical; another seed: different', () => {
    for (const c of mixtures) {
      if (c.kind === 'multivariate') {
        const d = multivariate(c.spec);
        const a = drawPoints(d, 1, 500);
        expect(
          Buffer.from(a.buffer).equals(Buffer.from(drawPoints(multivariate(c.spec), 1, 500).buffer)),
        ).toBe(true);
        expect(a).not.toEqual(drawPoints(d, 2, 500));
      } else {
        const d = univariate(c.spec);
        const a = drawMany(d, createRng(1), 500);
        const b = new Float64Array(500);
        univariate(c.spec).sampleInto(createRng(1), b);
        expect(Buffer.from(a.buffer).equals(Buffer.from(b.buffer))).toBe(true);
        expect(a).not.toEqual(drawMany(d, createRng(2), 500));
      }
    }
  });
});

describe('mixture validation', () => {
  const mix = (spec: Record<string, unknown>) => () => createDistribution({ family: 'mixture', ...spec });
  const n01 = { family: 'normal', mean: 0, std: 1 };

  it('weights', () => {
    expectInvalid(mix({ weights: [0.5, 0.4], components: [n01, n01] }), 'weights', /sum to 1/);
    expectInvalid(mix({ weights: [1.5, -0.5], components: [n01, n01] }), 'weights.1', />= 0/);
    expectInvalid(mix({ weights: [1], components: [n01, n01] }), 'weights', /one weight per component/);
    expectInvalid(mix({ weights: [0.5, 0.25, 0.25], components: [n01, n01] }), 'weights', /3 weights for 2/);
    expectInvalid(mix({ components: [n01] }), 'weights');
    expectInvalid(mix({ weights: [], components: [n01] }), 'weights');
  });

  it('components', () => {
    expectInvalid(mix({ weights: [1] }), 'components');
    expectInvalid(mix({ weights: [], components: [] }), 'components', /at least one/);
    expectInvalid(mix({ weights: [0.5, 0.5], components: [n01, 3] }), 'components.1', /distribution/);
    expectInvalid(mix({ weights: [0.5, 0.5], components: [n01, { family: 'nope' }] }), 'components.1.family');
    expectInvalid(
      mix({ weights: [0.5, 0.5], components: [n01, { family: 'normal', mean: 0, std: -1 }] }),
      'components.1.std',
    );
  });

  it('components of mixed kinds or dimensions', () => {
    expectInvalid(
      mix({ weights: [0.5, 0.5], components: [n01, { family: 'poisson', rate: 1 }] }),
      'components.1',
      /continuous univariate like components.0 \(got discrete univariate\)/,
    );
    expectInvalid(
      mix({
        weights: [0.5, 0.5],
        components: [
          { family: 'poisson', rate: 1 },
          { family: 'dirichlet', alpha: [1, 1] },
        ],
      }),
      'components.1',
      /discrete univariate/,
    );
    expectInvalid(
      mix({
        weights: [0.2, 0.3, 0.5],
        components: [
          { family: 'dirichlet', alpha: [1, 1] },
          { family: 'dirichlet', alpha: [1, 2] },
          { family: 'dirichlet', alpha: [1, 1, 1] },
        ],
      }),
      'components.2',
      /dimension 2.*dimension 3/,
    );
  });

  it('nesting is limited', () => {
    let spec: Record<string, unknown> = n01;
    for (let i = 0; i < 9; i++) spec = { family: 'mixture', weights: [1], components: [spec] };
    expectInvalid(() => createDistribution(spec as DistributionSpec), 'components', /nest/);
    let ok: Record<string, unknown> = n01;
    for (let i = 0; i < 8; i++) ok = { family: 'mixture', weights: [1], components: [ok] };
    expect(createDistribution(ok as DistributionSpec).kind).toBe('continuous');
  });

  it('paths are prefixed when nested', () => {
    expectInvalid(
      () =>
        createDistribution(
          {
            family: 'mixture',
            weights: [1],
            components: [{ family: 'mixture', weights: [1], components: [{ family: 'poisson', rate: 0 }] }],
          },
          'p',
        ),
      'p.components.0.components.0.rate',
    );
  });
});
