// Test support: a fast-check arbitrary of JSON objects built from definitions.json itself,
// so that "whatever the schema describes, validation accepts" can be checked as a property.
// Nesting is bounded: past maxDepth named types only get their required fields, and lists
// and maps stay empty. Scalars follow the formats the validator checks (int32 range,
// RFC 3339 times, resource quantities, int-or-string).

import fc from 'fast-check';
import {
  INT_OR_STRING,
  QUANTITY,
  definitions,
  lookup,
  refName,
  type Definitions,
  type JsonSchema,
} from './definitions.js';

export interface SchemaArbitraryOptions {
  /** How many named types deep optional fields, lists and maps are filled in. */
  readonly maxDepth: number;
  /** Most items per list and entries per map. */
  readonly maxItems: number;
}

const DEFAULTS: SchemaArbitraryOptions = { maxDepth: 3, maxItems: 2 };

/** Values of the named schema, e.g. io.k8s.api.apps.v1.Deployment. */
export function schemaArbitrary(
  name: string,
  options: Partial<SchemaArbitraryOptions> = {},
  defs: Definitions = definitions,
): fc.Arbitrary<unknown> {
  return new Builder({ ...DEFAULTS, ...options }, defs).named(name, 0);
}

const quantity: fc.Arbitrary<string | number> = fc.oneof(
  fc
    .tuple(
      fc.constantFrom('', '+', '-'),
      fc.nat({ max: 4096 }),
      fc.option(fc.nat({ max: 999 }), { nil: undefined }),
      fc.constantFrom('', 'm', 'k', 'M', 'G', 'Ki', 'Mi', 'Gi', 'e3', 'E-2'),
    )
    .map(([sign, whole, frac, suffix]) => `${sign}${whole}${frac === undefined ? '' : `.${frac}`}${suffix}`),
  fc.nat({ max: 64 }),
);

const dateTime: fc.Arbitrary<string> = fc
  .date({ min: new Date('1970-01-01T00:00:00Z'), max: new Date('2099-12-31T23:59:59Z'), noInvalidDate: true })
  .map((d) => d.toISOString());

const freeJson: fc.Arbitrary<unknown> = fc.dictionary(fc.string({ maxLength: 6 }), fc.jsonValue({ maxDepth: 2 }), {
  maxKeys: 3,
});

class Builder {
  private readonly memo = new Map<string, fc.Arbitrary<unknown>>();

  constructor(
    private readonly opts: SchemaArbitraryOptions,
    private readonly defs: Definitions,
  ) {}

  named(name: string, depth: number): fc.Arbitrary<unknown> {
    if (name === QUANTITY) return quantity;
    if (name === INT_OR_STRING) return fc.oneof(fc.integer(), fc.string({ maxLength: 6 }));
    const key = `${name}@${Math.min(depth, this.opts.maxDepth + 1)}`;
    let arb = this.memo.get(key);
    if (arb === undefined) {
      const schema = lookup(this.defs, name);
      if (schema === undefined) throw new Error(`schema ${name} is not defined`);
      // fc.constant(null).chain defers building until first use, which also ties recursion's knot.
      arb = fc.constant(null).chain(() => this.schema(schema, depth));
      this.memo.set(key, arb);
    }
    return arb;
  }

  private schema(s: JsonSchema, depth: number): fc.Arbitrary<unknown> {
    if (s.$ref !== undefined) return this.named(refName(s.$ref), depth + 1);
    const only = s.allOf?.length === 1 ? s.allOf[0] : undefined;
    if (only !== undefined) return this.schema(only, depth);
    if (s.enum !== undefined && s.enum.length > 0) return fc.constantFrom(...s.enum);
    const deep = depth > this.opts.maxDepth;
    if (depth > this.opts.maxDepth + 16) throw new Error('required fields nest without end');
    switch (s.type) {
      case 'object':
        if (s.properties) return this.object(s, depth, deep);
        if (s.additionalProperties) {
          const value = this.schema(s.additionalProperties, depth);
          return fc.dictionary(fc.string({ maxLength: 6 }), value, { maxKeys: deep ? 0 : this.opts.maxItems });
        }
        return freeJson;
      case 'array':
        if (s.items === undefined) throw new Error('array schema without items');
        return fc.array(this.schema(s.items, depth), { maxLength: deep ? 0 : this.opts.maxItems });
      case 'string':
        return s.format === 'date-time' ? dateTime : fc.string({ maxLength: 8 });
      case 'integer':
        return s.format === 'int64' ? fc.maxSafeInteger() : fc.integer();
      case 'number':
        return fc.double({ noNaN: true, noDefaultInfinity: true });
      case 'boolean':
        return fc.boolean();
      default:
        return fc.jsonValue({ maxDepth: 1 });
    }
  }

  private object(s: JsonSchema, depth: number, deep: boolean): fc.Arbitrary<unknown> {
    const required = new Set(s.required ?? []);
    const fields: Record<string, fc.Arbitrary<unknown>> = {};
    for (const [key, prop] of Object.entries(s.properties ?? {})) {
      if (deep && !required.has(key)) continue;
      fields[key] = this.schema(prop, depth);
    }
    return fc.record(fields, { requiredKeys: [...required].filter((k) => Object.hasOwn(fields, k)) });
  }
}
