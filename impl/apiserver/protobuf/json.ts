// The JSON values the decoder produces, and the one safe way to add a key taken from the wire.

export type JsonValue = string | number | boolean | JsonValue[] | JsonObject;
export interface JsonObject {
  [key: string]: JsonValue;
}

/**
 * Sets `key` as an own, enumerable property even when it is `__proto__`: map keys (labels,
 * annotations, ConfigMap data) come from the client, and plain assignment of `__proto__` would
 * replace the object's prototype instead of adding a key.
 */
export function setKey(target: JsonObject, key: string, value: JsonValue): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}
