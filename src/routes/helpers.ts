import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { createDistribution } from '../core/distributions/registry.js';
import type { Distribution, DistributionSpec } from '../core/distributions/types.js';
import { randomSeed, type Seed } from '../core/rng/index.js';
import { HttpError } from '../plugins/errors.js';

/** Build the distribution a request names; errors point at `path` (e.g. `distribution.std`). */
export function distributionFrom(spec: unknown, path = 'distribution'): Distribution {
  return createDistribution(spec as DistributionSpec, path);
}

/** The seed to use: the client's, or a fresh one the answer reports. */
export function seedOf(seed: Seed | undefined): Seed {
  return seed ?? randomSeed();
}

/** Visible ASCII (0x21-0x7e), spaces allowed inside but not at either end: safe in a header as is. */
const HEADER_SAFE = /^[\x21-\x7e](?:[\x20-\x7e]*[\x21-\x7e])?$/;

/**
 * The seed as response headers (for a binary answer, whose body cannot carry it). `X-Seed` holds an
 * integer seed, or a string seed of visible ASCII (0x21-0x7e, inner spaces allowed, no leading or
 * trailing space), as is. Any other string (non-ASCII, control characters such as a newline, edge
 * spaces, the empty string) is percent-encoded as UTF-8 (encodeURIComponent) and flagged with
 * `X-Seed-Encoding: percent`: a header value cannot hold it faithfully (Node refuses control
 * characters and writes other characters as single Latin-1 bytes). decodeURIComponent gives it back.
 * The seed schema admits only well-formed Unicode, so encodeURIComponent cannot throw.
 */
export function seedHeaders(seed: Seed): Record<string, string> {
  if (typeof seed === 'number' || HEADER_SAFE.test(seed)) return { 'x-seed': String(seed) };
  return { 'x-seed': encodeURIComponent(seed), 'x-seed-encoding': 'percent' };
}

/** 413 naming the limit, for an n (or a product like n x dim) over it. */
export function enforceLimit(what: string, value: number, limit: number, hint = ''): void {
  if (value > limit) throw new HttpError(413, `${what} = ${value} is over the limit of ${limit}${hint}`);
}

/** One media range of an Accept header: `type/subtype` (lower case; `*` for a wildcard), its q and parameters. */
export interface MediaRange {
  type: string;
  subtype: string;
  /** Media-type parameters before the weight (lower-case names), e.g. charset. */
  params: number;
  q: number;
}

const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
const QVALUE = /^(?:0(?:\.\d{0,3})?|1(?:\.0{0,3})?)$/;

/**
 * Split a header on `sep`, outside quoted strings (a parameter value such as `"a,b"` may hold commas
 * and semicolons). Returns undefined for an unterminated quoted string.
 */
function splitOutsideQuotes(text: string, sep: string): string[] | undefined {
  const parts: string[] = [];
  let start = 0;
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '\\') i++;
      else if (c === '"') quoted = false;
    } else if (c === '"') quoted = true;
    else if (c === sep) {
      parts.push(text.slice(start, i));
      start = i + 1;
    }
  }
  if (quoted) return undefined;
  parts.push(text.slice(start));
  return parts;
}

const QUOTED = /^"(?:[^"\\]|\\.)*"$/;

/**
 * Parse an Accept header (RFC 9110 12.5.1): comma-separated media ranges `type/subtype`, `type/*` or
 * the full wildcard (star/star), each with optional `;name=value` parameters (token or quoted-string
 * values) and a weight `;q=` from 0 to 1 with up to three decimals (default 1). Names, types and
 * subtypes are case-insensitive. Empty list elements are allowed, as the list syntax says. Returns
 * undefined when the header is malformed.
 */
