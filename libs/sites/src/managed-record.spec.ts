import { describe, expect, it } from '@jest/globals';
import { readManagedRecord, writeManagedRecord } from './managed-record.js';

describe('the gridfed.io/site-managed record', () => {
  it('reads back what it writes, sorted, and drops what holds nothing', () => {
    const text = '{"b":{"taints":["k:NoSchedule"],"labels":["z","a"]},"a":{"annotations":["x"]},"c":{}}';
    const { record, unreadable } = readManagedRecord(text);
    expect(unreadable).toBe(false);
    const written = writeManagedRecord(record);
    expect(written).toBe('{"a":{"annotations":["x"]},"b":{"labels":["a","z"],"taints":["k:NoSchedule"]}}');
    expect(writeManagedRecord(readManagedRecord(written).record)).toBe(written);
  });

  it('is absent when the hub set nothing', () => {
    expect(readManagedRecord(undefined)).toEqual({ record: new Map(), unreadable: false });
    expect(writeManagedRecord(new Map())).toBeUndefined();
  });

  it.each(['{oops', '[]', '"text"', '{"a":[]}', '{"a":{"labels":"zone"}}', '{"a":{"labels":[1]}}'])(
    'owns nothing when the annotation is %s',
    (text) => {
      expect(readManagedRecord(text)).toEqual({ record: new Map(), unreadable: true });
    },
  );
});
