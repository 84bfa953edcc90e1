import { describe, expect, it } from '@jest/globals';
import { RunningSyncs } from './running-syncs.js';

const GRID = 'DeploymentGrid/default/web';

describe('RunningSyncs', () => {
  it('holds nothing when no sync of the grid runs: the change is judged at once', () => {
    const running = new RunningSyncs();
    expect(running.hold('member-1', GRID, 'default/web-zone1', 'update')).toBe(false);
    expect(running.end('member-1', GRID)).toEqual(new Map());
  });

  it('holds the changes seen while the sync runs and hands them over once it ends', () => {
    const running = new RunningSyncs();
    running.begin('member-1', GRID);
    expect(running.hold('member-1', GRID, 'default/web-zone1', 'add')).toBe(true);
    expect(running.hold('member-1', GRID, 'default/web-zone1', 'update')).toBe(true);
    expect(running.hold('member-1', GRID, 'default/web-zone2', 'update')).toBe(true);
    expect(running.end('member-1', GRID)).toEqual(
      new Map([
        ['default/web-zone1', 'update'],
        ['default/web-zone2', 'update'],
      ]),
    );
    // Ended: the next change is judged at once again.
    expect(running.hold('member-1', GRID, 'default/web-zone1', 'update')).toBe(false);
  });

  it('keeps a deletion over later events of the same object', () => {
    const running = new RunningSyncs();
    running.begin('member-1', GRID);
    running.hold('member-1', GRID, 'default/web-zone1', 'delete');
    running.hold('member-1', GRID, 'default/web-zone1', 'add');
    expect(running.end('member-1', GRID)).toEqual(new Map([['default/web-zone1', 'delete']]));
  });

  it('tells members and grids apart', () => {
    const running = new RunningSyncs();
    running.begin('member-1', GRID);
    expect(running.hold('member-2', GRID, 'default/web-zone1', 'update')).toBe(false);
    expect(running.hold('member-1', 'DeploymentGrid/default/other', 'default/other-zone1', 'update')).toBe(false);
  });

  it('with two runs of one sync at once (a retaken stalled job), hands the changes over when the last ends', () => {
    const running = new RunningSyncs();
    running.begin('member-1', GRID);
    running.begin('member-1', GRID);
    running.hold('member-1', GRID, 'default/web-zone1', 'update');
    expect(running.end('member-1', GRID)).toEqual(new Map());
    expect(running.hold('member-1', GRID, 'default/web-zone2', 'update')).toBe(true);
    expect(running.end('member-1', GRID)).toEqual(
      new Map([
        ['default/web-zone1', 'update'],
        ['default/web-zone2', 'update'],
      ]),
    );
  });
});
