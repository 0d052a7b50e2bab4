import type { FastifyReply, FastifyRequest } from 'fastify';
import { createDistribution } from '../core/distributions/registry.js';
import type { Distribution, DistributionSpec, UnivariateDistribution } from '../core/distributions/types.js';
import { invalid } from '../core/errors.js';
import { randomSeed, type Seed } from '../core/rng/index.js';
import { HttpError } from '../plugins/errors.js';

/** Build the distribution a request names; errors point at `path` (e.g. `distribution.std`). */
export function distributionFrom(spec: unknown, path = 'distribution'): Distribution {
  return createDistribution(spec as DistributionSpec, path);
}

export function univariateFrom(spec: unknown, path = 'distribution'): UnivariateDistribution {
  const d = distributionFrom(spec, path);
  if (d.kind === 'multivariate')
    invalid(`${path}.family`, `must be a univariate family for this operation (got ${d.family})`);
  return d;
}

/** The seed to use: the client's, or a fresh one the answer reports. */
export function seedOf(seed: Seed | undefined): Seed {
  return seed ?? randomSeed();
}

/** 413 naming the limit, for an n (or a product like n x dim) over it. */
export function enforceLimit(what: string, value: number, limit: number, hint = ''): void {
  if (value > limit) throw new HttpError(413, `${what} = ${value} is over the limit of ${limit}${hint}`);
}

/** Does the client ask for raw float64 rather than JSON? */
export function wantsBinary(accept: string | undefined): boolean {
  if (accept === undefined) return false;
  const json = accept.indexOf('application/json');
  const bin = accept.indexOf('application/octet-stream');
  return bin !== -1 && (json === -1 || bin < json);
}

/** Little-endian float64 bytes of an array (x86 and ARM are little-endian; swap elsewhere). */
export function float64LE(values: Float64Array): Buffer {
  const buf = Buffer.from(values.buffer, values.byteOffset, values.byteLength);
  if (new Uint8Array(new Uint16Array([1]).buffer)[0] === 1) return buf;
  const copy = Buffer.alloc(values.byteLength);
  for (let i = 0; i < values.length; i++) copy.writeDoubleLE(values[i]!, i * 8);
  return copy;
}

/**
 * An AbortSignal that fires when the client goes away before the answer is sent. It listens on the
 * response's 'close' (emitted when the connection ends, or after the response is finished): in Node
 * 20 the request's own 'close' fires as soon as its body has been read, so it cannot tell a client
 * that left from one that is waiting.
 */
export function clientGone(
  req: FastifyRequest,
  reply: FastifyReply,
): { signal: AbortSignal; done: () => void } {
  const ac = new AbortController();
  const onClose = () => {
    if (!reply.raw.writableEnded && !reply.sent) ac.abort(new Error('the client closed the connection'));
  };
  reply.raw.on('close', onClose);
  if (req.raw.socket?.destroyed) ac.abort(new Error('the client closed the connection'));
  return { signal: ac.signal, done: () => reply.raw.off('close', onClose) };
}
