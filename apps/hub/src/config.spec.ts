import { describe, expect, it } from '@jest/globals';
import { isLoopback, loadHubConfig } from './config.js';

const base = { REDIS_URL: 'redis://127.0.0.1:6379', HUB_REPLICA_ID: 'test' };

describe('HTTP_AUTH', () => {
  it('defaults to kubernetes, on every address', () => {
    expect(loadHubConfig(base)).toMatchObject({ HTTP_AUTH: 'kubernetes', HTTP_HOST: '0.0.0.0' });
  });

  it.each(['127.0.0.1', '127.0.0.53', '::1', '[::1]', 'localhost'])('allows none on loopback %s', (host) => {
    expect(loadHubConfig({ ...base, HTTP_AUTH: 'none', HTTP_HOST: host })).toMatchObject({ HTTP_AUTH: 'none' });
  });

  it.each(['0.0.0.0', '::', '10.0.0.5', 'hub.example.com'])(
    'refuses none on a non-loopback HTTP_HOST %s, naming both variables',
    (host) => {
      expect(() => loadHubConfig({ ...base, HTTP_AUTH: 'none', HTTP_HOST: host })).toThrow(
        new RegExp(`HTTP_AUTH: none .*loopback HTTP_HOST.*HTTP_HOST is ${host.replace(/\./g, '\\.')}`),
      );
    },
  );

  it('refuses none when HTTP_HOST is left at its default 0.0.0.0', () => {
    expect(() => loadHubConfig({ ...base, HTTP_AUTH: 'none' })).toThrow(/HTTP_HOST is 0\.0\.0\.0/);
  });

  it('refuses an unknown mode', () => {
    expect(() => loadHubConfig({ ...base, HTTP_AUTH: 'basic' })).toThrow(/HTTP_AUTH/);
  });
});

describe('isLoopback', () => {
  it.each([
    ['127.0.0.1', true],
    ['127.255.0.1', true],
    ['::1', true],
    ['LOCALHOST', true],
    ['128.0.0.1', false],
    ['127.example.com', false],
    ['0.0.0.0', false],
  ])('%s -> %s', (host, loopback) => expect(isLoopback(host)).toBe(loopback));
});
