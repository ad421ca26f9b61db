// The spec runner judges, it does not just run: an expectation that does not hold, an
// `always` condition false beyond its grace and a broken invariant each fail the spec with
// a sentence saying what was seen; faults that last "until the end" heal before invariants.
// All on the sim target, in virtual time.

import { describe, expect, it } from 'vitest';
import { parseSpec } from './spec-file.js';
import { runSpecOnSim } from './run-on-sim.js';
import { localFaultProblem, localShapeProblem } from './run-on-local.js';

const HEAD = `apiVersion: kubeprop.dev/v1alpha1
kind: ScenarioSpec
metadata: {name: runner-test, illustrates: the runner, severity: minor}
cluster:
  nodes: [{name: node-1}, {name: node-2}, {name: node-3}]
`;

const spec = (body: string) => parseSpec(`${HEAD}${body}`, 'runner-test.yaml');

describe('the spec runner on sim', () => {
  it('fails an expectation that does not hold within its bound, saying what it saw', async () => {
    const o = await runSpecOnSim(
      spec(`steps:
  - createDeployment: {name: web, image: busybox, replicas: 3}
  - expect: {pods: {labels: {app: web}}, count: 4, within: 5s}
  - expect: {pods: {labels: {app: web}}, count: 3}
`),
    );
    expect(o.status).toBe('fail');
    expect(o.stepsRun).toBe(2);
    expect(o.reasons).toHaveLength(1);
    expect(o.reasons[0]).toMatch(/^step 2 \(expect pods .*\): not within 5s: 3 pods match app=web, expected == 4 — saw web-\S+ Running on node-\d/);
    expect(o.targetMs).toBeGreaterThanOrEqual(5_000);
  });

  it('fails an `always` condition that is false for longer than its grace', async () => {
    const o = await runSpecOnSim(
      spec(`steps:
  - createDeployment: {name: web, image: busybox, replicas: 3}
  - expect: {pods: {labels: {app: web}}, count: 3, phase: Running, within: 30s}
  - always: {pods: {labels: {app: web}}, count: 3, grace: 2s}
  - scale: {deployment: web, replicas: 1}
  - wait: 5s
`),
    );
    expect(o.status).toBe('fail');
    expect(o.reasons).toEqual([expect.stringMatching(/^step 3 \(always pods .*\): "pods .*" was false for more than 2s from \d+(\.\d)?s into the spec: 1 pods match app=web, expected == 3/)]);
  });

  it('judges the invariants a spec names, after healing faults that last until the end', async () => {
    // A node lost for good would leave its evicted pods bound to a machine that is gone:
    // convergence holds only because the runner brings the node back before judging.
    const o = await runSpecOnSim(
      spec(`steps:
  - createDeployment: {name: web, image: busybox, replicas: 3}
  - expect: {pods: {labels: {app: web}}, count: 3, phase: Running, distinctNodes: true, within: 30s}
  - fault: {kind: node-loss, node: node-3}
  - expect: {pods: {labels: {app: web}, node: node-3}, count: 0, within: 40s}
invariants: [convergence, pod-lifecycle]
`),
    );
    expect(o.reasons).toEqual([]);
    expect(o.status).toBe('pass');
    expect(o.invariants.map((i) => [i.name, i.ok])).toEqual([
      ['convergence', true],
      ['pod-lifecycle', true],
    ]);
  });

  it('reports a kubectl-like step the API refuses as kubectl would', async () => {
    const o = await runSpecOnSim(
      spec(`steps:
  - createDeployment: {name: web, image: busybox}
  - createDeployment: {name: web, image: busybox}
`),
    );
    expect(o.status).toBe('fail');
    expect(o.reasons[0]).toMatch(/^step 2 \(kubectl create deployment web --image=busybox --replicas=1\) failed: Error from server \(AlreadyExists\): deployments.apps "web" already exists/);
  });
});

describe('what the local target can run', () => {
  it('needs kubeprop up\'s node names and sizes', () => {
    expect(localShapeProblem(spec('steps: [{wait: 1s}]\n'))).toBeUndefined();
    const renamed = parseSpec(`${HEAD.replace('node-3', 'big')}steps: [{wait: 1s}]\n`);
    expect(localShapeProblem(renamed)).toBe('kubeprop up names its nodes node-1, node-2, node-3; the spec has node-1, node-2, big');
    const small = parseSpec(`${HEAD.replace('{name: node-3}', '{name: node-3, capacity: {cpu: "2"}}')}steps: [{wait: 1s}]\n`);
    expect(localShapeProblem(small)).toMatch(/node-3 asks for cpu 2, memory 8Gi, pods 110$/);
  });

  it('skips faults it has no injector for', () => {
    expect(localFaultProblem(spec('steps: [{fault: {kind: node-loss, node: node-1}}]\n'))).toBeUndefined();
    expect(localFaultProblem(spec('steps: [{fault: {kind: store-compaction}}]\n'))).toMatch(/^the local target cannot inject store-compaction \(it can: container-kill, /);
  });
});
