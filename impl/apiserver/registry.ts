// The set of served resources: lookups by REST path segments, by kind and by short name,
// and where each object lives in the store (/registry/<resource>/<namespace>/<name>).

import { apiVersionOf, type ResourceType } from './resource-type.js';

export class Registry {
  private readonly byPath = new Map<string, ResourceType>();
  private readonly byKind = new Map<string, ResourceType>();

  constructor(readonly types: readonly ResourceType[]) {
    for (const t of types) {
      this.byPath.set(`${t.group}/${t.version}/${t.plural}`, t);
      this.byKind.set(`${apiVersionOf(t)}/${t.kind}`, t);
    }
  }

  /** The resource served at /api(s)/<group>/<version>/<plural>. */
  lookup(group: string, version: string, plural: string): ResourceType | undefined {
    return this.byPath.get(`${group}/${version}/${plural}`);
  }

  byApiVersionKind(apiVersion: string, kind: string): ResourceType | undefined {
    return this.byKind.get(`${apiVersion}/${kind}`);
  }

  /** Group versions in discovery order, core first. */
  groupVersions(): { group: string; version: string }[] {
    const seen = new Set<string>();
    const out: { group: string; version: string }[] = [];
    for (const t of this.types) {
      const key = `${t.group}/${t.version}`;
      if (!seen.has(key)) {
        seen.add(key);
        out.push({ group: t.group, version: t.version });
      }
    }
    return out;
  }

  hasGroupVersion(group: string, version: string): boolean {
    return this.types.some((t) => t.group === group && t.version === version);
  }
}

/** Store key of one object. */
export function objectKey(t: ResourceType, namespace: string | undefined, name: string): string {
  return t.namespaced ? `/registry/${t.plural}/${namespace}/${name}` : `/registry/${t.plural}/${name}`;
}

/** Store key prefix of a list: all namespaces, or one. Always ends with "/". */
export function listPrefix(t: ResourceType, namespace: string | undefined): string {
  return t.namespaced && namespace ? `/registry/${t.plural}/${namespace}/` : `/registry/${t.plural}/`;
}
