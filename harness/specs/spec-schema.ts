// The JSON Schema (ajv) of a scenario spec file's YAML: its structure and value types. What a
// schema says badly — exactly one action per step, exactly one subject per condition, which
// assertions fit which subject, references to nodes and earlier steps — spec-file.ts checks
// after it, with the same kind of error.

export const SPEC_API_VERSION = 'kubeprop.dev/v1alpha1';
export const SPEC_KIND = 'ScenarioSpec';

export const DURATION_PATTERN = '^[0-9]+(\\.[0-9]+)?(ms|s|m|h)$';
/** `>= 1`, `== spec.replicas`, `~ /Pending/`: an operator and an operand. */
export const COMPARISON_PATTERN = '^\\s*((==|!=|>=|<=|>|<)\\s*\\S.*|~\\s*/.*/[a-z]*)\\s*$';

/** Human words for the patterns above, used in error messages instead of the regex. */
export const PATTERN_WORDS: Readonly<Record<string, string>> = {
  [DURATION_PATTERN]: 'a duration like 500ms, 5s, 2m or 1h',
  [COMPARISON_PATTERN]: 'a number or a comparison like ">= 1", "== spec.replicas" or "~ /regex/"',
  '^[a-z0-9]([-a-z0-9]*[a-z0-9])?$': 'a DNS-1123 label (lower-case letters, digits and "-")',
};

const duration = { type: 'string', pattern: DURATION_PATTERN };
const dnsLabel = { type: 'string', pattern: '^[a-z0-9]([-a-z0-9]*[a-z0-9])?$', maxLength: 63 };
const stringMap = { type: 'object', additionalProperties: { type: 'string' } };
const comparison = { type: ['number', 'string'], if: { type: 'string' }, then: { pattern: COMPARISON_PATTERN } };
const textMatch = { type: 'string', minLength: 1 };

const podSelector = {
  type: 'object',
  additionalProperties: false,
  properties: {
    name: { type: 'string', minLength: 1 },
    labels: stringMap,
    node: { type: 'string', minLength: 1 },
    ref: { type: 'string', minLength: 1 },
    terminating: { type: 'boolean' },
  },
};

/** Subjects: what a condition looks at (spec-file.ts insists on exactly one). */
export const SUBJECT_KEYS = ['pods', 'deployment', 'replicasets', 'node', 'containers', 'get', 'describe', 'logs'] as const;

/** Assertions, and the subjects each applies to. */
export const ASSERTION_SUBJECTS: Readonly<Record<string, readonly (typeof SUBJECT_KEYS)[number][]>> = {
  exists: ['deployment', 'node'],
  count: ['pods', 'replicasets', 'containers', 'get'],
  phase: ['pods'],
  ready: ['pods'],
  distinctNodes: ['pods'],
  perNode: ['pods'],
  restarts: ['pods'],
  waiting: ['pods'],
  podIP: ['pods'],
  image: ['pods', 'deployment'],
  condition: ['pods', 'deployment', 'node'],
  fields: ['pods', 'deployment', 'replicasets', 'node'],
  rolloutComplete: ['deployment'],
  running: ['containers'],
  columns: ['get'],
  events: ['describe'],
  contains: ['logs'],
  matches: ['logs'],
};

const condition = {
  type: 'object',
  additionalProperties: false,
  properties: {
    pods: podSelector,
    deployment: { type: 'string', minLength: 1 },
    replicasets: { type: 'object', additionalProperties: false, properties: { deployment: { type: 'string', minLength: 1 }, labels: stringMap } },
    node: { type: 'string', minLength: 1 },
    containers: { type: 'object', additionalProperties: false, properties: { podPrefix: { type: 'string' } } },
    get: {
      type: 'object',
      required: ['resource'],
      additionalProperties: false,
      properties: {
        resource: { enum: ['pods', 'deployments', 'replicasets', 'nodes'] },
        name: { type: 'string', minLength: 1 },
        labels: stringMap,
        pod: podSelector,
        wide: { type: 'boolean' },
      },
    },
    describe: podSelector,
    logs: { ...podSelector, properties: { ...podSelector.properties, container: { type: 'string', minLength: 1 } } },

    exists: { type: 'boolean' },
    count: comparison,
    phase: { enum: ['Pending', 'Running', 'Succeeded', 'Failed', 'Unknown'] },
    ready: { type: 'boolean' },
    distinctNodes: { const: true },
    perNode: { type: 'array', minItems: 1, items: { type: 'integer', minimum: 1 } },
    restarts: comparison,
    waiting: textMatch,
    podIP: { type: 'boolean' },
    image: textMatch,
    condition: {
      type: 'object',
      required: ['type'],
      additionalProperties: false,
      properties: { type: { type: 'string', minLength: 1 }, status: textMatch, reason: textMatch, message: textMatch },
    },
    fields: { type: 'object', minProperties: 1, additionalProperties: { type: ['number', 'string', 'boolean'] } },
    rolloutComplete: { type: 'boolean' },
    running: comparison,
    columns: { type: 'object', minProperties: 1, additionalProperties: textMatch },
    events: { type: 'array', minItems: 1, items: { type: 'string', minLength: 1 } },
    contains: { type: 'string', minLength: 1 },
    matches: textMatch,

    within: duration,
    grace: duration,
    for: duration,
    as: { type: 'string', minLength: 1 },
  },
};

