// The bodies real kubectl 1.32 sends (captured by testing/capture-kubectl-bodies.ts) decode to the
// objects kubectl meant, and the field lists behind them rebuild the same bytes exactly.

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { decodeKubernetesProtobuf } from './decode-kubernetes-protobuf.js';
import type { JsonObject } from './json.js';
import { encodeKubernetesProtobuf } from './testing/encode-message.js';
import { WireWriter } from './testing/wire-writer.js';

function fixture(name: string): Uint8Array {
  return new Uint8Array(readFileSync(new URL(`./fixtures/${name}`, import.meta.url)));
}

const NONE = new Uint8Array(0);

/** ObjectMeta as gogo writes it: every value field, the zero creationTimestamp as an empty message. */
function objectMeta(w: WireWriter, name: string, labels: Record<string, string>): void {
  w.string(1, name).string(2, '').string(3, '').string(4, '').string(5, '').string(6, '').uint(7, 0).bytes(8, NONE);
  for (const [k, v] of Object.entries(labels)) w.message(11, (e) => e.string(1, k).string(2, v));
}

/** The envelope: magic, then runtime.Unknown{typeMeta, raw, contentEncoding "", contentType ""}. */
function envelope(apiVersion: string, kind: string, raw: (w: WireWriter) => void): Uint8Array {
  return new WireWriter()
    .raw([0x6b, 0x38, 0x73, 0x00])
    .message(1, (t) => t.string(1, apiVersion).string(2, kind))
    .message(2, raw)
    .string(3, '')
    .string(4, '')
    .finish();
}

const firstApp: JsonObject = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'first-app', labels: { app: 'first-app' } },
  spec: {
    replicas: 3,
    selector: { matchLabels: { app: 'first-app' } },
    template: {
      metadata: { labels: { app: 'first-app' } },
      spec: { containers: [{ name: 'busybox', image: 'busybox' }] },
    },
  },
};

describe('kubectl create deployment first-app --image=busybox --replicas=3', () => {
  const captured = fixture('kubectl-1.32-create-deployment-first-app.pb');

  it('is rebuilt byte for byte from the field list', () => {
    const app = { app: 'first-app' };
    const built = envelope('apps/v1', 'Deployment', (d) => {
      d.message(1, (m) => objectMeta(m, 'first-app', app));
      d.message(2, (spec) => {
        spec.uint(1, 3); // replicas: a pointer, set
        spec.message(2, (sel) => sel.message(1, (e) => e.string(1, 'app').string(2, 'first-app')));
        spec.message(3, (template) => {
          template.message(1, (m) => objectMeta(m, '', app));
          template.message(2, (pod) => {
            pod.message(2, (c) =>
              c
                .string(1, 'busybox') // name
                .string(2, 'busybox') // image
                .string(5, '') // workingDir
                .bytes(8, NONE) // resources
                .string(13, '') // terminationMessagePath
                .string(14, '') // imagePullPolicy
                .uint(16, false) // stdin
                .uint(17, false) // stdinOnce
                .uint(18, false) // tty
                .string(20, ''), // terminationMessagePolicy
            );
            // restartPolicy, dnsPolicy, serviceAccountName, serviceAccount, nodeName
            pod.string(3, '').string(6, '').string(8, '').string(9, '').string(10, '');
            // hostNetwork, hostPID, hostIPC
            pod.uint(11, false).uint(12, false).uint(13, false);
            // hostname, subdomain, schedulerName, priorityClassName
            pod.string(16, '').string(17, '').string(19, '').string(24, '');
          });
        });
        spec.message(4, (strategy) => strategy.string(1, ''));
        spec.uint(5, 0).uint(7, false); // minReadySeconds, paused
      });
      // status: observedGeneration, replicas, updated, available, unavailable, ready
      d.message(3, (s) => s.uint(1, 0).uint(2, 0).uint(3, 0).uint(4, 0).uint(5, 0).uint(7, 0));
    });
    expect(Buffer.from(built).toString('hex')).toBe(Buffer.from(captured).toString('hex'));
  });

  it('decodes to the Deployment kubectl meant, with no unknown fields', () => {
    const unknown: number[] = [];
    const decoded = decodeKubernetesProtobuf(captured, { onUnknownField: (u) => unknown.push(u.field) });
    expect(decoded.apiVersion).toBe('apps/v1');
    expect(decoded.kind).toBe('Deployment');
    expect(decoded.object).toStrictEqual(firstApp);
    expect(unknown).toEqual([]);
  });
});

describe('kubectl create namespace x', () => {
  const captured = fixture('kubectl-1.32-create-namespace-x.pb');

  it('is rebuilt byte for byte from the field list', () => {
    const built = envelope('v1', 'Namespace', (ns) => {
      ns.message(1, (m) => objectMeta(m, 'x', {}));
      ns.bytes(2, NONE); // spec
      ns.message(3, (s) => s.string(1, '')); // status.phase
    });
    expect(Buffer.from(built).toString('hex')).toBe(Buffer.from(captured).toString('hex'));
  });

  it('decodes to the Namespace kubectl meant', () => {
    expect(decodeKubernetesProtobuf(captured).object).toStrictEqual({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'x' } });
  });
});

describe('other kubectl create bodies', () => {
  const expected: Record<string, JsonObject> = {
    'kubectl-1.32-create-deployment-first-app.pb': firstApp,
    'kubectl-1.32-create-namespace-x.pb': { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'x' } },
    'kubectl-1.32-create-deployment-web-port-command.pb': {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web', labels: { app: 'web' } },
      spec: {
        replicas: 1,
        selector: { matchLabels: { app: 'web' } },
        template: {
          metadata: { labels: { app: 'web' } },
          spec: { containers: [{ name: 'nginx', image: 'nginx', command: ['sh', '-c', 'echo hi'], ports: [{ containerPort: 80 }] }] },
        },
      },
    },
    'kubectl-1.32-create-service-clusterip.pb': {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'my-svc', labels: { app: 'my-svc' } },
      spec: { ports: [{ name: '80-8080', protocol: 'TCP', port: 80, targetPort: 8080 }], selector: { app: 'my-svc' }, type: 'ClusterIP' },
    },
    'kubectl-1.32-create-service-nodeport.pb': {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'np', labels: { app: 'np' } },
      spec: { ports: [{ name: '80-web', protocol: 'TCP', port: 80, targetPort: 'web' }], selector: { app: 'np' }, type: 'NodePort' },
    },
    'kubectl-1.32-create-configmap.pb': { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cm1' }, data: { a: 'b' } },
    'kubectl-1.32-create-secret-generic.pb': {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 's1' },
      data: { k: Buffer.from('v').toString('base64') },
    },
  };

  for (const [name, object] of Object.entries(expected)) {
    it(`${name} decodes as expected, and re-encodes to the same bytes`, () => {
      const captured = fixture(name);
      const unknown: number[] = [];
      const decoded = decodeKubernetesProtobuf(captured, { onUnknownField: (u) => unknown.push(u.field) });
      expect(decoded.object).toStrictEqual(object);
      expect(unknown).toEqual([]);
      // The schema tables say which fields Go always writes; kubectl agrees byte for byte.
      expect(Buffer.from(encodeKubernetesProtobuf(object, 'gogo')).toString('hex')).toBe(Buffer.from(captured).toString('hex'));
    });
  }
});
