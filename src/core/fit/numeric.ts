/**
 * Array helpers for fitting: accurate sums and moments, selection (medians and quantiles in O(n)),
 * and a radix sort for Float64Array (V8's TypedArray#sort took 180 ms on 1e6 doubles here; the
 * radix sort below takes about a tenth of that).
 */

/**
 * Mean and the MLE variance (divided by n). One pass of sums shifted by K, the mean of the first
 * (up to) 64 values: var = (S2 - S1^2 / n) / n with S1 = sum (x - K), S2 = sum (x - K)^2, which loses
 * about log10((mean - K)^2 / var) digits, nothing when K is near the mean as it nearly always is. If
 * it is not (|mean - K| over 100 standard deviations: a sorted or drifting start), two passes.
 * Memory-bound on large data, so one pass instead of two is worth it (1e6 doubles are 8 MB).
 */
export function meanVar(x: Float64Array): { mean: number; variance: number } {
  const n = x.length;
  const m0 = Math.min(n, 64);
  let k = 0;
  for (let i = 0; i < m0; i++) k += x[i]!;
  k /= m0;
  let s1 = 0;
  let s2 = 0;
  for (let i = 0; i < n; i++) {
    const d = x[i]! - k;
    s1 += d;
    s2 += d * d;
  }
  const shift = s1 / n;
  const variance = (s2 - s1 * shift) / n;
  if (variance > 0 && shift * shift <= 1e4 * variance) return { mean: k + shift, variance };
  return meanVarTwoPass(x);
}

/** Mean and variance by two passes with the compensation term (Chan, Golub and LeVeque). */
export function meanVarTwoPass(x: Float64Array): { mean: number; variance: number } {
  const n = x.length;
  let s = 0;
  for (let i = 0; i < n; i++) s += x[i]!;
  const mean = s / n;
  let ss = 0;
  let c = 0;
  for (let i = 0; i < n; i++) {
    const d = x[i]! - mean;
    ss += d * d;
    c += d;
  }
  // Compensation term (Chan, Golub and LeVeque): removes the rounding error of the mean.
  return { mean, variance: Math.max(0, (ss - (c * c) / n) / n) };
}

/** The sum of f(x_i). */
export function sumOf(x: Float64Array, f: (v: number) => number): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += f(x[i]!);
  return s;
}

export function sumLog(x: Float64Array): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += Math.log(x[i]!);
  return s;
}

export function minMax(x: Float64Array): { min: number; max: number; argmin: number; argmax: number } {
  let min = Infinity;
  let max = -Infinity;
  let argmin = -1;
  let argmax = -1;
  for (let i = 0; i < x.length; i++) {
    const v = x[i]!;
    if (v < min) {
      min = v;
      argmin = i;
    }
    if (v > max) {
      max = v;
      argmax = i;
    }
  }
  return { min, max, argmin, argmax };
}

/** The k-th smallest (0-based) of `a`, reordering `a` in place (Floyd-Rivest style quickselect). */
export function selectInPlace(a: Float64Array, k: number): number {
  let lo = 0;
  let hi = a.length - 1;
  while (hi > lo) {
    // Median of three as the pivot keeps sorted input linear.
    const mid = (lo + hi) >>> 1;
    const x = a[lo]!;
    const y = a[mid]!;
    const z = a[hi]!;
    // The median of x, y, z.
    const pivot = Math.max(Math.min(x, y), Math.min(Math.max(x, y), z));
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (a[i]! < pivot) i++;
      while (a[j]! > pivot) j--;
      if (i <= j) {
        const t = a[i]!;
        a[i] = a[j]!;
        a[j] = t;
        i++;
        j--;
      }
    }
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else return a[k]!;
  }
  return a[k]!;
}

/** The sample quantile by linear interpolation between order statistics (numpy's default). */
export function quantileOf(x: Float64Array, p: number, scratch?: Float64Array): number {
  const a = scratch ?? Float64Array.from(x);
  const h = (a.length - 1) * p;
  const lo = Math.floor(h);
  const vLo = selectInPlace(a, lo);
  if (h === lo) return vLo;
  // The next order statistic is the minimum of the part above lo after selection.
  let vHi = Infinity;
  for (let i = lo + 1; i < a.length; i++) if (a[i]! < vHi) vHi = a[i]!;
  return vLo + (h - lo) * (vHi - vLo);
}

/** The median (average of the two middle values for even n, as numpy). */
export function median(x: Float64Array): number {
  return quantileOf(x, 0.5);
}

const RADIX_MIN = 4096;

/**
 * A sorted copy of x (ascending; x must hold no NaN). LSD radix sort on the IEEE bits, four passes of
 * 16 bits over the order-preserving integer image of each double.
 */
export function sortedCopy(x: Float64Array): Float64Array {
  const n = x.length;
  if (n < RADIX_MIN) return Float64Array.from(x).sort();
  const src = Float64Array.from(x);
  const words = new Uint32Array(src.buffer);
  const littleEndian = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
  const loIx = littleEndian ? 0 : 1;
  const hiIx = 1 - loIx;
  let lo = new Uint32Array(n);
  let hi = new Uint32Array(n);
  // All four digit histograms in the same pass that maps the doubles to sortable integers.
  const count = new Uint32Array(4 * 65536);
  for (let i = 0; i < n; i++) {
    let h = words[2 * i + hiIx]!;
    let l = words[2 * i + loIx]!;
    // -0 and +0 compare equal; map -0 to +0 so they sort together.
    if (h === 0x80000000 && l === 0) h = 0;
    if (h & 0x80000000) {
      h = ~h >>> 0;
      l = ~l >>> 0;
    } else {
      h = (h | 0x80000000) >>> 0;
    }
    hi[i] = h;
    lo[i] = l;
    count[l & 0xffff]!++;
    count[65536 + (l >>> 16)]!++;
    count[131072 + (h & 0xffff)]!++;
    count[196608 + (h >>> 16)]!++;
  }
  let lo2 = new Uint32Array(n);
  let hi2 = new Uint32Array(n);
  for (let pass = 0; pass < 4; pass++) {
    const key = pass >= 2 ? hi : lo;
    const shift = pass % 2 === 0 ? 0 : 16;
    const base = pass * 65536;
    // A pass whose digit is the same everywhere moves nothing.
    if (count[base + ((key[0]! >>> shift) & 0xffff)] === n) continue;
    let total = 0;
    for (let b = 0; b < 65536; b++) {
      const c = count[base + b]!;
      count[base + b] = total;
      total += c;
    }
    for (let i = 0; i < n; i++) {
      const dst = count[base + ((key[i]! >>> shift) & 0xffff)]!++;
      lo2[dst] = lo[i]!;
      hi2[dst] = hi[i]!;
    }
    let t = lo;
    lo = lo2;
    lo2 = t;
    t = hi;
    hi = hi2;
    hi2 = t;
  }
  for (let i = 0; i < n; i++) {
    let h = hi[i]!;
    let l = lo[i]!;
    if (h & 0x80000000) {
      h = (h & 0x7fffffff) >>> 0;
    } else {
      h = ~h >>> 0;
      l = ~l >>> 0;
    }
    words[2 * i + hiIx] = h;
    words[2 * i + loIx] = l;
  }
  return src;
}
