// JSON pointers (RFC 6901), the paths of JSON patch: "/spec/template/metadata/labels/app".
// "~1" stands for "/" and "~0" for "~" inside a token; "" is the whole document.

/** A pointer that is not well-formed; the caller words the error for its context. */
export class PointerSyntaxError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PointerSyntaxError';
  }
}

/** The reference tokens of a pointer, unescaped. */
export function parsePointer(pointer: string): string[] {
  if (pointer === '') return [];
  if (!pointer.startsWith('/')) throw new PointerSyntaxError(`JSON pointer ${JSON.stringify(pointer)} must be empty or start with "/"`);
  return pointer
    .slice(1)
    .split('/')
    .map((token) => {
      if (/~(?![01])/.test(token)) {
        throw new PointerSyntaxError(`JSON pointer ${JSON.stringify(pointer)} has a "~" not followed by 0 or 1`);
      }
      // ~1 first, then ~0: "~01" is the token "~1", not "/".
      return token.replace(/~1/g, '/').replace(/~0/g, '~');
    });
}

export function formatPointer(tokens: readonly string[]): string {
  return tokens.map((t) => '/' + t.replace(/~/g, '~0').replace(/\//g, '~1')).join('');
}

/**
 * The array index a token names, or undefined if it is not one: RFC 6901 allows "0" or
 * digits without a leading zero; "-" (one past the end) is the caller's to handle.
 */
export function arrayIndex(token: string): number | undefined {
  if (!/^(0|[1-9][0-9]*)$/.test(token)) return undefined;
  const n = Number(token);
  return Number.isSafeInteger(n) ? n : undefined;
}
