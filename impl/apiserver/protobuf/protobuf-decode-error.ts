// The one error the protobuf decoder throws: its message is written to be returned to the
// client as-is in a metav1.Status, and `unsupportedKind` tells the API server which code to answer.

export class ProtobufDecodeError extends Error {
  override readonly name = 'ProtobufDecodeError';

  /**
   * @param unsupportedKind true when the envelope is fine but names a kind this decoder has no
   *   schema for: answer 415 UnsupportedMediaType so the client may send JSON. Otherwise the bytes
   *   are malformed: answer 400 BadRequest.
   */
  constructor(
    message: string,
    readonly unsupportedKind = false,
  ) {
    super(message);
  }
}