export function parseAccept(header: string): MediaRange[] | undefined {
  const elements = splitOutsideQuotes(header, ',');
  if (elements === undefined) return undefined;
  const ranges: MediaRange[] = [];
  for (const element of elements) {
    if (element.trim() === '') continue;
    const pieces = splitOutsideQuotes(element, ';');
    if (pieces === undefined) return undefined;
    const media = pieces[0]!.trim();
    const slash = media.indexOf('/');
    if (slash === -1) return undefined;
    const type = media.slice(0, slash).toLowerCase();
    const subtype = media.slice(slash + 1).toLowerCase();
    if (!TOKEN.test(type) || !TOKEN.test(subtype)) return undefined;
    if (type === '*' && subtype !== '*') return undefined;
    let q = 1;
    let params = 0;
    let weighted = false;
    for (const raw of pieces.slice(1)) {
      const param = raw.trim();
      if (param === '') continue; // `*( OWS ";" OWS [ parameter ] )`: an empty parameter is allowed
      const eq = param.indexOf('=');
      if (eq <= 0) return undefined;
      const name = param.slice(0, eq).toLowerCase();
      const value = param.slice(eq + 1);
      if (!TOKEN.test(name) || !(TOKEN.test(value) || QUOTED.test(value))) return undefined;
      if (weighted) continue; // accept-ext parameters after the weight do not change the match
      if (name === 'q') {
        if (!QVALUE.test(value)) return undefined;
        q = Number(value);
        weighted = true;
      } else params++;
    }
    ranges.push({ type, subtype, params, q });
  }
  return ranges;
}

/**
 * The q of a media type under parsed ranges: that of the most specific matching range (an exact
 * `type/subtype` over `type/*` over the full wildcard, more parameters over fewer; equally specific
 * ranges give their highest q), or 0 (not acceptable) when none matches.
 */
export function qualityOf(ranges: MediaRange[], mediaType: string): number {
  const [type, subtype] = mediaType.toLowerCase().split('/') as [string, string];
  let best = -1;
  let q = 0;
  for (const r of ranges) {
    let level: number;
    if (r.type === type && r.subtype === subtype) level = 2;
    else if (r.type === type && r.subtype === '*') level = 1;
    else if (r.type === '*' && r.subtype === '*') level = 0;
    else continue;
    const specificity = level * 1000 + r.params;
    if (specificity > best) {
      best = specificity;
      q = r.q;
    } else if (specificity === best) q = Math.max(q, r.q);
  }
  return q;
}

/**
 * Does the client ask for raw float64 rather than JSON? Only when application/octet-stream is
 * acceptable with a higher q than application/json: ties, an absent or malformed Accept header, and a
 * header that accepts neither (e.g. `text/html`) all get JSON.
 */
export function wantsBinary(accept: string | undefined): boolean {
  if (accept === undefined) return false;
  const ranges = parseAccept(accept);
  if (ranges === undefined) return false;
  const binary = qualityOf(ranges, 'application/octet-stream');
  return binary > 0 && binary > qualityOf(ranges, 'application/json');
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
  // 499 (nginx's "client closed request"): not a server fault, so the error handler does not log
  // it as one; nobody is left to read the answer.
  const gone = () => new HttpError(499, 'the client closed the connection');
  const onClose = () => {
    if (!reply.raw.writableEnded && !reply.sent) ac.abort(gone());
  };
  reply.raw.on('close', onClose);
  if (req.raw.socket?.destroyed) ac.abort(gone());
  return { signal: ac.signal, done: () => reply.raw.off('close', onClose) };
}

/**
 * The named task for this request (src/jobs/tasks.ts): inline when `size` is small, otherwise on the
 * worker pool, stopped if the client goes away (clientGone).
 */
export async function computeFor<T>(
  app: FastifyInstance,
  req: FastifyRequest,
  reply: FastifyReply,
  name: string,
  payload: unknown,
  size: number,
): Promise<T> {
  const { signal, done } = clientGone(req, reply);
  try {
    return await app.compute.run<T>(name, payload, { signal, size });
  } finally {
    done();
  }
}
