import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { post, testApp } from '../helpers/app.js';

/**
 * The client's round trip: fit normal data, score new points with /v1/density, sample from the fit
 * with /v1/sample, and measure KL(fitted || true), by /v1/kl when it is there, else by the closed form
 * KL(N(m1, s1^2) || N(m0, s0^2)) = log(s0 / s1) + (s1^2 + (m1 - m0)^2) / (2 s0^2) - 1/2.
 */
const TRUE = { family: 'normal', mean: 1.5, std: 2 };

function klNormal(p: { mean: number; std: number }, q: { mean: number; std: number }): number {
  return Math.log(q.std / p.std) + (p.std ** 2 + (p.mean - q.mean) ** 2) / (2 * q.std ** 2) - 0.5;
}

let app: FastifyInstance;
beforeAll(async () => {
  app = await testApp();
});
afterAll(async () => {
  await app.close();
});

async function kl(p: { mean: number; std: number }): Promise<number> {
  const res = await post(app, '/v1/kl', { p: { family: 'normal', ...p }, q: TRUE });
  if (res.statusCode === 200) {
    const forward = res.json().forward as number;
    expect(forward).toBeCloseTo(klNormal(p, TRUE), 10);
    return forward;
  }
  expect(res.statusCode).toBe(404); // the KL endpoint is not there yet
  return klNormal(p, TRUE);
}

describe('fit -> density -> sample -> KL', () => {
  it('the fitted distribution is usable everywhere, and KL to the truth shrinks as n grows', async () => {
    const kls: number[] = [];
    for (const n of [100, 1_000, 10_000, 40_000]) {
      // KL of one fit is random (about chi-square(2) / (2n)): average five seeds per n.
      let sum = 0;
      for (let seed = 1; seed <= 5; seed++) {
        const data = await post(app, '/v1/sample', { distribution: TRUE, n, seed: n + seed });
        expect(data.statusCode).toBe(200);
        const fit = await post(app, '/v1/fit', {
          family: 'normal',
          data: data.json().samples,
          goodnessOfFit: false,
        });
        expect(fit.statusCode).toBe(200);
        const dist = fit.json().distribution as { family: string; mean: number; std: number };
        sum += await kl(dist);
        if (seed > 1) continue;

        const x = [-1, 0, 1.5, 4];
        const dens = await post(app, '/v1/density', { distribution: dist, x });
        expect(dens.statusCode).toBe(200);
        dens.json().logDensity.forEach((ld: number, i: number) => {
          const z = (x[i]! - dist.mean) / dist.std;
          expect(ld).toBeCloseTo(-0.5 * z * z - Math.log(dist.std) - 0.5 * Math.log(2 * Math.PI), 12);
        });

        const draws = await post(app, '/v1/sample', { distribution: dist, n: 10_000, seed: 99 });
        expect(draws.statusCode).toBe(200);
        const s = draws.json().samples as number[];
        const m = s.reduce((a, b) => a + b, 0) / s.length;
        expect(Math.abs(m - dist.mean)).toBeLessThan((5 * dist.std) / Math.sqrt(s.length));
        // Refitting the draws comes back to the fitted distribution.
        const refit = await post(app, '/v1/fit', { family: 'normal', data: s, goodnessOfFit: false });
        expect(refit.json().distribution.std).toBeCloseTo(dist.std, 1);
      }
      kls.push(sum / 5);
    }
    // E[KL] is about 1/n for two parameters: each tenfold n cuts it by about ten.
    for (let i = 1; i < kls.length; i++) expect(kls[i]!).toBeLessThan(kls[i - 1]!);
    expect(kls[0]!).toBeLessThan(0.1);
    expect(kls[kls.length - 1]!).toBeLessThan(1e-4);
  });
});
