// The shape of the schema tables: for each protobuf message, field number → JSON name, wire
// type, and how Go's JSON encoding treats the field when it is empty. The tables themselves live
// in schemas/, one file per API group-version; the decoder and the test encoder both read them.

/**
 * How the Go struct field behind a protobuf field shows in JSON. Kubernetes' gogo encoding
 * writes every non-pointer field, empty or not, so the wire alone cannot tell "unset" from "".
 * - `omitempty`: a value field tagged `omitempty`; "", 0, false (and an all-zero struct) are unset.
 * - `always`: a value field without `omitempty` (`json:"name"`); shown even when zero, and
 *   shown as zero when absent, as Go would.
 * - `pointer`: a pointer field (`*int32`, `*bool`, `*LabelSelector`); present on the wire means set,
 *   so `replicas: 0` and `paused: false`-style values survive.
 */
export type Presence = 'omitempty' | 'always' | 'pointer';

/** Protobuf scalars as Kubernetes uses them: int64 becomes a JS number, bytes become base64. */
export type ScalarType = 'string' | 'int32' | 'int64' | 'bool' | 'bytes';

/**
 * Kubernetes types with their own JSON form: metav1.Time (Timestamp{1 seconds, 2 nanos} → RFC3339
 * string), resource.Quantity ({1 string} → string) and intstr.IntOrString ({1 type, 2 intVal,
 * 3 strVal} → number or string).
 */
export type WellKnownType = 'time' | 'quantity' | 'intOrString';

/** Values a map (repeated {1 key, 2 value} entries, keys always strings here) can hold. */
export type MapValueType = 'string' | 'bytes' | 'quantity';

export type FieldSchema =
  | { readonly json: string; readonly type: ScalarType; readonly presence: Presence }
  | { readonly json: string; readonly type: WellKnownType; readonly presence: Exclude<Presence, 'always'> }
  | {
      readonly json: string;
      readonly type: 'message';
      readonly message: MessageSchema;
      readonly presence: Exclude<Presence, 'always'>;
      /** An embedded Go struct tagged `json:",inline"`: its fields appear in the parent object. */
      readonly inline: boolean;
    }
  | { readonly json: string; readonly type: 'repeated'; readonly item: 'string' | MessageSchema }
  | { readonly json: string; readonly type: 'map'; readonly value: MapValueType };

export interface MessageSchema {
  /** Fully qualified protobuf name, e.g. `k8s.io.api.apps.v1.DeploymentSpec`; used in reports. */
  readonly name: string;
  /** By field number; iteration is in ascending field order (the order gogo writes them). */
  readonly fields: ReadonlyMap<number, FieldSchema>;
}

/** Builds a message schema from a table keyed by field number. */
export function message(name: string, fields: Readonly<Record<number, FieldSchema>>): MessageSchema {
  const entries = Object.entries(fields).map(([number, schema]): [number, FieldSchema] => [Number(number), schema]);
  entries.sort((a, b) => a[0] - b[0]);
  return { name, fields: new Map(entries) };
}

/** Field constructors, so the tables read like the .proto files they come from. */
export const field = {
  string: (json: string, presence: Presence = 'omitempty'): FieldSchema => ({ json, type: 'string', presence }),
  int32: (json: string, presence: Presence = 'omitempty'): FieldSchema => ({ json, type: 'int32', presence }),
  int64: (json: string, presence: Presence = 'omitempty'): FieldSchema => ({ json, type: 'int64', presence }),
  bool: (json: string, presence: Presence = 'omitempty'): FieldSchema => ({ json, type: 'bool', presence }),
  bytes: (json: string, presence: Presence = 'omitempty'): FieldSchema => ({ json, type: 'bytes', presence }),
  /** A nested struct; `omitempty` here means it is left out of the JSON when all its fields are unset. */
  message: (json: string, schema: MessageSchema, presence: Exclude<Presence, 'always'> = 'omitempty'): FieldSchema => ({
    json,
    type: 'message',
    message: schema,
    presence,
    inline: false,
  }),
  inline: (schema: MessageSchema): FieldSchema => ({ json: '', type: 'message', message: schema, presence: 'omitempty', inline: true }),
  repeated: (json: string, item: 'string' | MessageSchema): FieldSchema => ({ json, type: 'repeated', item }),
  map: (json: string, value: MapValueType = 'string'): FieldSchema => ({ json, type: 'map', value }),
  time: (json: string, presence: Exclude<Presence, 'always'> = 'omitempty'): FieldSchema => ({ json, type: 'time', presence }),
  quantity: (json: string, presence: Exclude<Presence, 'always'> = 'omitempty'): FieldSchema => ({ json, type: 'quantity', presence }),
  intOrString: (json: string, presence: Exclude<Presence, 'always'> = 'omitempty'): FieldSchema => ({
    json,
    type: 'intOrString',
    presence,
  }),
};
