import { describe, expect, it } from '@jest/globals';
import { parseRedisUrl, redisUrlProblem } from './redis-url.js';

describe('parseRedisUrl', () => {
  it('passes a one-server URL to ioredis as it is', () => {
    expect(parseRedisUrl('redis://127.0.0.1:6379')).toEqual({ kind: 'single', url: 'redis://127.0.0.1:6379' });
    expect(parseRedisUrl('rediss://u:p@redis.example.com:6380/2')).toEqual({
      kind: 'single',
      url: 'rediss://u:p@redis.example.com:6380/2',
    });
  });

  it('reads a Redis Cluster as its seed nodes', () => {
    expect(parseRedisUrl('redis+cluster://127.0.0.1:7000,127.0.0.1:7001,10.0.0.3:7002')).toEqual({
      kind: 'cluster',
      seeds: [
        { host: '127.0.0.1', port: 7000 },
        { host: '127.0.0.1', port: 7001 },
        { host: '10.0.0.3', port: 7002 },
      ],
      tls: false,
    });
  });

  it('takes one seed, a default port, IPv6 and a trailing slash', () => {
    expect(parseRedisUrl('redis+cluster://redis-0.redis/')).toEqual({
      kind: 'cluster',
      seeds: [{ host: 'redis-0.redis', port: 6379 }],
      tls: false,
    });
    expect(parseRedisUrl('redis+cluster://[::1]:7000,[fd00::2]')).toMatchObject({
      seeds: [
        { host: '::1', port: 7000 },
        { host: 'fd00::2', port: 6379 },
      ],
    });
  });

  it('reads the user and password (percent-decoded) and TLS', () => {
    expect(parseRedisUrl('rediss+cluster://gridfed:p%40ss%3Aword@a:7000,b:7001')).toEqual({
      kind: 'cluster',
      seeds: [
        { host: 'a', port: 7000 },
        { host: 'b', port: 7001 },
      ],
      username: 'gridfed',
      password: 'p@ss:word',
      tls: true,
    });
    expect(parseRedisUrl('redis+cluster://:secret@a:7000')).toMatchObject({ password: 'secret' });
    expect(parseRedisUrl('redis+cluster://:secret@a:7000')).not.toHaveProperty('username');
  });

  it.each([
    ['redis+cluster://', 'no seed nodes'],
    ['redis+cluster://u:p@', 'no seed nodes'],
    ['redis+cluster://a:7000,,b:7001', 'an empty seed node'],
    ['redis+cluster://a:7000,', 'an empty seed node'],
    ['redis+cluster://a:0', 'bad port "0"'],
    ['redis+cluster://a:70000', 'bad port "70000"'],
    ['redis+cluster://a:x', 'bad port "x"'],
    ['redis+cluster://a:', 'bad port ""'],
    ['redis+cluster://a:1:2', 'seed node "a:1:2" is not host:port'],
    ['redis+cluster://a:7000/3', 'only database 0'],
    ['redis+cluster://a:7000?tls=true', 'no query'],
    ['http://a:7000', 'unknown scheme "http://"'],
    ['redis-cluster://a:7000', 'unknown scheme "redis-cluster://"'],
    ['127.0.0.1:6379', 'not a URL'],
    ['redis://', 'no host'],
  ])('rejects %s, naming REDIS_URL', (value, problem) => {
    expect(() => parseRedisUrl(value)).toThrow('REDIS_URL');
    expect(() => parseRedisUrl(value)).toThrow(problem);
    expect(redisUrlProblem(value)).toContain(problem);
  });

  it('never repeats the password in an error', () => {
    expect(() => parseRedisUrl('redis+cluster://u:hunter2@a:0')).toThrow('"redis+cluster://u:***@a:0"');
    expect(() => parseRedisUrl('redis+cluster://u:hun@ter2@a:0')).not.toThrow(/ter2/);
  });

  it('finds nothing wrong with a good URL', () => {
    expect(redisUrlProblem('redis+cluster://a:7000')).toBeUndefined();
    expect(redisUrlProblem('redis://a:6379')).toBeUndefined();
  });
});
