import { describe, expect, it } from '@jest/globals';
import { ThrottledLog } from './throttled-log.js';

function setup(windowMs = 1000) {
  const lines: string[] = [];
  let clock = 0;
  const log = new ThrottledLog(
    (m) => lines.push(m),
    windowMs,
    () => clock,
  );
  return { lines, log, advance: (ms: number) => (clock += ms) };
}

describe('ThrottledLog', () => {
  it('prints a message once per window and then says how many it held back', () => {
    const { lines, log, advance } = setup();
    log.log('connect ECONNREFUSED');
    advance(100);
    log.log('connect ECONNREFUSED');
    log.log('connect ECONNREFUSED');
    advance(1000);
    log.log('connect ECONNREFUSED');
    expect(lines).toEqual(['connect ECONNREFUSED', 'connect ECONNREFUSED (2 more like this in the last 1 s)']);
  });

  it('never holds back a different message', () => {
    const { lines, log } = setup();
    log.log('a');
    log.log('b');
    log.log('a');
    expect(lines).toEqual(['a', 'b']);
  });

  it('forgets old messages once it holds many', () => {
    const { lines, log, advance } = setup();
    for (let i = 0; i < 150; i++) log.log(`m${i}`);
    advance(1000);
    log.log('new');
    log.log('m0');
    expect(lines).toHaveLength(152);
    expect(lines.at(-1)).toBe('m0');
  });
});
