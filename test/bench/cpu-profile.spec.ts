import { describe, expect, it } from '@jest/globals';
import {
  functionKey,
  groupOf,
  top,
  windowSamples,
  windowTimes,
  type CallFrame,
  type CpuProfile,
} from '../../bench/src/profile/cpu-profile.js';
import { activityOf } from '../../bench/src/profile/activities.js';

const DIST = 'file:///work/gridfed/dist';
const MODULES = 'file:///work/gridfed/node_modules';
const frame = (functionName: string, url = '', lineNumber = 0): CallFrame => ({ functionName, url, lineNumber });

/**
 * (root) -> apply (gridfed kube) -> deserialize (client-node ObjectSerializer) -> deserialize (recursion)
 *        -> (idle)
 */
const profile: CpuProfile = {
  nodes: [
    { id: 1, callFrame: frame('(root)'), children: [2, 5] },
    { id: 2, callFrame: frame('applyObject', `${DIST}/libs/kube/src/apply.js`, 19), children: [3] },
    {
      id: 3,
      callFrame: frame('deserialize', `${MODULES}/@kubernetes/client-node/dist/gen/models/ObjectSerializer.js`, 2439),
      children: [4],
    },
    {
      id: 4,
      callFrame: frame('deserialize', `${MODULES}/@kubernetes/client-node/dist/gen/models/ObjectSerializer.js`, 2439),
    },
    { id: 5, callFrame: frame('(idle)') },
  ],
  startTime: 1_000,
  endTime: 1_600,
  // Samples at 1100, 1200, 1300, 1400, 1500; each lasts until the next (the last: 0).
  samples: [2, 4, 3, 5, 4],
  timeDeltas: [100, 100, 100, 100, 100],
};

describe('groupOf', () => {
  it('tells client-node ObjectSerializer, gridfed libraries, node internals and V8 pseudo-frames apart', () => {
    expect(groupOf(profile.nodes[2]!.callFrame)).toBe('client-node ObjectSerializer');
    expect(groupOf(frame('x', `${MODULES}/@kubernetes/client-node/dist/config.js`))).toBe('client-node (other)');
    expect(groupOf(profile.nodes[1]!.callFrame)).toBe('gridfed libs (kube)');
    expect(groupOf(frame('x', `${MODULES}/bullmq/dist/esm/classes/worker.js`))).toBe('BullMQ');
    expect(groupOf(frame('x', `${MODULES}/ioredis/built/Redis.js`))).toBe('ioredis');
    expect(groupOf(frame('x', 'node:_tls_wrap'))).toBe('TLS');
    expect(groupOf(frame('x', 'node:internal/deps/undici/undici'))).toBe('undici (fetch, HTTP)');
    expect(groupOf(frame('(garbage collector)'))).toBe('GC');
    expect(groupOf(frame('stringify'))).toBe('JSON.parse/stringify');
    expect(groupOf(frame('writeBuffer'))).toBe('native and builtins (microtasks, socket writes)');
    expect(groupOf(frame('x', `${MODULES}/undici/lib/web/fetch/index.js`))).toBe('undici (client-node fetch)');
  });
});

describe('functionKey', () => {
  it('names a function by its file from node_modules/ or dist/ on, with a 1-based line', () => {
    expect(functionKey(profile.nodes[1]!.callFrame)).toBe('applyObject dist/libs/kube/src/apply.js:20');
    expect(functionKey(frame(''))).toBe('(anonymous)');
  });
});

describe('windowSamples', () => {
  it('keeps the samples taken within the window, each lasting until the next sample', () => {
    expect(windowSamples(profile, 1_150, 1_400)).toEqual([
      { node: 4, us: 100 },
      { node: 3, us: 100 },
      { node: 5, us: 100 },
    ]);
  });
});

describe('windowTimes', () => {
  const t = windowTimes(profile, 1_000, 1_400);

  it('counts sampled time, and busy time without idle', () => {
    expect(t.totalUs).toBe(400);
    expect(t.busyUs).toBe(300);
  });

  it('gives self time to the leaf and inclusive time to every function on the stack, a recursive one once', () => {
    const deserialize = 'deserialize @kubernetes/client-node/dist/gen/models/ObjectSerializer.js:2440';
    expect(t.selfByFunction.get(deserialize)).toBe(200);
    expect(t.inclusiveByFunction.get(deserialize)).toBe(200);
    expect(t.selfByFunction.get('applyObject dist/libs/kube/src/apply.js:20')).toBe(100);
    expect(t.inclusiveByFunction.get('applyObject dist/libs/kube/src/apply.js:20')).toBe(300);
  });

  it('groups self and inclusive time by where the code comes from', () => {
    expect(t.selfByGroup.get('client-node ObjectSerializer')).toBe(200);
    expect(t.inclusiveByGroup.get('gridfed libs (kube)')).toBe(300);
    expect(top(t.selfByGroup, 1)).toEqual([['client-node ObjectSerializer', 200]]);
    expect(t.selfByGroup.has('idle')).toBe(false);
  });

  it('tells what the hub was doing from the whole stack', () => {
    expect(t.byActivity).toEqual(
      new Map([
        ['other', 100],
        ['client-node request/response (after an await)', 200],
      ]),
    );
  });
});

describe('activityOf', () => {
  it('takes the first rule any frame matches: a member sync that sends a request is the member sync', () => {
    const sync = frame('sync', `${DIST}/libs/distribution/src/member-sync.js`);
    const fetchFrame = frame('fetch', `${MODULES}/undici/index.js`);
    expect(activityOf([fetchFrame, sync])).toBe('member sync (desired state, plan, apply request)');
    expect(activityOf([fetchFrame])).toBe('undici (sockets, response bodies, watch streams)');
    expect(activityOf([frame('addJob', `${MODULES}/bullmq/dist/cjs/classes/queue.js`), sync])).toBe(
      'BullMQ add (enqueue a job)',
    );
    expect(activityOf([frame('(garbage collector)')])).toBe('GC');
    expect(activityOf([frame('foo', 'node:net')])).toBe('other');
  });
});
