// Authorization: upstream's RBAC model (Roles, ClusterRoles and their bindings, read from
// the API's own objects) behind a node authorizer that confines each kubelet identity
// (system:node:<name>) to its own Node, Lease and the pods bound to it.

import type { UserInfo } from './authn.js';

export interface Attributes {
  readonly user: UserInfo;
  readonly verb: string;
  readonly isResourceRequest: boolean;
  readonly group: string;
  readonly resource: string;
  readonly subresource?: string;
  readonly namespace?: string;
  readonly name?: string;
  readonly path: string;
  /** The list/watch field selector, which the node authorizer reads. */
  readonly fieldSelector?: string;
}

export interface Decision {
  readonly allowed: boolean;
  readonly reason?: string;
}

export interface Authorizer {
  authorize(a: Attributes): Promise<Decision>;
}

export interface PolicyRule {
  verbs: string[];
  apiGroups?: string[];
  resources?: string[];
  resourceNames?: string[];
  nonResourceURLs?: string[];
}

export interface Subject {
  kind: 'User' | 'Group' | 'ServiceAccount';
  name: string;
  namespace?: string;
}

export interface RoleRef {
  kind: 'Role' | 'ClusterRole';
  name: string;
  apiGroup?: string;
}

interface Named {
  metadata: { name?: string; namespace?: string };
}
export interface RoleObject extends Named {
  rules?: PolicyRule[];
}
export interface BindingObject extends Named {
  subjects?: Subject[];
  roleRef: RoleRef;
}

export interface RbacPolicy {
  roles: RoleObject[];
  clusterRoles: RoleObject[];
  roleBindings: BindingObject[];
  clusterRoleBindings: BindingObject[];
}

function matches(list: readonly string[] | undefined, value: string): boolean {
  return !!list && (list.includes('*') || list.includes(value));
}

function ruleAllows(rule: PolicyRule, a: Attributes): boolean {
  if (!matches(rule.verbs, a.verb)) return false;
  if (!a.isResourceRequest) {
    return (rule.nonResourceURLs ?? []).some((u) => u === '*' || u === a.path || (u.endsWith('*') && a.path.startsWith(u.slice(0, -1))));
  }
  if (!matches(rule.apiGroups, a.group)) return false;
  const resource = a.subresource ? `${a.resource}/${a.subresource}` : a.resource;
  const resources = rule.resources ?? [];
  const resourceOk =
    resources.includes('*') || resources.includes(resource) || (a.subresource !== undefined && resources.includes(`*/${a.subresource}`));
  if (!resourceOk) return false;
  if (rule.resourceNames && rule.resourceNames.length > 0) return a.name !== undefined && rule.resourceNames.includes(a.name);
  return true;
}

function subjectMatches(s: Subject, user: UserInfo): boolean {
  if (s.kind === 'User') return s.name === user.name;
  if (s.kind === 'Group') return user.groups.includes(s.name);
  return user.name === `system:serviceaccount:${s.namespace ?? ''}:${s.name}`;
}

/** RBAC over a policy snapshot the caller supplies (and refreshes when RBAC objects change). */
export class RbacAuthorizer implements Authorizer {
  constructor(private readonly policy: () => Promise<RbacPolicy>) {}

  async authorize(a: Attributes): Promise<Decision> {
    const p = await this.policy();
    const rulesOf = (ref: RoleRef, namespace: string | undefined): PolicyRule[] => {
      if (ref.kind === 'ClusterRole') return p.clusterRoles.find((r) => r.metadata.name === ref.name)?.rules ?? [];
      return p.roles.find((r) => r.metadata.name === ref.name && r.metadata.namespace === namespace)?.rules ?? [];
    };
    for (const b of p.clusterRoleBindings) {
      if ((b.subjects ?? []).some((s) => subjectMatches(s, a.user)) && rulesOf(b.roleRef, undefined).some((r) => ruleAllows(r, a))) {
        return { allowed: true, reason: `RBAC: allowed by ClusterRoleBinding "${b.metadata.name}"` };
      }
    }
    if (a.namespace !== undefined && a.isResourceRequest) {
      for (const b of p.roleBindings) {
        if (b.metadata.namespace !== a.namespace) continue;
        if ((b.subjects ?? []).some((s) => subjectMatches(s, a.user)) && rulesOf(b.roleRef, a.namespace).some((r) => ruleAllows(r, a))) {
          return { allowed: true, reason: `RBAC: allowed by RoleBinding "${b.metadata.name}/${a.namespace}"` };
        }
      }
    }
    return { allowed: false };
  }
}

