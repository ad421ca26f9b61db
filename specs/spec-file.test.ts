// Scenario spec files: every seed walkthrough loads, and a bad file is refused with errors a
// user can act on — the file, the line, the path inside the document, and what is wrong —
// every problem of the file at once rather than the first.

import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { INVARIANTS } from '../harness/invariants/index.js';
import { describe, expect, it } from 'vitest';
import { loadSpecFile, parseSpec, SpecFileError, type SpecIssue } from '../harness/specs/index.js';

const SEEDS = join(import.meta.dirname, 'seeds');

const HEAD = `apiVersion: kubeprop.dev/v1alpha1
kind: ScenarioSpec
metadata:
  name: sample
  illustrates: a test of the loader
  severity: minor
cluster:
  nodes:
    - {name: node-1, capacity: {cpu: "4", memory: 8Gi, pods: 110}}
    - {name: node-2}
`;

/** The issues parseSpec reports for `text` (fails the test if it accepts it). */
function issuesOf(text: string): readonly SpecIssue[] {
  try {
    parseSpec(text, 'bad.yaml');
  } catch (e) {
    if (e instanceof SpecFileError) return e.issues;
    throw e;
  }
  throw new Error('the spec was accepted');
}

function withSteps(steps: string, rest = ''): string {
  return `${HEAD}steps:\n${steps}${rest}`;
}

