import { describe, expect, it } from '@jest/globals';
import { UndoLog } from './undo.js';

describe('UndoLog', () => {
  it('undoes newest first and reports what it undid', async () => {
    const order: string[] = [];
    const undo = new UndoLog();
    for (const what of ['namespace', 'service account', 'secret']) {
      undo.record(what, async () => {
        order.push(what);
      });
    }
    const report = await undo.undoAll();
    expect(order).toEqual(['secret', 'service account', 'namespace']);
    expect(report).toEqual({ undone: ['secret', 'service account', 'namespace'], failed: [] });
  });

  it('goes on past a failure and says which object is left and why', async () => {
    const undo = new UndoLog();
    const done: string[] = [];
    undo.record('first', async () => {
      done.push('first');
    });
    undo.record('second', () => Promise.reject(new Error('connection refused')));
    const report = await undo.undoAll();
    expect(done).toEqual(['first']);
    expect(report).toEqual({ undone: ['first'], failed: ['second: connection refused'] });
  });

  it('undoes each step once', async () => {
    const undo = new UndoLog();
    let runs = 0;
    undo.record('x', async () => {
      runs += 1;
    });
    await undo.undoAll();
    await undo.undoAll();
    expect(runs).toBe(1);
    expect(undo.size).toBe(0);
  });
});