const NODE_PREFIX = 'system:node:';

/** Which node a pod is bound to, read by the node authorizer. */
export type PodNodeLookup = (namespace: string, name: string) => Promise<string | undefined>;

/**
 * Decides every request of a node identity (group system:nodes, user system:node:<name>);
 * returns undefined for other users so RBAC decides.
 */
export class NodeAuthorizer {
  constructor(private readonly podNode: PodNodeLookup) {}

  async authorize(a: Attributes): Promise<Decision | undefined> {
    if (!a.user.groups.includes('system:nodes') || !a.user.name.startsWith(NODE_PREFIX)) return undefined;
    const node = a.user.name.slice(NODE_PREFIX.length);
    const deny = (why: string): Decision => ({ allowed: false, reason: `node "${node}": ${why}` });
    const allow: Decision = { allowed: true };
    if (!a.isResourceRequest) {
      return ['/version', '/healthz', '/api', '/apis'].includes(a.path) || a.path.startsWith('/api/') || a.path.startsWith('/apis/')
        ? allow
        : deny('non-resource path');
    }
    const r = a.resource;
    if (a.group === '' && r === 'nodes') {
      if (['get', 'list', 'watch'].includes(a.verb) && !a.subresource) return allow;
      if (a.name === node && ['create', 'update', 'patch', 'get'].includes(a.verb)) return allow;
      // A create names the node in its body; admission (node restriction) checks that name.
      if (a.verb === 'create' && a.name === undefined && !a.subresource) return allow;
      return deny('may only write its own Node');
    }
    if (a.group === 'coordination.k8s.io' && r === 'leases') {
      if (a.namespace === 'kube-node-lease' && (a.name === node || (a.verb === 'create' && a.name === undefined))) return allow;
      return deny('may only use its own Lease in kube-node-lease');
    }
    if (a.group === '' && r === 'events') {
      return ['create', 'update', 'patch'].includes(a.verb) ? allow : deny('may only write events');
    }
    if (a.group === '' && r === 'pods') {
      if (a.verb === 'list' || a.verb === 'watch') {
        return a.fieldSelector?.split(',').includes(`spec.nodeName=${node}`)
          ? allow
          : deny(`may only list/watch pods with fieldSelector spec.nodeName=${node}`);
      }
      if (a.name === undefined || a.namespace === undefined) return deny('may not act on pods collectively');
      const bound = await this.podNode(a.namespace, a.name);
      if (bound !== node) return deny(`pod "${a.namespace}/${a.name}" is not bound to this node`);
      if (a.verb === 'get' && (!a.subresource || a.subresource === 'log')) return allow;
      if (a.subresource === 'status' && ['get', 'update', 'patch'].includes(a.verb)) return allow;
      if (!a.subresource && a.verb === 'delete') return allow;
      return deny('may only read its pods, write their status and delete them');
    }
    return deny(`may not ${a.verb} ${r}`);
  }
}

/** Node authorizer first (it alone decides for nodes), then RBAC. */
export class ChainAuthorizer implements Authorizer {
  constructor(
    private readonly node: NodeAuthorizer,
    private readonly rbac: RbacAuthorizer,
  ) {}

  async authorize(a: Attributes): Promise<Decision> {
    const byNode = await this.node.authorize(a);
    if (byNode) return byNode;
    return this.rbac.authorize(a);
  }
}

/** Allows everything (plain-http serving, where authentication is off). */
export class AllowAllAuthorizer implements Authorizer {
  async authorize(): Promise<Decision> {
    return { allowed: true };
  }
}
