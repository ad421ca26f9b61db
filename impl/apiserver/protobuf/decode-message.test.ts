// How wire values become JSON: pointer versus omitempty versus always-shown fields, Kubernetes'
// own types (Time, Quantity, IntOrString), maps, merging, unknown fields and wrong wire types.

import { describe, expect, it } from 'vitest';
import { decodeMessage, type UnknownField } from './decode-message.js';
import { ProtobufDecodeError } from './protobuf-decode-error.js';
import { Deployment, DeploymentSpec, RollingUpdateDeployment } from './schemas/apps-v1.js';
import {
  ConfigMap,
  ConfigMapKeySelector,
  Container,
  ContainerPort,
  EnvVar,
  EnvVarSource,
  Pod,
  PodSpec,
  Secret,
  ServicePort,
} from './schemas/core-v1.js';
import { ObjectMeta } from './schemas/meta-v1.js';
import { WireWriter } from './testing/wire-writer.js';
import { WireType } from './wire-reader.js';

const build = (f: (w: WireWriter) => void): Uint8Array => {
  const w = new WireWriter();
  f(w);
  return w.finish();
};

describe('presence', () => {
  it('keeps pointer fields sent as zero and drops omitempty zeros', () => {
    // replicas 0, minReadySeconds 0, revisionHistoryLimit 0, paused false, empty strategy, empty selector
    const spec = build((w) => w.uint(1, 0).uint(5, 0).uint(6, 0).uint(7, false).bytes(4, new Uint8Array(0)).bytes(2, new Uint8Array(0)));
    expect(decodeMessage(spec, DeploymentSpec)).toStrictEqual({ replicas: 0, selector: {}, revisionHistoryLimit: 0 });
  });

  it('keeps a pointer string sent as "" and drops a value string that is ""', () => {
    const c = build((w) => w.string(1, 'app').string(2, '').string(24, ''));
    expect(decodeMessage(c, Container)).toStrictEqual({ name: 'app', restartPolicy: '' });
  });

  it('shows fields without omitempty even when zero or absent, as Go does', () => {
    expect(decodeMessage(build((w) => w.uint(3, 0)), ContainerPort)).toStrictEqual({ containerPort: 0 });
    expect(decodeMessage(new Uint8Array(0), ContainerPort)).toStrictEqual({ containerPort: 0 });
    expect(decodeMessage(build((w) => w.string(2, 'v')), EnvVar)).toStrictEqual({ name: '', value: 'v' });
  });

  it('omits a value struct whose fields are all unset, keeps one with anything set', () => {
    expect(decodeMessage(build((w) => w.string(1, 'c').bytes(8, new Uint8Array(0))), Container)).toStrictEqual({ name: 'c' });
    const withClaim = build((w) => w.string(1, 'c').message(8, (r) => r.message(3, (claim) => claim.string(1, 'gpu'))));
    expect(decodeMessage(withClaim, Container)).toStrictEqual({ name: 'c', resources: { claims: [{ name: 'gpu' }] } });
  });

  it('keeps empty items of repeated fields', () => {
    const spec = build((w) => w.bytes(2, new Uint8Array(0)).string(2, '').message(22, () => undefined));
    // The second "container" is a zero-length string payload: the same bytes as an empty message.
    expect(decodeMessage(spec, PodSpec)).toStrictEqual({ containers: [{ name: '' }, { name: '' }], tolerations: [{}] });
  });

  it('inlines embedded structs into their parent', () => {
    const source = build((w) => w.message(3, (s) => s.message(1, (ref) => ref.string(1, 'settings')).string(2, 'mode').uint(3, false)));
    expect(decodeMessage(source, EnvVarSource)).toStrictEqual({ configMapKeyRef: { name: 'settings', key: 'mode', optional: false } });
  });
});

describe('integers and booleans', () => {
  it('reads negative int32 and int64 from their ten-byte form', () => {
    expect(decodeMessage(build((w) => w.uint(25, -5).uint(4, -30)), PodSpec)).toStrictEqual({ priority: -5, terminationGracePeriodSeconds: -30 });
  });

  it('keeps the low 32 bits of an int32, as Go does', () => {
    expect(decodeMessage(build((w) => w.uint(3, 2n ** 32n + 80n)), ContainerPort)).toStrictEqual({ containerPort: 80 });
  });

  it('accepts int64 up to the safe integer range and rejects beyond it', () => {
    const max = Number.MAX_SAFE_INTEGER;
    expect(decodeMessage(build((w) => w.uint(7, max).uint(10, -max)), ObjectMeta)).toStrictEqual({ generation: max, deletionGracePeriodSeconds: -max });
    expect(() => decodeMessage(build((w) => w.uint(7, 2n ** 53n)), ObjectMeta)).toThrow(/generation: int64 value 9007199254740992 is outside/);
  });

  it('reads any non-zero varint as true', () => {
    expect(decodeMessage(build((w) => w.uint(3, 7)), ConfigMapKeySelector)).toStrictEqual({ key: '', optional: true });
  });
});

