// The Network seam: request/response calls, streamed replies and one-way messages
// between named addresses. In sim mode the kernel delays, drops, reorders and partitions
// them by seed; in live mode they are delivered in-process on real timers.
// (The API server's HTTP transport is a separate live adapter; this seam carries the
// same handler calls inside one process.)

/** Why a message did not arrive. */
export type NetworkErrorCode = 'unreachable' | 'timeout' | 'closed';

export class NetworkError extends Error {
  constructor(
    readonly code: NetworkErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'NetworkError';
  }
}

/** A reply that is a stream of items (a watch): delivered in order, one message each. */
export interface StreamReply {
  readonly kind: 'stream';
  /** Items produced by the server; the network delivers them in order. */
  readonly items: AsyncIterable<unknown>;
  /** Called when the caller closes the stream or the connection breaks. */
  onClose?(): void;
}

export function streamReply(items: AsyncIterable<unknown>, onClose?: () => void): StreamReply {
  return onClose ? { kind: 'stream', items, onClose } : { kind: 'stream', items };
}

export function isStreamReply(value: unknown): value is StreamReply {
  return typeof value === 'object' && value !== null && (value as { kind?: unknown }).kind === 'stream'
    && 'items' in value;
}

/** The caller's end of a streamed reply. Iteration throws NetworkError('closed') if the connection breaks. */
export interface RemoteStream<T = unknown> extends AsyncIterable<T> {
  close(): void;
}

/** Serves calls at an address. `from` is the calling process's name. */
export type RequestHandler = (request: unknown, from: string) => Promise<unknown>;
export type MessageHandler = (message: unknown, from: string) => void;

export interface Listener {
  close(): void;
}

export interface CallOptions {
  /** Give up after this long (default 10 s): a dropped request surfaces as a timeout. */
  timeoutMs?: number;
}

export interface Network {
  /** Serves request/response calls at `address` (owned by the calling process). */
  serve(address: string, handler: RequestHandler): Listener;
  /** Calls the handler at `address`; a StreamReply arrives as a RemoteStream. */
  call<T = unknown>(address: string, request: unknown, options?: CallOptions): Promise<T>;
  /** Opens a streamed call: like `call`, but the reply must be a StreamReply. */
  openStream<T = unknown>(address: string, request: unknown, options?: CallOptions): Promise<RemoteStream<T>>;
  /** Receives one-way messages at `address`. */
  listen(address: string, handler: MessageHandler): Listener;
  /** Sends a one-way message; it may be delayed, dropped or reordered. */
  send(address: string, message: unknown): void;
}
