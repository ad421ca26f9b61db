// The one error every patch algorithm throws. It carries the HTTP status the API server
// answers with, following upstream: a patch that cannot be read is 400 BadRequest, a
// well-formed patch that does not apply to the object is 422 Invalid.

export type PatchErrorReason = 'BadRequest' | 'Invalid';

export class PatchError extends Error {
  /** 400 for a malformed patch, 422 for one that does not apply. */
  readonly code: 400 | 422;

  constructor(
    readonly reason: PatchErrorReason,
    message: string,
    /** For JSON patch: the index of the operation that failed. */
    readonly opIndex?: number,
  ) {
    super(message);
    this.name = 'PatchError';
    this.code = reason === 'BadRequest' ? 400 : 422;
  }

  static badRequest(message: string, opIndex?: number): PatchError {
    return new PatchError('BadRequest', message, opIndex);
  }

  static invalid(message: string, opIndex?: number): PatchError {
    return new PatchError('Invalid', message, opIndex);
  }
}