describe('metav1.Time', () => {
  const meta = (time: (w: WireWriter) => void): Uint8Array => build((w) => w.message(8, time));

  it('becomes an RFC3339 string in UTC at second precision', () => {
    expect(decodeMessage(meta((t) => t.uint(1, 1_700_000_000).uint(2, 999_999_999)), ObjectMeta)).toStrictEqual({
      creationTimestamp: '2023-11-14T22:13:20Z',
    });
  });

  it('is unset when empty (Go\'s zero time) but the epoch when seconds are sent as 0', () => {
    expect(decodeMessage(meta(() => undefined), ObjectMeta)).toStrictEqual({});
    expect(decodeMessage(meta((t) => t.uint(1, 0)), ObjectMeta)).toStrictEqual({ creationTimestamp: '1970-01-01T00:00:00Z' });
    // A pointer to the zero time marshals as null in Go: left out here.
    expect(decodeMessage(build((w) => w.bytes(9, new Uint8Array(0))), ObjectMeta)).toStrictEqual({});
  });

  it('folds out-of-range nanoseconds into seconds like time.Unix', () => {
    expect(decodeMessage(meta((t) => t.uint(1, 10).uint(2, 1_500_000_000)), ObjectMeta)).toStrictEqual({ creationTimestamp: '1970-01-01T00:00:11Z' });
    expect(decodeMessage(meta((t) => t.uint(1, 10).uint(2, -1)), ObjectMeta)).toStrictEqual({ creationTimestamp: '1970-01-01T00:00:09Z' });
  });

  it('covers years 0000 to 9999 and rejects times outside them', () => {
    expect(decodeMessage(meta((t) => t.uint(1, -62_167_219_200)), ObjectMeta)).toStrictEqual({ creationTimestamp: '0000-01-01T00:00:00Z' });
    expect(decodeMessage(meta((t) => t.uint(1, 253_402_300_799)), ObjectMeta)).toStrictEqual({ creationTimestamp: '9999-12-31T23:59:59Z' });
    expect(() => decodeMessage(meta((t) => t.uint(1, 253_402_300_800)), ObjectMeta)).toThrow(/creationTimestamp: timestamp .* outside years 0000-9999/);
  });
});

describe('IntOrString and Quantity', () => {
  it('turns IntOrString into a number or a string, keeping a pointer 0', () => {
    const ru = build((w) => w.message(1, (i) => i.uint(1, 0).uint(2, 0).string(3, '')).message(2, (i) => i.uint(1, 1).uint(2, 0).string(3, '25%')));
    expect(decodeMessage(ru, RollingUpdateDeployment)).toStrictEqual({ maxUnavailable: 0, maxSurge: '25%' });
  });

  it('omits a value IntOrString that is int 0', () => {
    const port = (target: (w: WireWriter) => void): Uint8Array => build((w) => w.uint(3, 80).message(4, target));
    expect(decodeMessage(port((i) => i.uint(1, 0).uint(2, 0).string(3, '')), ServicePort)).toStrictEqual({ port: 80 });
    expect(decodeMessage(port((i) => i.uint(2, 8080)), ServicePort)).toStrictEqual({ port: 80, targetPort: 8080 });
    expect(decodeMessage(port((i) => i.uint(1, 1).string(3, 'http')), ServicePort)).toStrictEqual({ port: 80, targetPort: 'http' });
  });

  it('rejects an IntOrString type other than 0 and 1', () => {
    expect(() => decodeMessage(build((w) => w.message(2, (i) => i.uint(1, 2))), RollingUpdateDeployment)).toThrow(/maxSurge: IntOrString has type 2/);
  });

  it('passes Quantity strings through, and a missing one as "0"', () => {
    const resources = build((w) =>
      w.message(1, (e) => e.string(1, 'cpu').message(2, (q) => q.string(1, '500m'))).message(1, (e) => e.string(1, 'memory')),
    );
    const container = build((w) => w.string(1, 'c').bytes(8, resources));
    expect(decodeMessage(container, Container)).toStrictEqual({ name: 'c', resources: { limits: { cpu: '500m', memory: '0' } } });
  });
});

