import { invalid } from '../errors.js';
import type { FitData } from './types.js';

/**
 * Data checks shared by the fitters. Each throws InvalidInputError naming the rule and the first
 * offending point (`data.<i>`, or `data.<i>.<j>` for rows), so a client can find the bad value.
 */

/** Where point i (and coordinate j of a row) sits in the request. */
export function dataPath(data: FitData, flatIndex: number): string {
  if (!data.rows) return `data.${flatIndex}`;
  const i = Math.floor(flatIndex / data.dim);
  return `data.${i}.${flatIndex - i * data.dim}`;
}

/**
 * Largest dimension of multivariate data: a d-dimensional fit reports d^2 / 2 covariance entries, each
 * with a standard error and an interval (d = 1,000 made a 98 MB answer).
 */
export const MAX_FIT_DIMENSION = 100;

function requireFitDimension(dim: number, path: string): void {
  if (dim > MAX_FIT_DIMENSION)
    invalid(path, `rows may have at most ${MAX_FIT_DIMENSION} numbers (got ${dim}): the answer grows as d^2`);
}

/** Build FitData from JSON data (number[] or number[][]), checking finiteness and equal row lengths. */
export function fromJson(data: readonly unknown[]): FitData {
  const n = data.length;
  if (n === 0) return { values: new Float64Array(0), n: 0, dim: 1, rows: false };
  if (Array.isArray(data[0])) {
    const dim = (data[0] as unknown[]).length;
    if (dim === 0) invalid('data.0', 'a row must hold at least one number');
    requireFitDimension(dim, 'data.0');
    const values = new Float64Array(n * dim);
    for (let i = 0; i < n; i++) {
      const row = data[i];
      if (!Array.isArray(row))
        invalid(`data.${i}`, 'must be a row of numbers like data.0 (rows and numbers mixed)');
      if (row.length !== dim)
        invalid(`data.${i}`, `must have ${dim} numbers like data.0 (got ${row.length})`);
      for (let j = 0; j < dim; j++) {
        const v = row[j];
        if (typeof v !== 'number' || !Number.isFinite(v))
          invalid(`data.${i}.${j}`, `must be a finite number (got ${describe(v)})`);
        values[i * dim + j] = v;
      }
    }
    return { values, n, dim, rows: true };
  }
  const values = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const v = data[i];
    if (typeof v !== 'number' || !Number.isFinite(v)) {
      if (Array.isArray(v)) invalid(`data.${i}`, 'must be a number like data.0 (rows and numbers mixed)');
      invalid(`data.${i}`, `must be a finite number (got ${describe(v)})`);
    }
    values[i] = v;
  }
  return { values, n, dim: 1, rows: false };
}

/** Build FitData from raw little-endian float64 bytes (n x dim, row-major); see requireFinite. */
export function fromFloat64(bytes: Uint8Array, dim: number): FitData {
  if (bytes.byteLength % 8 !== 0)
    invalid(
      'body',
      `the binary body must be a whole number of float64 values (8 bytes each); got ${bytes.byteLength} bytes`,
    );
  const count = bytes.byteLength / 8;
  requireFitDimension(dim, 'dim');
  if (count % dim !== 0)
    invalid('dim', `the body holds ${count} numbers, which is not a multiple of dim = ${dim}`);
  let values: Float64Array;
  const littleEndian = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
  if (littleEndian && bytes.byteOffset % 8 === 0) {
    values = new Float64Array(bytes.buffer, bytes.byteOffset, count);
  } else {
    values = new Float64Array(count);
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    if (littleEndian) new Uint8Array(values.buffer).set(bytes);
    else for (let i = 0; i < count; i++) values[i] = view.getFloat64(i * 8, true);
  }
  return { values, n: count / dim, dim, rows: dim > 1, finite: false };
}

/** Throw for the first value that is NaN or infinite (data.<i>); mark the data checked. */
export function requireFinite(data: FitData): void {
  if (data.finite !== false) return;
  const values = data.values;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    // v - v is 0 for a finite v, NaN for NaN and for infinities.
    if (v - v !== 0) invalid(dataPath(data, i), `must be a finite number (got ${describe(v)})`);
  }
  data.finite = true;
}

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (typeof v === 'number') return String(v);
  if (Array.isArray(v)) return 'an array';
  return typeof v;
}

export function requireUnivariate(data: FitData, family: string): Float64Array {
  if (data.rows) invalid('data', `the ${family} family takes a list of numbers, not rows (number[][])`);
  return data.values;
}

export function requireRows(data: FitData, family: string): void {
  if (!data.rows && data.n > 0)
    invalid('data', `the ${family} family takes rows of numbers (number[][]), one row per point`);
}

export function requireAtLeast(data: FitData, min: number, family: string, why = ''): void {
  if (data.n === 0) invalid('data', 'is empty: there is nothing to fit');
  if (data.n < min) invalid('data', `the ${family} fit needs at least ${min} points${why} (got ${data.n})`);
}

/** The first index where `ok` fails, or -1. */
export function firstFailing(x: Float64Array, ok: (v: number) => boolean): number {
  for (let i = 0; i < x.length; i++) if (!ok(x[i]!)) return i;
  return -1;
}

/** Throw for the first value outside the support, naming the rule. */
export function requireAll(data: FitData, ok: (v: number) => boolean, rule: string, family: string): void {
  const i = firstFailing(data.values, ok);
  if (i >= 0)
    invalid(
      dataPath(data, i),
      `${rule} for the ${family} family (got ${data.values[i]}); this is the first such value`,
    );
}

/** Throw when every value is the same: a scale parameter would be 0. */
export function requireNotConstant(x: Float64Array, family: string, what: string): void {
  const first = x[0]!;
  for (let i = 1; i < x.length; i++) if (x[i] !== first) return;
  invalid('data', `all ${x.length} values are equal (${first}): ${what} for the ${family} family`);
}

export const isInteger = (v: number) => Number.isInteger(v);