const node = {
  type: 'object',
  required: ['name'],
  additionalProperties: false,
  properties: {
    name: dnsLabel,
    capacity: {
      type: 'object',
      additionalProperties: false,
      properties: {
        cpu: { type: ['string', 'number'] },
        memory: { type: 'string', minLength: 1 },
        pods: { type: 'integer', minimum: 1 },
      },
    },
    labels: stringMap,
    taints: {
      type: 'array',
      items: {
        type: 'object',
        required: ['key', 'effect'],
        additionalProperties: false,
        properties: { key: { type: 'string', minLength: 1 }, value: { type: 'string' }, effect: { enum: ['NoSchedule', 'PreferNoSchedule', 'NoExecute'] } },
      },
    },
  },
};

/** The actions a step may take (spec-file.ts insists on exactly one per step). */
export const ACTION_KEYS = ['createDeployment', 'apply', 'scale', 'setImage', 'delete', 'cordon', 'uncordon', 'rolloutStatus', 'fault', 'wait', 'expect', 'always', 'end'] as const;

const step = {
  type: 'object',
  additionalProperties: false,
  properties: {
    note: { type: 'string' },
    createDeployment: {
      type: 'object',
      required: ['name', 'image'],
      additionalProperties: false,
      properties: {
        name: dnsLabel,
        image: { type: 'string', minLength: 1 },
        replicas: { type: 'integer', minimum: 0 },
        command: { type: 'array', minItems: 1, items: { type: 'string' } },
      },
    },
    apply: { type: 'string', minLength: 1 },
    scale: {
      type: 'object',
      required: ['deployment', 'replicas'],
      additionalProperties: false,
      properties: { deployment: dnsLabel, replicas: { type: 'integer', minimum: 0 } },
    },
    setImage: {
      type: 'object',
      required: ['deployment', 'image'],
      additionalProperties: false,
      properties: { deployment: dnsLabel, container: { type: 'string', minLength: 1 }, image: { type: 'string', minLength: 1 } },
    },
    delete: {
      type: 'object',
      required: ['name'],
      additionalProperties: false,
      properties: {
        kind: { enum: ['Deployment', 'ReplicaSet', 'Pod'] },
        name: { type: 'string', minLength: 1 },
        cascade: { enum: ['background', 'foreground', 'orphan'] },
      },
    },
    cordon: { type: 'string', minLength: 1 },
    uncordon: { type: 'string', minLength: 1 },
    rolloutStatus: {
      type: 'object',
      required: ['deployment'],
      additionalProperties: false,
      properties: { deployment: dnsLabel, timeout: duration },
    },
    fault: {
      type: 'object',
      required: ['kind'],
      additionalProperties: false,
      properties: {
        kind: { type: 'string', minLength: 1 },
        target: { type: 'string', minLength: 1 },
        node: { type: 'string', minLength: 1 },
        component: { enum: ['apiserver', 'controller-manager', 'scheduler'] },
        pod: podSelector,
        duration,
        params: { type: 'object', additionalProperties: { type: ['number', 'string', 'boolean'] } },
        as: { type: 'string', minLength: 1 },
      },
    },
    wait: { type: ['string', 'object'], if: { type: 'string' }, then: duration, else: condition },
    expect: condition,
    always: condition,
    end: { type: ['string', 'array'], minItems: 1, items: { type: 'string', minLength: 1 } },
  },
};

export const SPEC_SCHEMA = {
  type: 'object',
  required: ['apiVersion', 'kind', 'metadata', 'cluster', 'steps'],
  additionalProperties: false,
  properties: {
    apiVersion: { const: SPEC_API_VERSION },
    kind: { const: SPEC_KIND },
    metadata: {
      type: 'object',
      required: ['name', 'illustrates', 'severity'],
      additionalProperties: false,
      properties: {
        name: dnsLabel,
        illustrates: { type: 'string', minLength: 1 },
        severity: { enum: ['critical', 'major', 'minor'] },
        walkthrough: { type: 'integer', minimum: 1 },
        runtime: { enum: ['process', 'docker'] },
        description: { type: 'string' },
      },
    },
    cluster: {
      type: 'object',
      required: ['nodes'],
      additionalProperties: false,
      properties: { nodes: { type: 'array', minItems: 1, items: node } },
    },
    namespace: dnsLabel,
    seed: { type: 'integer' },
    steps: { type: 'array', minItems: 1, items: step },
    expectations: { type: 'array', items: condition },
    invariants: { type: 'array', items: { type: 'string', minLength: 1 } },
    settle: duration,
  },
};
