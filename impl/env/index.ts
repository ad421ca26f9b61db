// The Env seams (clock, timers, random, network, processes) and live mode's Env. The sim
// kernel (impl/sim) hands out the same seams over virtual time.

export type { Clock, Millis } from './clock.js';
export type { Env, ProcessExit, ProcessHandle } from './env.js';
export { createLiveEnv, type LiveEnv, type LiveEnvOptions } from './live.js';
export {
  NetworkError,
  isStreamReply,
  streamReply,
  type CallOptions,
  type Listener,
  type MessageHandler,
  type Network,
  type NetworkErrorCode,
  type RemoteStream,
  type RequestHandler,
  type StreamReply,
} from './network.js';
export { SeededRandom, type Random } from './random.js';
export type { TimerHandle, Timers } from './timers.js';
export type { BreakReason, DropReason, MessageKind, WorldEvent } from './world-event.js';
export { MemoryAppendLog, AppendLogClosedError, type AppendLog } from './append-log.js';
export { FileAppendLog } from './file-append-log.js';
export type { ApiRequest, ApiResponse, HttpHandler, ResponseStream } from './http.js';
