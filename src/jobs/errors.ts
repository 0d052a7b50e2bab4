/** Too much work waiting: the HTTP layer answers 429 with Retry-After. */
export class QueueFullError extends Error {
  constructor(
    message: string,
    readonly retryAfterSeconds: number,
  ) {
    super(message);
    this.name = 'QueueFullError';
  }
}

/** The service is shutting down and takes no new work: 503. */
export class DrainingError extends Error {
  constructor(message = 'the server is shutting down') {
    super(message);
    this.name = 'DrainingError';
  }
}
