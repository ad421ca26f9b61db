import { describe, expect, it } from 'vitest';
import type { ObjectSummary } from '../history/history.js';
import { inScope, matchesFields, matchesLabels, selective } from './selection.js';

const pod: ObjectSummary = { kind: 'Pod', namespace: 'default', name: 'web-1', uid: 'u', resourceVersion: 3, labels: { app: 'web', tier: 'front' }, nodeName: 'node-1', phase: 'Running' };

describe('selection', () => {
  it('evaluates label selectors of every form', () => {
    expect(matchesLabels('app=web', pod)).toBe(true);
    expect(matchesLabels('app==web,tier!=back', pod)).toBe(true);
    expect(matchesLabels('app in (db, web),!canary', pod)).toBe(true);
    expect(matchesLabels('tier notin (front)', pod)).toBe(false);
    expect(matchesLabels('canary', pod)).toBe(false);
    expect(matchesLabels('', pod)).toBe(true);
  });

  it('says nothing when the summary lacks what a selector asks', () => {
    expect(matchesLabels('app=web', { ...pod, labels: undefined })).toBeUndefined();
    expect(matchesFields('spec.schedulerName=default', pod)).toBeUndefined();
    expect(matchesFields('spec.nodeName=node-2', pod)).toBe(false);
    expect(inScope({ resource: 'pods', fieldSelector: 'spec.nodeName=node-1,status.phase!=Failed', labelSelector: 'app=web' }, pod)).toBe(true);
    expect(inScope({ resource: 'pods', fieldSelector: 'spec.schedulerName=x', labelSelector: 'app=db' }, pod)).toBe(false);
  });

  it('knows a scope that filters', () => {
    expect(selective({ resource: 'pods', namespace: 'default' })).toBe(false);
    expect(selective({ resource: 'pods', fieldSelector: 'spec.nodeName=n1' })).toBe(true);
  });
});
