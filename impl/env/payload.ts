// Copies a message payload so that sender and receiver never share mutable state, exactly
// as if it had crossed a wire. Done once, when the message is sent: a later change by the
// sender cannot leak into the message, and the receiver gets the only reference.

export function clonePayload<T>(value: T): T {
  // Primitives are immutable; skipping structuredClone for them is the common fast path.
  if (value === null || (typeof value !== 'object' && typeof value !== 'function')) return value;
  return structuredClone(value);
}

/**
 * A remote handler's failure as the caller sees it. An Error becomes a plain Error with the
 * same name, message and copyable own fields (a NetworkError's `code` survives as a field, but
 * the copy is not a NetworkError: the caller's own call did not fail in the network). Any
 * other thrown value is copied, or replaced by an Error with its text if it cannot be.
 */
export function cloneFailure(error: unknown): unknown {
  if (error instanceof Error) {
    const copy = new Error(error.message);
    copy.name = error.name;
    const fields = copy as unknown as Record<string, unknown>;
    for (const [key, value] of Object.entries(error)) {
      try {
        fields[key] = clonePayload(value);
      } catch {
        // A field that cannot cross the wire is left behind, as a serialiser would.
      }
    }
    return copy;
  }
  try {
    return clonePayload(error);
  } catch {
    return new Error(String(error));
  }
}
