import { describe, expect, it } from 'vitest';
import { SOBOL_MAX_DIM, SobolSequence } from '../../../src/core/estimators/sobol.js';
import { createRng } from '../../../src/core/rng/index.js';

/** The first `n` points, each coordinate as the integer cell index floor(u * 2^32). */
function points(seq: SobolSequence, n: number): number[][] {
  const out = new Float64Array(seq.dim);
  const rows: number[][] = [];
  for (let i = 0; i < n; i++) {
    seq.next(out);
    rows.push(Array.from(out));
  }
  return rows;
}

describe('Sobol sequence (Joe-Kuo direction numbers)', () => {
  it('matches scipy.stats.qmc.Sobol(scramble=False) point for point', () => {
    // scipy: qmc.Sobol(3, scramble=False).random(8); dims 8..10 of qmc.Sobol(10, ...).random(8)
    const expected3 = [
      [0, 0, 0],
      [0.5, 0.5, 0.5],
      [0.75, 0.25, 0.25],
      [0.25, 0.75, 0.75],
      [0.375, 0.375, 0.625],
      [0.875, 0.875, 0.125],
      [0.625, 0.125, 0.875],
      [0.125, 0.625, 0.375],
    ];
    const expected8to10 = [
      [0, 0, 0],
      [0.5, 0.5, 0.5],
      [0.75, 0.75, 0.75],
      [0.25, 0.25, 0.25],
      [0.875, 0.875, 0.625],
      [0.375, 0.375, 0.125],
      [0.125, 0.125, 0.375],
      [0.625, 0.625, 0.875],
    ];
    const cell = (u: number) => Math.floor(u * 2 ** 32) / 2 ** 32; // unscrambled points sit mid-cell
    const p3 = points(new SobolSequence(3), 8).map((r) => r.map(cell));
    expect(p3).toEqual(expected3);
    const p10 = points(new SobolSequence(10), 8).map((r) => r.slice(7).map(cell));
    expect(p10).toEqual(expected8to10);
  });

  it('is a (t, m, s)-net in every one-dimensional projection, scrambled or not', () => {
    for (const seq of [new SobolSequence(SOBOL_MAX_DIM), new SobolSequence(8, createRng('net', 3))]) {
      const m = 10;
      const rows = points(seq, 2 ** m);
      for (let d = 0; d < seq.dim; d += seq.dim > 8 ? 37 : 1) {
        const seen = new Set(rows.map((r) => Math.floor(r[d]! * 2 ** m)));
        expect(seen.size).toBe(2 ** m);
      }
    }
  });

  it('scrambles deterministically from the Rng, into the open unit cube', () => {
    const a = points(new SobolSequence(4, createRng(7, 2)), 64);
    const b = points(new SobolSequence(4, createRng(7, 2)), 64);
    const c = points(new SobolSequence(4, createRng(7, 3)), 64);
    expect(a).toEqual(b);
    expect(a).not.toEqual(c);
    for (const row of a) for (const u of row) expect(u > 0 && u < 1).toBe(true);
    // First point of a scrambled sequence is no longer the origin.
    expect(a[0]!.some((u) => u > 0.01)).toBe(true);
  });

  it('rejects dimensions it has no direction numbers for', () => {
    expect(() => new SobolSequence(SOBOL_MAX_DIM + 1)).toThrow(RangeError);
    expect(() => new SobolSequence(0)).toThrow(RangeError);
  });
});
