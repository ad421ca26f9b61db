// Discovery documents (legacy form: APIVersions, APIGroupList, APIResourceList) and
// /version, built from the registry so kubectl's api-resources, short names and
// categories come from one place.

import type { Registry } from './registry.js';
import type { ResourceType } from './resource-type.js';

export interface VersionInfo {
  major: string;
  minor: string;
  gitVersion: string;
  gitCommit: string;
  gitTreeState: string;
  buildDate: string;
  goVersion: string;
  compiler: string;
  platform: string;
}

/** kubectl on these machines picks its binary by the minor version reported here. */
export const SERVER_VERSION: VersionInfo = {
  major: '1',
  minor: '32',
  gitVersion: 'v1.32.0-kubeprop',
  gitCommit: '0000000000000000000000000000000000000000',
  gitTreeState: 'clean',
  buildDate: '2026-11-23T00:00:00Z',
  goVersion: 'go1.23.0',
  compiler: 'gc',
  platform: 'linux/amd64',
};

export function apiVersions(): Record<string, unknown> {
  return { kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress: '127.0.0.1' }] };
}

export function apiGroupList(registry: Registry): Record<string, unknown> {
  const groups = new Map<string, string[]>();
  for (const gv of registry.groupVersions()) {
    if (!gv.group) continue;
    groups.set(gv.group, [...(groups.get(gv.group) ?? []), gv.version]);
  }
  return {
    kind: 'APIGroupList',
    apiVersion: 'v1',
    groups: [...groups].map(([name, versions]) => apiGroupEntry(name, versions)),
  };
}

function apiGroupEntry(name: string, versions: string[]): Record<string, unknown> {
  const vs = versions.map((v) => ({ groupVersion: `${name}/${v}`, version: v }));
  return { name, versions: vs, preferredVersion: vs[0] };
}

export function apiGroup(registry: Registry, group: string): Record<string, unknown> | undefined {
  const versions = registry.groupVersions().filter((gv) => gv.group === group).map((gv) => gv.version);
  if (versions.length === 0) return undefined;
  return { kind: 'APIGroup', apiVersion: 'v1', ...apiGroupEntry(group, versions) };
}

function subresourceEntries(t: ResourceType): Record<string, unknown>[] {
  return t.subresources.map((s) => {
    const base = { name: `${t.plural}/${s}`, singularName: '', namespaced: t.namespaced };
    switch (s) {
      case 'status':
        return { ...base, kind: t.kind, verbs: ['get', 'patch', 'update'] };
      case 'scale':
        return { ...base, group: 'autoscaling', version: 'v1', kind: 'Scale', verbs: ['get', 'patch', 'update'] };
      case 'binding':
        return { ...base, kind: 'Binding', verbs: ['create'] };
      case 'log':
        return { ...base, kind: t.kind, verbs: ['get'] };
      case 'finalize':
        return { ...base, kind: t.kind, verbs: ['update'] };
    }
  });
}

export function apiResourceList(registry: Registry, group: string, version: string): Record<string, unknown> {
  const resources: Record<string, unknown>[] = [];
  for (const t of registry.types) {
    if (t.group !== group || t.version !== version) continue;
    resources.push({
      name: t.plural,
      singularName: t.singular,
      namespaced: t.namespaced,
      kind: t.kind,
      verbs: [...t.verbs],
      ...(t.shortNames.length ? { shortNames: [...t.shortNames] } : {}),
      ...(t.categories.length ? { categories: [...t.categories] } : {}),
    });
    resources.push(...subresourceEntries(t));
  }
  return { kind: 'APIResourceList', apiVersion: 'v1', groupVersion: group ? `${group}/${version}` : version, resources };
}
