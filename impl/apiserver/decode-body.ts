// Decodes request bodies by content type: JSON, YAML (as upstream accepts it) and the
// Kubernetes protobuf envelope that kubectl's typed client sends. Anything else is 415;
// malformed bodies are 400 BadRequest, never a server error.

import { parse as parseYaml } from 'yaml';
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
  try {
    return JSON.parse(s);
  } catch (e) {
    throw ApiError.badRequest(`couldn't get version/kind; json parse error: ${(e as Error).message} (while decoding ${what})`);
  }
}

export function parseYamlBody(body: Uint8Array): unknown {
  const s = text(body);
  try {
    return parseYaml(s, { maxAliasCount: 100, uniqueKeys: true });
  } catch (e) {
    throw ApiError.badRequest(`error converting YAML to JSON: ${(e as Error).message.split('\n')[0]}`);
  }
}

/** An object body of POST/PUT. */
export function decodeObjectBody(contentType: string | undefined, body: Uint8Array | undefined): Record<string, unknown> {
  if (!body || body.length === 0) throw ApiError.badRequest('the request body is empty; an object is required');
  const type = mediaType(contentType);
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
