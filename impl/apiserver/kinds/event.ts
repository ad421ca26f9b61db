// Events (core/v1): what components report about objects; `kubectl describe` finds them by
// involvedObject field selectors, and `kubectl get events` prints LAST SEEN, TYPE, REASON,
// OBJECT, MESSAGE.

import type { Event } from 'kubernetes-types/core/v1.js';
import { humanDuration } from '../../api/duration.js';
import { eventTimestamp } from '../../api/event-time.js';
import type { KubeObject, ResourceType } from '../resource-type.js';
import { ALL_VERBS } from '../resource-type.js';
import { validateMetadata } from './validate-common.js';

const asEvent = (o: KubeObject) => o as unknown as Event;

function lastSeen(e: Event, now: number): string {
  const t = eventTimestamp(e);
  return t ? humanDuration(Math.max(0, now - Date.parse(t))) : '<unknown>';
}

export const eventType: ResourceType = {
  group: '',
  version: 'v1',
  kind: 'Event',
  plural: 'events',
  singular: 'event',
  namespaced: true,
  shortNames: ['ev'],
  categories: [],
  verbs: ALL_VERBS,
  subresources: [],
  strategy: {
    defaults(obj) {
      const e = asEvent(obj);
      e.type ??= 'Normal';
      e.count ??= 1;
    },
    validate: (obj) => validateMetadata(obj, { nameRule: 'subdomain', namespaced: true }),
    selectableFields: [
      'involvedObject.kind',
      'involvedObject.namespace',
      'involvedObject.name',
      'involvedObject.uid',
      'involvedObject.apiVersion',
      'involvedObject.resourceVersion',
      'involvedObject.fieldPath',
      'reason',
      'reportingComponent',
      'source',
      'type',
    ],
    fieldValue(obj, field) {
      const e = asEvent(obj);
      const io = e.involvedObject ?? {};
      switch (field) {
        case 'involvedObject.kind':
          return io.kind ?? '';
        case 'involvedObject.namespace':
          return io.namespace ?? '';
        case 'involvedObject.name':
          return io.name ?? '';
        case 'involvedObject.uid':
          return io.uid ?? '';
        case 'involvedObject.apiVersion':
          return io.apiVersion ?? '';
        case 'involvedObject.resourceVersion':
          return io.resourceVersion ?? '';
        case 'involvedObject.fieldPath':
          return io.fieldPath ?? '';
        case 'reason':
          return e.reason ?? '';
        case 'reportingComponent':
          return e.reportingComponent ?? '';
        case 'source':
          return e.source?.component ?? '';
        case 'type':
          return e.type ?? '';
      }
      return undefined;
    },
    replaceColumns: true,
    columns: [
      { name: 'Last Seen', type: 'string', description: 'Time since the event was last seen.', priority: 0, cell: (o, ctx) => lastSeen(asEvent(o), ctx.now) },
      { name: 'Type', type: 'string', description: 'Type of this event (Normal, Warning).', priority: 0, cell: (o) => asEvent(o).type ?? '' },
      { name: 'Reason', type: 'string', description: 'The reason for the transition into the object\'s current status.', priority: 0, cell: (o) => asEvent(o).reason ?? '' },
      { name: 'Object', type: 'string', description: 'The object that this event is about.', priority: 0, cell: (o) => `${(asEvent(o).involvedObject.kind ?? '').toLowerCase()}/${asEvent(o).involvedObject.name ?? ''}` },
      { name: 'Message', type: 'string', description: 'A human-readable description of the status of this operation.', priority: 0, cell: (o) => asEvent(o).message ?? '' },
    ],
  },
};
