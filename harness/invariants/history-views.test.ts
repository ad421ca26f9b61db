import { describe, expect, it } from 'vitest';
import type { WatchObservation } from '../history/history.js';
import { activeFault, allVersions, faultWindows, parseStoreKey, parseTarget } from './history-views.js';

describe('history views', () => {
  it('pairs fault injections with their heals, open-ended when never healed', () => {
    const windows = faultWindows([
      { time: 10, kind: 'node-loss', target: 'node-1', phase: 'inject' },
      { time: 5, kind: 'watch-drop', target: 'scheduler', phase: 'inject' },
      { time: 30, kind: 'node-loss', target: 'node-1', phase: 'heal' },
    ]);
    expect(windows).toEqual([
      { kind: 'watch-drop', target: 'scheduler', start: 5, end: Infinity },
      { kind: 'node-loss', target: 'node-1', start: 10, end: 30 },
    ]);
    expect(activeFault(windows.slice(1), 31)).toBeUndefined();
    expect(activeFault(windows.slice(1), 30)?.kind).toBe('node-loss');
  });

  it('merges observers into one version per revision, ignoring selection exits', () => {
    const object = { kind: 'Pod', namespace: 'default', name: 'a', uid: 'u', resourceVersion: 7, nodeName: 'node-2' };
    const watches: WatchObservation[] = [
      { observer: 'kubelet', stream: 'k', scope: { resource: 'pods', fieldSelector: 'spec.nodeName=node-1' }, time: 3, type: 'DELETED', object: { ...object, nodeName: 'node-1' } },
      { observer: 'harness', stream: 'h', time: 9, type: 'MODIFIED', object },
      { observer: 'slow', stream: 's', time: 2, type: 'MODIFIED', object },
    ];
    expect(allVersions(watches)).toEqual([{ rv: 7, time: 2, deleted: false, object }]);
  });

  it('parses store keys and operation targets', () => {
    expect(parseStoreKey('/registry/pods/default/web')).toEqual({ resource: 'pods', namespace: 'default', name: 'web' });
    expect(parseStoreKey('/registry/nodes/node-1')).toEqual({ resource: 'nodes', name: 'node-1' });
    expect(parseStoreKey('/other/x')).toBeUndefined();
    expect(parseTarget('default/web')).toEqual({ namespace: 'default', name: 'web' });
    expect(parseTarget('node node-1')).toEqual({ name: 'node-1' });
  });
});
