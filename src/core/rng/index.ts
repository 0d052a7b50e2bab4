export { createRng, Rng } from './rng.js';
export { randomSeed, type Seed, seedState } from './seed.js';
