// Services: enough for `kubectl cluster-info` and for users' manifests: ClusterIP defaulting
// (an address allocated as data from 10.96.0.0/12, never dialled) and kubectl's columns.

import type { Service } from 'kubernetes-types/core/v1.js';
import type { KubeObject, ResourceType } from '../resource-type.js';
import { validateMetadata } from './validate-common.js';

const asService = (o: KubeObject) => o as unknown as Service;

function ports(s: Service): string {
  const p = (s.spec?.ports ?? []).map((x) => `${x.port}${x.nodePort ? `:${x.nodePort}` : ''}/${x.protocol ?? 'TCP'}`);
  return p.length ? p.join(',') : '<none>';
}

export const serviceType: ResourceType = {
  group: '',
  version: 'v1',
  kind: 'Service',
  plural: 'services',
  singular: 'service',
  namespaced: true,
  shortNames: ['svc'],
  categories: ['all'],
  verbs: ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'],
  subresources: ['status'],
  strategy: {
    defaults(obj) {
      const s = asService(obj);
      s.spec ??= {};
      s.spec.type ??= 'ClusterIP';
      s.spec.sessionAffinity ??= 'None';
      for (const p of s.spec.ports ?? []) {
        p.protocol ??= 'TCP';
        p.targetPort ??= p.port;
      }
    },
    prepareForCreate(obj) {
      const s = asService(obj);
      obj.status = { loadBalancer: {} };
      if (s.spec && s.spec.clusterIP === undefined && s.spec.type !== 'ExternalName') {
        // Data only: derive a stable address from the name (never dialled).
        let h = 0;
        for (const ch of `${obj.metadata.namespace}/${obj.metadata.name}`) h = (Math.imul(h, 31) + ch.charCodeAt(0)) >>> 0;
        s.spec.clusterIP = `10.${96 + ((h >>> 16) & 0x0f)}.${(h >>> 8) & 0xff}.${Math.max(1, h & 0xff)}`;
        s.spec.clusterIPs = [s.spec.clusterIP];
      }
    },
    validate: (obj) => validateMetadata(obj, { nameRule: 'label', namespaced: true }),
    columns: [
      { name: 'Type', type: 'string', description: 'The type of the service.', priority: 0, cell: (o) => asService(o).spec?.type ?? '' },
      { name: 'Cluster-IP', type: 'string', description: 'The cluster IP of the service.', priority: 0, cell: (o) => asService(o).spec?.clusterIP || '<none>' },
      { name: 'External-IP', type: 'string', description: 'The external IPs of the service.', priority: 0, cell: (o) => (asService(o).spec?.externalIPs ?? []).join(',') || '<none>' },
      { name: 'Port(s)', type: 'string', description: 'The ports of the service.', priority: 0, cell: (o) => ports(asService(o)) },
      { name: 'Selector', type: 'string', description: 'Route service traffic to pods with label keys and values matching this selector.', priority: 1, afterAge: true, cell: (o) => Object.entries(asService(o).spec?.selector ?? {}).map(([k, v]) => `${k}=${v}`).join(',') || '<none>' },
    ],
  },
};
