import { stringify } from '../json.js';
import type { Job, JobEvent } from './job.js';
import { jobView } from './view.js';

/** The part of a ws WebSocket the sender uses (a fake in tests). */
export interface SocketLike {
  readonly readyState: number;
  readonly bufferedAmount: number;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  terminate(): void;
}

const OPEN = 1;

export interface SenderLimits {
  /** Progress goes out only while the socket's send buffer is at most this many bytes. */
  lowWater: number;
  /** Past this many buffered bytes the socket is dropped. */
  maxBuffered: number;
  /** A socket whose buffer stays above lowWater (progress waiting) this long is dropped. */
  stallMs: number;
}

/**
 * Sends a job's events to one socket without ever buffering more than one progress message: a
 * progress that cannot go out now (the send buffer is above the low-water mark) replaces the one
 * waiting, so a slow client gets only the latest. A client whose buffer passes the cap, or that
 * stays stalled too long, is dropped (terminate: no close handshake to wait for).
 */
export class SocketSender {
  private pending: string | undefined;
  private stalledSince: number | undefined;
  private closed = false;
  /** Progress messages replaced before they could be sent. */
  dropped = 0;
  sent = 0;

  constructor(
    private readonly ws: SocketLike,
    private readonly limits: SenderLimits,
    private readonly onDrop: (why: string) => void = () => {},
    private readonly now: () => number = () => performance.now(),
  ) {}

  get done(): boolean {
    return this.closed;
  }

  /** Send now, whatever the buffer (small control messages: state, errors). */
  send(message: unknown): void {
    if (!this.usable()) return;
    this.ws.send(stringify(message));
    this.sent++;
  }

  /** Offer a progress message: sent now, or kept as the one latest waiting. */
  progress(message: unknown): void {
    if (!this.usable()) return;
    if (this.pending !== undefined) this.dropped++;
    this.pending = stringify(message);
    this.flush();
  }

  /** Try again to send the waiting progress (and check the caps). */
  flush(): void {
    if (!this.usable()) return;
    const buffered = this.ws.bufferedAmount;
    if (buffered > this.limits.maxBuffered) {
      this.drop(`send buffer of ${buffered} bytes is over the cap of ${this.limits.maxBuffered}`);
      return;
    }
    if (buffered <= this.limits.lowWater) {
      this.stalledSince = undefined;
      if (this.pending !== undefined) {
        this.ws.send(this.pending);
        this.sent++;
        this.pending = undefined;
      }
      return;
    }
    if (this.pending === undefined) return;
    const t = this.now();
    this.stalledSince ??= t;
    if (t - this.stalledSince > this.limits.stallMs)
      this.drop(`the client has not read for ${Math.round(t - this.stalledSince)} ms`);
  }

  /** The last message (result, error, cancelled), then a normal close. A waiting progress is dropped. */
  final(message: unknown, code = 1000, reason = ''): void {
    if (!this.usable()) return;
    this.pending = undefined;
    const data = stringify(message);
    if (this.ws.bufferedAmount > this.limits.maxBuffered) {
      this.drop('send buffer over the cap at the end of the job');
      return;
    }
    this.ws.send(data);
    this.sent++;
    this.close(code, reason);
  }

  close(code = 1000, reason = ''): void {
    if (this.closed) return;
    this.closed = true;
    this.pending = undefined;
    if (this.ws.readyState === OPEN) this.ws.close(code, reason);
  }

  private usable(): boolean {
    return !this.closed && this.ws.readyState === OPEN;
  }

  private drop(why: string): void {
    this.closed = true;
    this.pending = undefined;
    this.onDrop(why);
    this.ws.terminate();
  }
}

/** The first message of a stream: the job as GET /v1/jobs/:id shows it. */
export function stateMessage(job: Job): unknown {
  return { type: 'state', jobId: job.id, ...jobView(job) };
}

/**
 * Stream a job to a socket: its state at once, progress at the job's interval (latest only), and
 * the final event before a 1000 close. Returns the unsubscribe function.
 */
export function streamJob(job: Job, sender: SocketSender): () => void {
  sender.send(stateMessage(job));
  const final = job.finalEvent();
  if (final !== undefined) {
    sender.final(final);
    return () => {};
  }
  return job.subscribe((event: JobEvent) => {
    if (event.type === 'progress') sender.progress(event);
    else sender.final(event);
  });
}