describe('scenario spec files', () => {
  it('loads every seed walkthrough', () => {
    const files = readdirSync(SEEDS).filter((f) => f.endsWith('.yaml'));
    expect(files.length).toBe(8);
    for (const f of files) {
      const spec = loadSpecFile(join(SEEDS, f));
      expect(spec.metadata.walkthrough, f).toBeGreaterThan(0);
      expect(spec.steps.length, f).toBeGreaterThan(0);
      expect(spec.namespace, f).toBe(spec.metadata.name);
    }
  });

  it('fills in defaults: node capacity, namespace, settle time, seed', () => {
    const spec = parseSpec(withSteps('  - createDeployment: {name: web, image: busybox}\n'));
    expect(spec.nodes[1]).toEqual({ name: 'node-2', capacity: { cpu: '4', memory: '8Gi', pods: 110 }, labels: {}, taints: [] });
    expect(spec.namespace).toBe('sample');
    expect(spec.settleMs).toBe(60_000);
    expect(spec.steps[0]).toEqual({ op: 'create-deployment', name: 'web', image: 'busybox', replicas: 1 });
  });

  it('reads durations, comparisons and /regular expressions/', () => {
    const spec = parseSpec(
      withSteps(`  - wait: 1.5s
  - expect: {pods: {labels: {app: web}}, count: ">= 2", waiting: "/^(ErrImagePull|ImagePullBackOff)$/", within: 2m}
  - expect: {deployment: web, fields: {status.availableReplicas: "== spec.replicas", metadata.generation: 1}}
`),
    );
    expect(spec.steps[0]).toEqual({ op: 'sleep', ms: 1500 });
    const expectStep = spec.steps[1];
    if (expectStep?.op !== 'expect') throw new Error('not an expect step');
    expect(expectStep.condition.withinMs).toBe(120_000);
    expect(expectStep.condition.assertions.count).toEqual({ op: '>=', value: 2 });
    expect(expectStep.condition.assertions.waiting).toEqual({ pattern: /^(ErrImagePull|ImagePullBackOff)$/ });
    const fields = spec.steps[2]?.op === 'expect' ? spec.steps[2].condition.assertions.fields : undefined;
    expect(fields).toEqual([
      { path: 'status.availableReplicas', comparison: { op: '==', field: 'spec.replicas' } },
      { path: 'metadata.generation', comparison: { op: '==', value: 1 } },
    ]);
  });

  it('refuses YAML that does not parse, naming the line', () => {
    const issues = issuesOf(`${HEAD}steps:\n  - apply: [unclosed\n`);
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatchObject({ file: 'bad.yaml', path: '' });
    expect(issues[0]?.message).toMatch(/^not valid YAML: /);
    expect(issues[0]?.line).toBeGreaterThanOrEqual(11);
  });

  it('lists every schema problem with file, line, path and a sentence', () => {
    const text = `apiVersion: kubeprop.dev/v1alpha1
kind: ScenarioSpec
metadata:
  name: Bad_Name
  severity: blocker
cluster:
  nodes:
    - {name: node-1}
steps:
  - scael: {deployment: web, replicas: 3}
  - scale: {deployment: web, replicas: -1}
  - wait: 5 seconds
  - expect: {pods: {labels: {app: web}}, count: lots}
`;
    const got = issuesOf(text).map((i) => `${i.file}:${i.line ?? '?'}: ${i.path}: ${i.message}`);
    expect(got).toEqual([
      'bad.yaml:4: metadata.illustrates: required field "illustrates" is missing',
      'bad.yaml:4: metadata.name: must be a DNS-1123 label (lower-case letters, digits and "-"), got "Bad_Name"',
      'bad.yaml:5: metadata.severity: must be one of: "critical", "major", "minor"',
      'bad.yaml:10: steps[0].scael: unknown field "scael" (expected one of: note, createDeployment, apply, scale, setImage, delete, cordon, uncordon, rolloutStatus, fault, wait, expect, always, end)',
      'bad.yaml:11: steps[1].scale.replicas: must be >= 0',
      'bad.yaml:12: steps[2].wait: must be a duration like 500ms, 5s, 2m or 1h, got "5 seconds"',
      'bad.yaml:13: steps[3].expect.count: must be a number or a comparison like ">= 1", "== spec.replicas" or "~ /regex/", got "lots"',
    ]);
  });

  it('lists every rule problem: actions, subjects, assertions, references, names', () => {
    const text = withSteps(
      `  - scale: {deployment: web, replicas: 2}
    delete: {name: web}
  - {note: nothing to do}
  - expect: {pods: {labels: {app: web}}, rolloutComplete: true}
  - expect: {deployment: web, pods: {name: x}, exists: true}
  - expect: {deployment: web, count: 2}
  - fault: {kind: node-lose, node: node-9}
  - fault: {kind: node-loss, pod: {labels: {app: web}}}
  - expect: {pods: {ref: victim}, phase: Running}
  - expect: {pods: {name: web}, waiting: "/(unclosed/"}
  - always: {pods: {name: web}, phase: Running, within: 5s}
  - cordon: node-7
  - expect: {pods: {name: web}, perNode: [1, 2]}
  - apply: |
      apiVersion: v1
      kind: Service
      metadata: {name: svc}
  - apply: |
      apiVersion: v1
      kind: Pod
      metadata: {name: p, namespace: other}
`,
      `expectations:
  - {node: node-1}
invariants: [convergence, liveness]
`,
    );
    const got = issuesOf(text).map((i) => `${i.line ?? '?'}: ${i.path}: ${i.message}`);
    expect(got).toEqual([
      '12: steps[0]: a step has exactly one action, found scale and delete',
      '14: steps[1]: a step needs one action: createDeployment, apply, scale, setImage, delete, cordon, uncordon, rolloutStatus, fault, wait, expect, always, end',
      '15: steps[2].expect.rolloutComplete: "rolloutComplete" does not apply to pods (it applies to deployment)',
      '16: steps[3].expect: a condition has exactly one subject, found pods and deployment',
      '17: steps[4].expect.count: "count" does not apply to deployment (it applies to pods, replicasets, containers, get)',
      '18: steps[5].fault.kind: unknown fault kind "node-lose" (known: container-kill, container-crash, node-loss, node-partition, node-restart, node-add, apiserver-restart, controller-manager-restart, scheduler-restart, kubelet-restart, watch-drop, store-compaction, duplicate-create, stale-update, message-delay)',
      '18: steps[5].fault.node: no node "node-9" in the cluster (nodes: node-1, node-2)',
      '19: steps[6].fault.pod: only container faults (container-kill, container-crash) aim at a pod; node-loss aims at a node or component',
      '20: steps[7].expect.pods.ref: no earlier step names a pod "victim" (a container fault\'s `as:` does)',
      '21: steps[8].expect.waiting: not a valid regular expression: Invalid regular expression: /(unclosed/: Unterminated group',
      '22: steps[9].always.within: `always` holds from its step to the end (or for "for"); use "grace" for how long it may be false',
      '23: steps[10].cordon: no node "node-7" in the cluster (nodes: node-1, node-2)',
      '24: steps[11].expect.perNode: list the per-node counts largest first, like [2, 1, 1]',
      '25: steps[12].apply: kind "Service" cannot be applied (use one of: Deployment, ReplicaSet, Pod)',
      '29: steps[13].apply: metadata.namespace is "other" but the spec runs in namespace "sample" (leave it out)',
      '34: expectations[0]: a condition on node needs at least one assertion (exists, condition, fields)',
      `35: invariants[1]: unknown invariant "liveness" (known: ${INVARIANTS.map((i) => i.name).join(', ')})`,
    ]);
  });

  it('checks that `end` ends a named background `always` once', () => {
    const text = withSteps(`  - always: {pods: {name: web}, count: 1, as: one}
  - always: {pods: {name: web}, count: 1, for: 2s, as: two}
  - expect: {pods: {name: web}, count: 1, as: three}
  - end: [one, four]
  - end: one
`);
    expect(issuesOf(text).map((i) => `${i.line ?? '?'}: ${i.path}: ${i.message}`)).toEqual([
      '13: steps[1].always.as: an `always` with "for" ends by itself; "as" names one that an `end` step ends',
      '14: steps[2].expect.as: "as" names an `always` condition for a later `end` step',
      '15: steps[3].end: no earlier `always` is named "four" (give it `as: four`)',
      '16: steps[4].end: "one" has already ended',
    ]);
  });

  it('refuses node capacities that are not quantities', () => {
    const text = HEAD.replace('cpu: "4"', 'cpu: "four"') + 'steps:\n  - wait: 1s\n';
    const issues = issuesOf(text);
    expect(issues.map((i) => i.path)).toEqual(['cluster.nodes[0].capacity.cpu']);
    expect(issues[0]?.message).toMatch(/^not a quantity: .* \(like "4", "500m", "8Gi"\)$/);
  });

  it('says when the file cannot be read', () => {
    expect(() => loadSpecFile('/nonexistent/spec.yaml')).toThrow(/^\/nonexistent\/spec\.yaml: \(document\): cannot read: ENOENT/);
  });
});
