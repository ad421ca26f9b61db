// The decoder's front door: a request body in the Kubernetes protobuf encoding in, the JSON object
// the same request would have carried as application/json out.

import { decodeMessage, type DecodeOptions } from './decode-message.js';
import { decodeEnvelope } from './envelope.js';
import { ProtobufDecodeError } from './protobuf-decode-error.js';
import { schemaFor } from './supported-kinds.js';

const PROTOBUF_MEDIA_TYPE = 'application/vnd.kubernetes.protobuf';

export interface DecodedObject {
  readonly apiVersion: string;
  readonly kind: string;
  /**
   * The object as a JSON body would carry it, `apiVersion` and `kind` included. Fields Go would
   * leave out (`omitempty` zeros, all-zero structs, the zero time) are left out; pointer fields
   * present on the wire are kept even when 0, false or "".
   */
  readonly object: Record<string, unknown>;
}

/**
 * Decodes a body sent with `Content-Type: application/vnd.kubernetes.protobuf`.
 * @throws ProtobufDecodeError: `unsupportedKind` set when the kind has no schema here (answer
 *   415), otherwise the body is malformed (answer 400); the message suits a Status as it is.
 */
export function decodeKubernetesProtobuf(body: Uint8Array, options: DecodeOptions = {}): DecodedObject {
  try {
    const envelope = decodeEnvelope(body, options);
    if (envelope.contentEncoding !== '') {
      throw new ProtobufDecodeError(`the envelope's contentEncoding is "${envelope.contentEncoding}"; only unencoded objects are accepted`);
    }
    if (envelope.contentType !== '' && envelope.contentType !== PROTOBUF_MEDIA_TYPE) {
      throw new ProtobufDecodeError(`the envelope's contentType is "${envelope.contentType}"; only ${PROTOBUF_MEDIA_TYPE} is accepted`);
    }
    const { apiVersion, kind } = envelope;
    if (apiVersion === '' || kind === '') {
      throw new ProtobufDecodeError('the envelope does not name the object\'s apiVersion and kind');
    }
    const schema = schemaFor(apiVersion, kind);
    if (schema === undefined) {
      throw new ProtobufDecodeError(`protobuf bodies of kind ${kind} (${apiVersion}) are not supported; send application/json`, true);
    }
    const decoded = decodeMessage(envelope.raw.bytes, schema, options, envelope.raw.offset);
    return { apiVersion, kind, object: { apiVersion, kind, ...decoded } };
  } catch (error) {
    if (error instanceof ProtobufDecodeError && !error.unsupportedKind) {
      throw new ProtobufDecodeError(`invalid protobuf body: ${error.message}`);
    }
    throw error;
  }
}
