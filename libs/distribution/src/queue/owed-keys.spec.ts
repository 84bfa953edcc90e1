import { describe, expect, it } from '@jest/globals';
import { OwedKeys } from './owed-keys.js';

function setup(keepMs = 1000) {
  let clock = 0;
  const owed = new OwedKeys(keepMs, () => clock);
  return { owed, advance: (ms: number) => (clock += ms) };
}

describe('OwedKeys', () => {
  it('keeps what Redis did not take until it is sent, however old', () => {
    const { owed, advance } = setup();
    const run = owed.add('G/ns/a', 500);
    expect(owed.unsent()).toEqual([{ key: 'G/ns/a', kind: 'add', due: 500 }]);
    advance(60_000);
    owed.prune();
    expect(owed.unsent()).toEqual([run]);
    owed.sent(run);
    expect(owed.unsent()).toEqual([]);
  });

  it('remembers what Redis took until a run here serves it, or until it is old', () => {
    const { owed, advance } = setup(1000);
    owed.sent(owed.add('G/ns/a', 100));
    owed.sent(owed.later('G/ns/b', 5000));
    owed.sent(owed.add('G/ns/c', 100));
    advance(200);
    owed.started('G/ns/a'); // made before the run: served
    owed.started('G/ns/b'); // a timer not due yet: still owed
    const again = owed.all();
    expect(again.map((r) => r.key)).toEqual(['G/ns/c', 'G/ns/b']);
    for (const run of again) owed.sent(run); // Redis took them again
    advance(1000); // c is now older than keepMs past its due time
    expect(owed.all().map((r) => r.key)).toEqual(['G/ns/b']);
  });

  it('an add made while a run goes on stays owed', () => {
    const { owed, advance } = setup();
    owed.sent(owed.add('G/ns/a', 0));
    advance(10);
    owed.started('G/ns/a');
    owed.sent(owed.add('G/ns/a', 0)); // made while the run goes on
    advance(1);
    expect(owed.size).toBe(1);
  });

  it('all() marks every run unsent until Redis takes it again', () => {
    const { owed } = setup();
    const a = owed.add('G/ns/a', 0);
    owed.sent(a);
    expect(owed.all()).toEqual([a]);
    expect(owed.unsent()).toEqual([a]);
  });

  it('a newer add replaces the older one, and an answer for the older one does not mark it sent', () => {
    const { owed, advance } = setup();
    const first = owed.add('G/ns/a', 100);
    advance(50);
    const second = owed.add('G/ns/a', 100);
    owed.sent(first);
    expect(owed.unsent()).toEqual([second]);
  });

  it('forget drops a key', () => {
    const { owed } = setup();
    owed.add('G/ns/a', 0);
    owed.later('G/ns/a', 10);
    owed.forget('G/ns/a');
    expect(owed.size).toBe(0);
  });
});
