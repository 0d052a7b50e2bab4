/**
 * Property tests run from a fixed seed so that CI is reproducible; FC_SEED=<n> (or "random")
 * explores other corners locally, and a failure prints the seed that reproduces it.
 */
import fc from 'fast-check';

const env = process.env.FC_SEED;
const seed = env === 'random' ? Date.now() ^ (Math.random() * 0x7fffffff) : Number(env ?? 20261125);
fc.configureGlobal({ seed: Number.isFinite(seed) ? seed : 20261125 });
