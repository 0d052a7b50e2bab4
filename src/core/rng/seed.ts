import seedrandom from 'seedrandom';

/** A seed as clients send it: a non-negative integer below 2^53 or a string of at most 256 characters. */
export type Seed = number | string;

/**
 * The generator state (four 32-bit words) for stream `stream` of `seed`.
 *
 * seedrandom's ARC4 is slow as a generator but a good key-stretcher: keying it with the seed and the
 * stream index gives unrelated states for (s, k) and (s, j), which is what lets a job cut its work into
 * chunks, run them on any worker in any order, and still produce the numbers of a single run.
 * Integer and string seeds share one namespace: 42 and "42" are the same seed.
 */
export function seedState(seed: Seed, stream = 0): Uint32Array {
  const arc4 = seedrandom(`likely/v1\u0000${String(seed)}\u0000${stream}`);
  const state = new Uint32Array(4);
  for (let i = 0; i < 4; i++) state[i] = arc4.int32() >>> 0;
  // xoshiro's only forbidden state is all zeros.
  if ((state[0]! | state[1]! | state[2]! | state[3]!) === 0) state[0] = 0x9e3779b9;
  return state;
}

/** A fresh server-chosen seed (when the client sends none): a random integer below 2^53. */
export function randomSeed(): number {
  const hi = Math.floor(Math.random() * 2 ** 21);
  const lo = Math.floor(Math.random() * 2 ** 32);
  return hi * 2 ** 32 + lo;
}
