// Counterexample files: the shrunk scenario, the violated invariant with its sentences, an
// excerpt of the history and the trace hash, as YAML validated by a JSON Schema (ajv), so a
// failure found today replays forever with `kubeprop replay FILE`.

import { Ajv } from 'ajv';
import { parse, stringify } from 'yaml';
import type { Violation } from '../invariants/invariant.js';
import type { Scenario } from './scenario.js';

export const COUNTEREXAMPLE_VERSION = 'kubeprop.dev/counterexample/v1';

export interface CounterexampleFile {
  readonly apiVersion: typeof COUNTEREXAMPLE_VERSION;
  readonly target: string;
  readonly mutant?: string;
  readonly invariant: string;
  readonly violations: readonly Violation[];
  readonly scenario: Scenario;
  /** sha256 of the sim trace: a replay must reproduce it. */
  readonly traceHash?: string;
  readonly steps: number;
  readonly found: { readonly fcSeed: number; readonly fcPath: string; readonly runs: number; readonly shrinks: number };
  readonly replay: string;
  /** The part of the history around the violation, for a reader. */
  readonly historyExcerpt?: Readonly<Record<string, unknown>>;
}

const scenarioSchema = {
  type: 'object',
  required: ['seed', 'cluster', 'operations', 'faults', 'convergenceBoundMs'],
  additionalProperties: false,
  properties: {
    seed: { type: 'integer' },
    convergenceBoundMs: { type: 'integer', minimum: 0 },
    cluster: {
      type: 'object',
      required: ['nodes'],
      additionalProperties: false,
      properties: {
        nodes: {
          type: 'array',
          items: {
            type: 'object',
            required: ['name', 'cpuMilli', 'memoryMi', 'pods'],
            properties: {
              name: { type: 'string', minLength: 1 },
              cpuMilli: { type: 'integer', minimum: 0 },
              memoryMi: { type: 'integer', minimum: 0 },
              pods: { type: 'integer', minimum: 0 },
              labels: { type: 'object', additionalProperties: { type: 'string' } },
              taints: { type: 'array' },
              spare: { const: true },
            },
            additionalProperties: false,
          },
        },
      },
    },
    operations: {
      type: 'array',
      items: {
        type: 'object',
        required: ['at', 'operation'],
        additionalProperties: false,
        properties: {
          at: { type: 'integer', minimum: 0 },
          operation: { type: 'object', required: ['op'], properties: { op: { type: 'string' } } },
        },
      },
    },
    faults: {
      type: 'array',
      items: {
        type: 'object',
        required: ['at', 'kind', 'target', 'durationMs'],
        additionalProperties: false,
        properties: {
          at: { type: 'integer', minimum: 0 },
          kind: { type: 'string' },
          target: { type: 'string' },
          durationMs: { type: 'integer', minimum: 0 },
          params: { type: 'object' },
        },
      },
    },
  },
} as const;

const fileSchema = {
  type: 'object',
  required: ['apiVersion', 'target', 'invariant', 'violations', 'scenario', 'steps', 'found', 'replay'],
  additionalProperties: false,
  properties: {
    apiVersion: { const: COUNTEREXAMPLE_VERSION },
    target: { type: 'string' },
    mutant: { type: 'string' },
    invariant: { type: 'string' },
    violations: {
      type: 'array',
      minItems: 1,
      items: { type: 'object', required: ['invariant', 'message'], properties: { invariant: { type: 'string' }, message: { type: 'string' } } },
    },
    scenario: scenarioSchema,
    traceHash: { type: 'string' },
    steps: { type: 'integer', minimum: 0 },
    found: { type: 'object', required: ['fcSeed', 'fcPath', 'runs', 'shrinks'] },
    replay: { type: 'string' },
    historyExcerpt: { type: 'object' },
  },
} as const;

const ajv = new Ajv({ allErrors: true });
const validate = ajv.compile(fileSchema);

export class CounterexampleFileError extends Error {
  override readonly name = 'CounterexampleFileError';
}

export function formatCounterexample(file: CounterexampleFile): string {
  return `# kubeprop counterexample — replay with: ${file.replay}\n${stringify(file, { lineWidth: 0 })}`;
}

/** Parses and validates a counterexample file; errors name the path and what is wrong. */
export function parseCounterexample(text: string, source = 'counterexample'): CounterexampleFile {
  let value: unknown;
  try {
    value = parse(text);
  } catch (e) {
    throw new CounterexampleFileError(`${source}: not valid YAML: ${(e as Error).message.split('\n')[0]}`);
  }
  if (!validate(value)) {
    const errors = (validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? ''}`.trim()).join('; ');
    throw new CounterexampleFileError(`${source}: not a kubeprop counterexample: ${errors}`);
  }
  return value as unknown as CounterexampleFile;
}
