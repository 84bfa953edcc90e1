import { describe, expect, it } from '@jest/globals';
import { normalizePath, routeRule } from './route-rules.js';

const readOnly = { queueBoardReadOnly: true };

describe('routeRule', () => {
  it.each([
    ['GET', '/healthz'],
    ['GET', '/readyz'],
    ['HEAD', '/readyz/'],
    ['GET', '/dashboard'],
    ['GET', '/'],
  ])('leaves %s %s open', (method, path) => expect(routeRule(method, path, readOnly)).toEqual({ kind: 'open' }));

  it.each([
    ['GET', '/api/grids'],
    ['GET', '/api/docs'],
    ['GET', '/api/openapi.json'],
    ['POST', '/api/diff'],
    ['GET', '/no-such-page'],
    ['POST', '/healthz'],
    ['POST', '/dashboard'],
  ])('needs an authenticated requester for %s %s', (method, path) =>
    expect(routeRule(method, path, readOnly)).toEqual({ kind: 'authenticated' }),
  );

  it.each(['/metrics', '/METRICS', '/metrics/', '//metrics'])('checks get on the non-resource URL for %s', (path) =>
    expect(routeRule('GET', path, readOnly)).toEqual({
      kind: 'check',
      check: { nonResource: { path: '/metrics', verb: 'get' } },
    }),
  );

  it.each(['/queues', '/queues/', '/queues/api/queues', '/queues/static/app.js', '/Queues/api/redis/stats'])(
    'checks get on /queues for every page of the board: %s',
    (path) =>
      expect(routeRule('GET', path, readOnly)).toEqual({
        kind: 'check',
        check: { nonResource: { path: '/queues', verb: 'get' } },
      }),
  );

  it.each(['PUT', 'POST', 'DELETE', 'PATCH'])('refuses %s on a read-only board', (method) =>
    expect(routeRule(method, '/queues/api/queues/pause', readOnly)).toMatchObject({
      kind: 'refused',
      reason: expect.stringContaining('BULL_BOARD_READ_ONLY=true'),
    }),
  );

  it('checks the method verb on a writable board', () =>
    expect(routeRule('PUT', '/queues/api/queues/pause', { queueBoardReadOnly: false })).toEqual({
      kind: 'check',
      check: { nonResource: { path: '/queues', verb: 'put' } },
    }));
});

describe('normalizePath', () => {
  it.each([
    ['', '/'],
    ['/', '/'],
    ['//', '/'],
    ['/Api//Grids/', '/api/grids'],
  ])('%j -> %j', (path, normal) => expect(normalizePath(path)).toBe(normal));
});