describe('maps', () => {
  it('stores a __proto__ key as data, not as a prototype', () => {
    const meta = build((w) => w.message(11, (e) => e.string(1, '__proto__').string(2, 'x')).message(11, (e) => e.string(1, 'a').string(2, 'b')));
    const labels = decodeMessage(meta, ObjectMeta)['labels'] as Record<string, string>;
    expect(Object.getPrototypeOf(labels)).toBe(Object.prototype);
    expect(Object.keys(labels)).toEqual(['__proto__', 'a']);
    expect(Object.getOwnPropertyDescriptor(labels, '__proto__')?.value).toBe('x');
  });

  it('lets the last duplicate key win and reads missing keys and values as ""', () => {
    const meta = build((w) =>
      w
        .message(12, (e) => e.string(1, 'k').string(2, 'first'))
        .message(12, (e) => e.string(1, 'k').string(2, 'second'))
        .message(12, (e) => e.string(2, 'no key'))
        .message(12, (e) => e.string(1, 'no value')),
    );
    expect(decodeMessage(meta, ObjectMeta)).toStrictEqual({ annotations: { k: 'second', '': 'no key', 'no value': '' } });
  });

  it('writes bytes values as base64', () => {
    const secret = build((w) => w.message(2, (e) => e.string(1, 'k').bytes(2, Uint8Array.of(0, 255, 1))));
    expect(decodeMessage(secret, Secret)).toStrictEqual({ data: { k: 'AP8B' } });
    const cm = build((w) => w.message(3, (e) => e.string(1, 'bin').bytes(2, Uint8Array.of(0xde, 0xad))).uint(4, false));
    expect(decodeMessage(cm, ConfigMap)).toStrictEqual({ binaryData: { bin: '3q0=' }, immutable: false });
  });
});

describe('repeated occurrences', () => {
  it('merges a message field sent twice and lets the last scalar win', () => {
    const pod = build((w) =>
      w
        .message(1, (m) => m.string(1, 'old').message(11, (e) => e.string(1, 'a').string(2, '1')))
        .message(1, (m) => m.string(1, 'new').message(11, (e) => e.string(1, 'b').string(2, '2'))),
    );
    expect(decodeMessage(pod, Pod)).toStrictEqual({ metadata: { name: 'new', labels: { a: '1', b: '2' } } });
  });
});

describe('strings', () => {
  it('replaces invalid UTF-8 with U+FFFD, as Go\'s JSON encoder does', () => {
    expect(decodeMessage(build((w) => w.bytes(1, Uint8Array.of(0x61, 0xff, 0x62))), ObjectMeta)).toStrictEqual({ name: 'a\ufffdb' });
  });
});

describe('unknown fields', () => {
  it('are skipped whatever their wire type, and reported with their place', () => {
    const spec = build((w) =>
      w
        .message(2, (c) => c.string(1, 'app').message(10, (probe) => probe.uint(1, 1))) // livenessProbe
        .message(18, (affinity) => affinity.bytes(1, new Uint8Array(3))) // affinity
        .uint(1000, 5)
        .fixed64(1001, 1n)
        .fixed32(1002, 1)
        .string(10, 'node-1'),
    );
    const body = build((w) => w.bytes(2, spec));
    const unknown: UnknownField[] = [];
    const decoded = decodeMessage(body, Pod, { onUnknownField: (u) => unknown.push(u) });
    expect(decoded).toStrictEqual({ spec: { containers: [{ name: 'app' }], nodeName: 'node-1' } });
    expect(unknown.map(({ message, path, field, wireType }) => ({ message, path, field, wireType }))).toEqual([
      { message: 'k8s.io.api.core.v1.Container', path: 'spec.containers[0]', field: 10, wireType: WireType.LengthDelimited },
      { message: 'k8s.io.api.core.v1.PodSpec', path: 'spec', field: 18, wireType: WireType.LengthDelimited },
      { message: 'k8s.io.api.core.v1.PodSpec', path: 'spec', field: 1000, wireType: WireType.Varint },
      { message: 'k8s.io.api.core.v1.PodSpec', path: 'spec', field: 1001, wireType: WireType.Fixed64 },
      { message: 'k8s.io.api.core.v1.PodSpec', path: 'spec', field: 1002, wireType: WireType.Fixed32 },
    ]);
  });

  it('in map entries are skipped and reported too', () => {
    const unknown: UnknownField[] = [];
    const meta = build((w) => w.message(11, (e) => e.string(1, 'a').uint(3, 1).string(2, 'b')));
    expect(decodeMessage(meta, ObjectMeta, { onUnknownField: (u) => unknown.push(u) })).toStrictEqual({ labels: { a: 'b' } });
    expect(unknown).toMatchObject([{ message: 'k8s.io.apimachinery.pkg.apis.meta.v1.ObjectMeta.LabelsEntry', path: 'labels', field: 3 }]);
  });
});

describe('wrong wire types', () => {
  it('for a known field are an error naming the field and where it is', () => {
    const body = build((w) => w.message(2, (spec) => spec.string(1, 'three')));
    const error = catchError(() => decodeMessage(body, Deployment));
    expect(error).toBeInstanceOf(ProtobufDecodeError);
    expect(error.message).toMatch(/^spec \(k8s\.io\.api\.apps\.v1\.DeploymentSpec\): field 1 \(replicas\) has wire type 2, expected 0 at byte 2$/);
  });

  it('for a map entry are an error', () => {
    expect(() => decodeMessage(build((w) => w.message(11, (e) => e.uint(1, 1))), ObjectMeta)).toThrow(/LabelsEntry\): field 1 has wire type 0/);
  });
});

function catchError(f: () => unknown): Error {
  try {
    f();
  } catch (error) {
    if (error instanceof Error) return error;
    throw new Error(`threw a non-Error: ${String(error)}`);
  }
  throw new Error('did not throw');
}
