// Decodes request bodies by content type: JSON, YAML (as upstream accepts it) and the
// Kubernetes protobuf envelope that kubectl's typed client sends. Anything else is 415;
// malformed bodies are 400 BadRequest, never a server error.

import { Lexer, parse as parseYaml } from 'yaml';
import { decodeKubernetesProtobuf, ProtobufDecodeError } from './protobuf/index.js';
import { ApiError } from './status.js';

export const PATCH_TYPES = [
  'application/json-patch+json',
  'application/merge-patch+json',
  'application/strategic-merge-patch+json',
  'application/apply-patch+yaml',
] as const;
export type PatchType = (typeof PATCH_TYPES)[number];

export function mediaType(contentType: string | undefined): string {
  return (contentType ?? '').split(';')[0]!.trim().toLowerCase();
}

/**
 * Bodies nested deeper than this are refused (400) before anything recurses into them.
 * Upstream's decoders stop at 10000, but this server's recursive admission and patching
 * overflow the stack near 5000 levels and the yaml library's composer near 800, and a stack
 * exhausted inside the yaml library can abort the whole process. Real objects stay under 50.
 */
export const MAX_NESTING_DEPTH = 256;

function tooDeep(): ApiError {
  return ApiError.badRequest(`the request body is nested deeper than ${MAX_NESTING_DEPTH} levels`);
}

/** Fails when a decoded value is nested deeper than the limit (iteratively: the value may be deep). */
function checkNesting(value: unknown): void {
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length > 0) {
    const [v, depth] = stack.pop()!;
    if (typeof v !== 'object' || v === null) continue;
    if (depth >= MAX_NESTING_DEPTH) throw tooDeep();
    for (const child of Array.isArray(v) ? v : Object.values(v)) stack.push([child, depth + 1]);
  }
}

/**
 * Fails when a YAML text may nest deeper than the limit, before the (recursive) parser runs:
 * from the yaml lexer's tokens (linear, no recursion), an upper bound of the nesting at each
 * token is the open flow collections plus the line's indentation and block indicators (every
 * block level takes at least one column of them), plus two for a mapping on the same line.
 */
function checkYamlNesting(s: string): void {
  let flow = 0;
  let lead = 0;
  let atLineStart = true;
  for (const token of new Lexer().lex(s)) {
    const newline = token.lastIndexOf('\n');
    if (newline >= 0) {
      // A newline, or a scalar spanning lines: what follows starts a line at this column.
      lead = token.length - newline - 1;
      atLineStart = true;
      continue;
    }
    // The lexer's control tokens (document start, scalar, flow error) take no room.
    if (token.length === 1 && token < ' ' && token !== '\t') continue;
    if (atLineStart && (/^[ \t]+$/.test(token) || token === '-' || token === '?' || token === ':' || token === '---')) {
      lead += token.length;
      continue;
    }
    atLineStart = false;
    if (token === '[' || token === '{') flow++;
    else if ((token === ']' || token === '}') && flow > 0) flow--;
    if (lead + flow + 2 > MAX_NESTING_DEPTH) throw tooDeep();
  }
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

function text(body: Uint8Array): string {
  try {
    return utf8.decode(body);
  } catch {
    throw ApiError.badRequest('the request body is not valid UTF-8');
  }
}

export function parseJson(body: Uint8Array, what = 'object'): unknown {
  const s = text(body);
  let value: unknown;
  try {
    value = JSON.parse(s);
  } catch (e) {
    throw ApiError.badRequest(`couldn't get version/kind; json parse error: ${(e as Error).message} (while decoding ${what})`);
  }
  checkNesting(value);
  return value;
}

export function parseYamlBody(body: Uint8Array): unknown {
  const s = text(body);
  checkYamlNesting(s);
  let value: unknown;
  try {
    value = parseYaml(s, { maxAliasCount: 100, uniqueKeys: true });
  } catch (e) {
    throw ApiError.badRequest(`error converting YAML to JSON: ${(e as Error).message.split('\n')[0]}`);
  }
  // Aliases can nest what the text does not.
  checkNesting(value);
  return value;
}

/** An object body of POST/PUT. */
export function decodeObjectBody(contentType: string | undefined, body: Uint8Array | undefined): Record<string, unknown> {
  if (!body || body.length === 0) throw ApiError.badRequest('the request body is empty; an object is required');
  const type = mediaType(contentType);
  // No Content-Type means JSON (as upstream); one that names no media type ("; x") is unsupported.
  if (type === '' && (contentType ?? '').trim() !== '') throw ApiError.unsupportedMediaType(contentType ?? '');
  let value: unknown;
  if (type === 'application/json' || type === '') value = parseJson(body);
  else if (type === 'application/yaml' || type === 'application/x-yaml' || type === 'text/yaml') value = parseYamlBody(body);
  else if (type === 'application/vnd.kubernetes.protobuf') {
    try {
      const decoded = decodeKubernetesProtobuf(body);
      value = { apiVersion: decoded.apiVersion, kind: decoded.kind, ...decoded.object };
    } catch (e) {
      if (e instanceof ProtobufDecodeError) {
        if (e.unsupportedKind) throw new ApiError(415, 'UnsupportedMediaType', e.message);
        throw ApiError.badRequest(e.message);
      }
      throw e;
    }
  } else throw ApiError.unsupportedMediaType(type);
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw ApiError.badRequest('the request body must be a JSON object');
  }
  return value as Record<string, unknown>;
}

/** A PATCH body: its patch type and parsed value. */
export function decodePatchBody(contentType: string | undefined, body: Uint8Array | undefined): { type: PatchType; patch: unknown } {
  const type = mediaType(contentType);
  if (!(PATCH_TYPES as readonly string[]).includes(type)) {
    throw new ApiError(415, 'UnsupportedMediaType', `the body of the request was in an unknown format - accepted media types include: ${PATCH_TYPES.join(', ')}`);
  }
  if (!body || body.length === 0) throw ApiError.badRequest('the request body is empty; a patch is required');
  const patch = type === 'application/apply-patch+yaml' ? parseYamlBody(body) : parseJson(body, 'patch');
  return { type: type as PatchType, patch };
}
