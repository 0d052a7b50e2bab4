import { describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.js';

describe('loadConfig', () => {
  it('has safe defaults', () => {
    const c = loadConfig({});
    expect(c.HOST).toBe('127.0.0.1');
    expect(c.PORT).toBe(3000);
    expect(c.LOG_LEVEL).toBe('info');
    expect(c.MAX_SAMPLE_N_JSON).toBe(1_000_000);
    expect(c.MAX_JOB_N).toBe(1e12);
    expect(c.REQUEST_TIMEOUT_MS).toBeGreaterThan(0);
    expect(c.POOL_SIZE).toBeGreaterThanOrEqual(1);
  });

  it('reads the environment and ignores unrelated and empty variables', () => {
    const c = loadConfig({
      HOST: '0.0.0.0',
      PORT: '8080',
      LOG_LEVEL: 'warn',
      MAX_SAMPLE_N_JSON: '10',
      PATH: '/bin',
      BODY_LIMIT: '',
    });
    expect(c).toMatchObject({
      HOST: '0.0.0.0',
      PORT: 8080,
      LOG_LEVEL: 'warn',
      MAX_SAMPLE_N_JSON: 10,
      BODY_LIMIT: 1024 * 1024,
    });
  });

  it('is pure: the same environment gives the same config', () => {
    expect(loadConfig({ PORT: '1' })).toEqual(loadConfig({ PORT: '1' }));
  });

  it.each([
    [{ PORT: 'eighty' }, 'PORT'],
    [{ PORT: '70000' }, 'PORT'],
    [{ PORT: '1.5' }, 'PORT'],
    [{ LOG_LEVEL: 'loud' }, 'LOG_LEVEL'],
    [{ POOL_SIZE: '0' }, 'POOL_SIZE'],
    [{ MAX_SAMPLE_N_JSON: '-1' }, 'MAX_SAMPLE_N_JSON'],
  ])('rejects %o naming %s', (env, name) => {
    expect(() => loadConfig(env)).toThrow(new RegExp(`invalid configuration[\\s\\S]*${name}`));
  });
});
