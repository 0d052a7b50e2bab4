import type { Rng } from '../rng/index.js';
import { JOE_KUO, SOBOL_MAX_DIM } from './sobol-directions.js';

export { SOBOL_MAX_DIM };

const BITS = 32;
const TWO_POW_M32 = 2 ** -32;

const cache: Uint32Array[] = [];

/** The 32 direction numbers of dimension `d` (0-based), MSB-aligned: v_k = m_k / 2^k as 32-bit fractions. */
export function directionNumbers(d: number): Uint32Array {
  if (!(d >= 0 && d < SOBOL_MAX_DIM))
    throw new RangeError(`Sobol dimension ${d + 1} is over ${SOBOL_MAX_DIM}`);
  const hit = cache[d];
  if (hit !== undefined) return hit;
  const v = new Uint32Array(BITS);
  if (d === 0) {
    for (let i = 0; i < BITS; i++) v[i] = 2 ** (BITS - 1 - i);
  } else {
    const row = JOE_KUO[d - 1]!;
    const poly = row[0]!;
    const s = Math.floor(Math.log2(poly));
    const a = (poly >> 1) & ((1 << (s - 1)) - 1);
    for (let i = 0; i < s && i < BITS; i++) v[i] = (row[i + 1]! * 2 ** (BITS - 1 - i)) >>> 0;
    for (let i = s; i < BITS; i++) {
      let x = (v[i - s]! ^ (v[i - s]! >>> s)) >>> 0;
      for (let k = 1; k < s; k++) if ((a >> (s - 1 - k)) & 1) x = (x ^ v[i - k]!) >>> 0;
      v[i] = x;
    }
  }
  cache[d] = v;
  return v;
}

function parity32(x: number): number {
  x ^= x >>> 16;
  x ^= x >>> 8;
  x ^= x >>> 4;
  x ^= x >>> 2;
  x ^= x >>> 1;
  return x & 1;
}

/**
 * A (scrambled) Sobol sequence in `dim` dimensions, generated in Gray-code order (so the first 2^m
 * points are the same set as in natural order).
 *
 * Scrambling (when an Rng is given), per dimension: Matoušek's linear matrix scramble (a random
 * lower-triangular binary matrix with a unit diagonal applied to every direction number), a random
 * digital shift, and random digits below the 32 generated bits (the deep levels of Owen's nested
 * scramble, where the points no longer interact). Each point is then exactly uniform on (0, 1)^dim,
 * so the estimator is unbiased, while the net's stratification is kept. Deterministic in the Rng.
 */
export class SobolSequence {
  readonly dim: number;
  private readonly v: Uint32Array[];
  private readonly shift: Uint32Array;
  private readonly state: Uint32Array;
  private readonly rng: Rng | undefined;
  /** Index of the next point. */
  index = 0;

  constructor(dim: number, rng?: Rng) {
    if (!(Number.isInteger(dim) && dim >= 1 && dim <= SOBOL_MAX_DIM))
      throw new RangeError(`Sobol dimension must be 1..${SOBOL_MAX_DIM}`);
    this.dim = dim;
    this.rng = rng;
    this.shift = new Uint32Array(dim);
    this.state = new Uint32Array(dim);
    this.v = [];
    for (let d = 0; d < dim; d++) {
      const base = directionNumbers(d);
      if (rng === undefined) {
        this.v.push(base);
        continue;
      }
      // Row j (j = 0 the most significant digit) of L: random digits left of the diagonal, 1 on it.
      const rows = new Uint32Array(BITS);
      for (let j = 0; j < BITS; j++) {
        const diag = 2 ** (BITS - 1 - j);
        const above = j === 0 ? 0 : (rng.nextUint32() & ~(diag * 2 - 1)) >>> 0;
        rows[j] = (above | diag) >>> 0;
      }
      const scrambled = new Uint32Array(BITS);
      for (let k = 0; k < BITS; k++) {
        let out = 0;
        for (let j = 0; j < BITS; j++) if (parity32(rows[j]! & base[k]!)) out |= 2 ** (BITS - 1 - j);
        scrambled[k] = out >>> 0;
      }
      this.v.push(scrambled);
      this.shift[d] = rng.nextUint32();
    }
    this.state.set(this.shift);
  }

  /**
   * Write the next point's `dim` coordinates into out[offset ..], each in the open interval (0, 1).
   * Unscrambled, a coordinate is the cell midpoint (x + 1/2) / 2^32.
   */
  next(out: Float64Array, offset = 0): void {
    const { dim, state, rng } = this;
    if (rng === undefined) {
      for (let d = 0; d < dim; d++) out[offset + d] = (state[d]! + 0.5) * TWO_POW_M32;
    } else {
      for (let d = 0; d < dim; d++) out[offset + d] = (state[d]! + rng.uniformOpen()) * TWO_POW_M32;
    }
    this.advance();
  }

  /** Fill `out` with the next out.length points of a one-dimensional sequence. */
  fill1(out: Float64Array): void {
    if (this.dim !== 1) throw new Error('fill1 needs a one-dimensional sequence');
    for (let i = 0; i < out.length; i++) this.next(out, i);
  }

  private advance(): void {
    // Gray code: point i+1 differs from point i by the direction number of i's lowest zero bit.
    const i = this.index;
    let c = 0;
    let m = i;
    while (m % 2 === 1) {
      m = Math.floor(m / 2);
      c++;
    }
    if (c >= BITS) throw new RangeError('Sobol sequence exhausted (2^32 points)');
    for (let d = 0; d < this.dim; d++) this.state[d] = (this.state[d]! ^ this.v[d]![c]!) >>> 0;
    this.index = i + 1;
  }
}
