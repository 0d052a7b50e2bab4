import { describe, expect, it } from 'vitest';
import { type SocketLike, SocketSender } from '../../src/jobs/stream.js';

class FakeSocket implements SocketLike {
  readyState = 1;
  bufferedAmount = 0;
  sent: string[] = [];
  closedWith: number | undefined;
  terminated = false;
  send(data: string) {
    this.sent.push(data);
  }
  close(code?: number) {
    this.closedWith = code;
    this.readyState = 2;
  }
  terminate() {
    this.terminated = true;
    this.readyState = 3;
  }
}

const limits = { lowWater: 1000, maxBuffered: 10_000, stallMs: 500 };

describe('SocketSender', () => {
  it('sends progress at once while the buffer is low', () => {
    const ws = new FakeSocket();
    const s = new SocketSender(ws, limits);
    s.progress({ type: 'progress', n: 1 });
    s.progress({ type: 'progress', n: 2 });
    expect(ws.sent.map((m) => JSON.parse(m).n)).toEqual([1, 2]);
  });

  it('keeps only the latest progress while the client is slow, and sends it once it drains', () => {
    const ws = new FakeSocket();
    let t = 0;
    const s = new SocketSender(ws, limits, undefined, () => t);
    ws.bufferedAmount = 5000;
    for (let n = 1; n <= 100; n++) {
      t += 1;
      s.progress({ type: 'progress', n });
    }
    expect(ws.sent).toHaveLength(0);
    expect(s.dropped).toBe(99);
    ws.bufferedAmount = 0;
    s.flush();
    expect(ws.sent.map((m) => JSON.parse(m).n)).toEqual([100]);
  });

  it('drops a client whose buffer passes the cap', () => {
    const ws = new FakeSocket();
    const why: string[] = [];
    const s = new SocketSender(ws, limits, (w) => why.push(w));
    ws.bufferedAmount = 20_000;
    s.progress({ type: 'progress', n: 1 });
    expect(ws.terminated).toBe(true);
    expect(why[0]).toMatch(/over the cap/);
    s.progress({ type: 'progress', n: 2 });
    expect(ws.sent).toHaveLength(0);
  });

  it('drops a client that stays stalled longer than stallMs', () => {
    const ws = new FakeSocket();
    let t = 0;
    const s = new SocketSender(ws, limits, undefined, () => t);
    ws.bufferedAmount = 5000;
    s.progress({ n: 1 });
    t = 400;
    s.progress({ n: 2 });
    expect(ws.terminated).toBe(false);
    t = 600;
    s.progress({ n: 3 });
    expect(ws.terminated).toBe(true);
  });

  it('sends the final message past a waiting progress, then closes 1000', () => {
    const ws = new FakeSocket();
    const s = new SocketSender(ws, limits);
    ws.bufferedAmount = 5000;
    s.progress({ type: 'progress', n: 1 });
    s.final({ type: 'result' });
    expect(ws.sent.map((m) => JSON.parse(m).type)).toEqual(['result']);
    expect(ws.closedWith).toBe(1000);
    s.progress({ type: 'progress', n: 2 });
    expect(ws.sent).toHaveLength(1);
  });

  it('writes non-finite numbers as strings', () => {
    const ws = new FakeSocket();
    new SocketSender(ws, limits).send({ stdError: Number.NaN, x: Number.POSITIVE_INFINITY });
    expect(JSON.parse(ws.sent[0]!)).toEqual({ stdError: 'NaN', x: 'Infinity' });
  });
});
