// The in-process network behind the Network seam: addresses served or listened on by
// processes, calls with timeouts, one-way messages and streamed replies, carried as
// scheduled deliveries. A LinkPolicy decides each message's loss and delay (seeded in sim,
// none in live), and a partition or a process's death breaks what crosses it.
//
// Rules, in one place:
// - Payloads are copied (structuredClone) when sent; the receiver gets the only reference.
// - A lost message (random loss or a cut link, checked when sent and again when it arrives)
//   is simply gone. A call therefore fails with 'timeout' when its timeoutMs is up; nothing
//   else tells the caller. Messages between a process and itself are never lost or cut.
// - A call reaching an address nobody serves comes back as 'unreachable' (a refused
//   connection): the refusal travels back with a delay, is never randomly lost, but a cut
//   link eats it (then: timeout). A one-way message to such an address is dropped.
// - If the server process ends while handling a call, the caller gets 'closed' (a reset).
// - A handler's exception is sent back: the call rejects with a copy of it.
// - A stream is one connection: its opening, items and end travel in FIFO order, each with its
//   own delay but never overtaking the one before; items are not randomly lost. The opening
//   may be lost like a reply (the caller times out, the server sees its stream closed).
//   A partition between the two ends, a reset (resetStreams), or the death of either, breaks
//   it at once: the caller still reads the items that had arrived, then
//   NetworkError('closed'); the server's onClose runs (if the server is alive) and its item
//   iterator is returned.
//   The caller's close() reaches the server after a delay and then runs onClose there.

import type { Millis } from './clock.js';
import type { LinkPolicy } from './link-policy.js';
import {
  NetworkError,
  isStreamReply,
  type CallOptions,
  type Listener,
  type MessageHandler,
  type Network,
  type RemoteStream,
  type RequestHandler,
  type StreamReply,
} from './network.js';
import { cloneFailure, clonePayload } from './payload.js';
import { errorText, type ProcessScope } from './process-scope.js';
import { StreamInbox } from './remote-stream.js';
import type { Scheduled, Scheduler } from './scheduler.js';
import { NO_PAYLOAD, type BreakReason, type DropReason, type MessageKind, type WorldObserver } from './world-event.js';

/** Calls without a timeoutMs give up after this long, as the Network seam documents. */
const DEFAULT_TIMEOUT_MS = 10_000;

/**
 * At most this many items of one stream travel at once; the server's iterator is not pulled
 * further until some arrive. Like a TCP window, it keeps an endless producer from flooding the
 * event queue while still letting a burst go out back to back.
 */
const STREAM_WINDOW = 64;

interface Registration<H> {
  readonly owner: ProcessScope;
  readonly handler: H;
}

/** A message on its way; `to` is filled in on arrival for messages to whoever holds an address. */
interface Envelope {
  readonly m: number;
  readonly kind: MessageKind;
  readonly from: string | null;
  to: string | null;
  readonly addr: string;
}

/** The caller's side of a call: settled once, by the answer, the timeout or the caller's death. */
interface PendingCall {
  readonly id: number;
  readonly caller: ProcessScope;
  readonly addr: string;
  readonly wantsStream: boolean;
  done: boolean;
  readonly resolve: (value: unknown) => void;
  readonly reject: (error: unknown) => void;
  timer: Scheduled | null;
  unhold: () => void;
}

/** The server's side of a call while its handler runs; inactive once answered or the server ended. */
interface ServedCall {
  readonly call: PendingCall;
  readonly server: ProcessScope;
  active: boolean;
  unhold: () => void;
}

type StreamMessage =
  | { readonly kind: 'open' }
  | { readonly kind: 'item'; readonly value: unknown; readonly n: number }
  | { readonly kind: 'end' }
  | { readonly kind: 'fail'; readonly error: string };

/**
 * A streamed reply in flight. `open`: the server's iterator is being pulled; `ending`: its end
 * (or failure) is queued; `done`: ended, broken or closed, and nothing more moves.
 */
interface ServedStream {
  readonly call: PendingCall;
  readonly server: ProcessScope;
  readonly reply: StreamReply;
  readonly inbox: StreamInbox;
  iterator: AsyncIterator<unknown> | null;
  /** Messages scheduled but not yet arrived, oldest first: each arrival takes the head. */
  readonly queue: StreamMessage[];
  /** Arrival time of the newest queued message: the next one may not arrive earlier. */
  lastAt: Millis;
  inFlight: number;
  produced: number;
  state: 'open' | 'ending' | 'done';
  opened: boolean;
  pulling: boolean;
  unholdServer: () => void;
  unholdClient: () => void;
}

const INERT_LISTENER: Listener = { close: () => {} };

/** What a dead process's pending awaits become: a promise that never settles. */
function never<T>(): Promise<T> {
  return new Promise<T>(() => {});
}

function endReason(scope: ProcessScope): BreakReason {
  const kind = scope.exit?.kind;
  return kind === 'killed' ? 'killed' : kind === 'failed' ? 'failed' : 'exited';
}

export class LocalNetwork {
  private readonly servers = new Map<string, Registration<RequestHandler>>();
  private readonly listeners = new Map<string, Registration<MessageHandler>>();
  /** Open streams, scanned when a partition starts. */
  private readonly streams = new Set<ServedStream>();
  private nextMessage = 1;

  constructor(
    private readonly scheduler: Scheduler,
    private readonly links: LinkPolicy,
    private readonly observe: WorldObserver | null,
  ) {}

  /** The Network seam as process `scope` sees it. */
  bind(scope: ProcessScope): Network {
    return {
      serve: (address, handler) => this.register(this.servers, scope, address, handler, 'served'),
      listen: (address, handler) => this.register(this.listeners, scope, address, handler, 'listened on'),
      call: <T>(address: string, request: unknown, options?: CallOptions) =>
        this.call(scope, address, request, options, false) as Promise<T>,
      openStream: <T>(address: string, request: unknown, options?: CallOptions) =>
        this.call(scope, address, request, options, true) as Promise<RemoteStream<T>>,
      send: (address, message) => this.send(scope, address, message),
    };
  }

  /** Breaks every stream whose two ends the links now cut; called when a partition starts. */
  breakCutStreams(): void {
    for (const stream of [...this.streams]) {
      if (this.isCut(stream.server.name, stream.call.caller.name)) this.breakStream(stream, 'partition', null);
    }
  }

  /** Breaks every stream between a process named in `a` and one named in `b` (a connection reset); returns how many. */
  resetStreams(a: readonly string[], b: readonly string[]): number {
    const inA = new Set(a);
    const inB = new Set(b);
    let broken = 0;
    for (const stream of [...this.streams]) {
      const server = stream.server.name;
      const client = stream.call.caller.name;
      if ((inA.has(server) && inB.has(client)) || (inB.has(server) && inA.has(client))) {
        this.breakStream(stream, 'reset', null);
        broken++;
      }
    }
    return broken;
  }

  private register<H>(
    map: Map<string, Registration<H>>,
    scope: ProcessScope,
    addr: string,
    handler: H,
    what: string,
  ): Listener {
    if (!scope.alive) return INERT_LISTENER;
    const taken = map.get(addr);
    if (taken) throw new Error(`address ${addr} is already ${what} by ${taken.owner.name}`);
    const registration: Registration<H> = { owner: scope, handler };
    map.set(addr, registration);
    const release = (): void => {
      if (map.get(addr) === registration) map.delete(addr);
    };
    const unhold = scope.hold(release);
    return {
      close: () => {
        release();
        unhold();
      },
    };
  }

  private send(scope: ProcessScope, addr: string, message: unknown): void {
    if (!scope.alive) return;
    const payload = clonePayload(message);
    const envelope = this.envelope(this.nextMessage++, 'send', scope.name, this.listeners.get(addr)?.owner.name ?? null, addr);
    this.transmit(envelope, true, () => {
      const listener = this.listeners.get(addr);
      envelope.to = listener?.owner.name ?? null;
      if (!listener) return this.dropped(envelope, 'no-listener');
      if (this.isCut(envelope.from, envelope.to)) return this.dropped(envelope, 'partition');
      this.delivered(envelope, 0, payload);
      listener.owner.run(() => listener.handler(payload, scope.name));
    });
  }

  private call(
    scope: ProcessScope,
    addr: string,
    request: unknown,
    options: CallOptions | undefined,
    wantsStream: boolean,
  ): Promise<unknown> {
    if (!scope.alive) return never();
    let payload: unknown;
    try {
      payload = clonePayload(request);
    } catch (error) {
      return Promise.reject(error);
    }
    const timeoutMs = Math.max(0, options?.timeoutMs ?? DEFAULT_TIMEOUT_MS);
    return new Promise((resolve, reject) => {
      const call: PendingCall = {
        id: this.nextMessage++,
        caller: scope,
        addr,
        wantsStream,
        done: false,
        resolve,
        reject,
        timer: null,
        unhold: () => {},
      };
      // The caller's death forgets the call: its promise never settles.
      call.unhold = scope.hold(() => {
        call.done = true;
        call.timer?.cancel();
      });
      if (timeoutMs !== Infinity) {
        call.timer = this.scheduler.schedule(timeoutMs, scope, () => {
          if (call.done) return;
          this.finish(call);
          this.observe?.({ t: this.scheduler.now(), k: 'timeout', m: call.id, p: scope.name, addr }, NO_PAYLOAD);
          reject(new NetworkError('timeout', `call to ${addr} timed out after ${timeoutMs} ms`));
        });
      }
      const envelope = this.envelope(call.id, 'call', scope.name, this.servers.get(addr)?.owner.name ?? null, addr);
      this.transmit(envelope, true, () => this.arriveCall(call, envelope, payload));
    });
  }

  private arriveCall(call: PendingCall, envelope: Envelope, payload: unknown): void {
    const server = this.servers.get(call.addr);
    envelope.to = server?.owner.name ?? null;
    if (!server) {
      this.dropped(envelope, 'no-listener');
      this.answer(call, null, 'refused', NO_PAYLOAD);
      return;
    }
    if (this.isCut(envelope.from, envelope.to)) return this.dropped(envelope, 'partition');
    this.delivered(envelope, 0, payload);
    const served: ServedCall = { call, server: server.owner, active: true, unhold: () => {} };
    served.unhold = server.owner.hold(() => {
      served.active = false;
      this.answer(call, server.owner, 'closed', NO_PAYLOAD);
    });
    // The handler is the server's code; a synchronous throw counts as its rejection.
    let result: Promise<unknown>;
    try {
      result = Promise.resolve(server.handler(payload, call.caller.name));
    } catch (error) {
      result = Promise.reject(error);
    }
    result.then(
      (value) => this.handled(served, value, false),
      (error: unknown) => this.handled(served, error, true),
    );
  }

  private handled(served: ServedCall, outcome: unknown, failed: boolean): void {
    // An inactive call's server has ended, and the caller was already told 'closed'.
    if (!served.active) return;
    served.active = false;
    served.unhold();
    if (failed) return this.answer(served.call, served.server, 'error', cloneFailure(outcome));
    if (isStreamReply(outcome)) return this.openStream(served, outcome);
    let payload: unknown;
    try {
      payload = clonePayload(outcome);
    } catch (error) {
      return this.answer(served.call, served.server, 'error', cloneFailure(error));
    }
    this.answer(served.call, served.server, 'reply', payload);
  }

  /** Sends the answer to a call back to its caller (`from` is null for a refusal: nobody served it). */
  private answer(call: PendingCall, from: ProcessScope | null, kind: MessageKind, payload: unknown): void {
    // Sent even if the caller already gave up: the server cannot know, and the trace shows it dropped late.
    const envelope = this.envelope(call.id, kind, from?.name ?? null, call.caller.name, call.addr);
    const lossy = kind === 'reply' || kind === 'error';
    this.transmit(envelope, lossy, () => {
      if (this.isCut(envelope.from, envelope.to)) return this.dropped(envelope, 'partition');
      if (call.done) return this.dropped(envelope, 'late');
      this.finish(call);
      this.delivered(envelope, 0, payload);
      if (kind === 'reply') {
        if (call.wantsStream) call.reject(new TypeError(`${call.addr} answered openStream without a stream`));
        else call.resolve(payload);
      } else if (kind === 'error') {
        call.reject(payload);
      } else if (kind === 'refused') {
        call.reject(new NetworkError('unreachable', `nothing serves ${call.addr}`));
      } else {
        call.reject(new NetworkError('closed', `${call.addr} went away during the call`));
      }
    });
  }

  private finish(call: PendingCall): void {
    call.done = true;
    call.timer?.cancel();
    call.unhold();
  }

  private openStream(served: ServedCall, reply: StreamReply): void {
    const { call, server } = served;
    const client = call.caller;
    const stream: ServedStream = {
      call,
      server,
      reply,
      inbox: new StreamInbox(() => this.closeFromClient(stream)),
      iterator: null,
      queue: [],
      lastAt: this.scheduler.now(),
      inFlight: 0,
      produced: 0,
      state: 'open',
      opened: false,
      pulling: false,
      unholdServer: () => {},
      unholdClient: () => {},
    };
    this.streams.add(stream);
    stream.unholdServer = server.hold(() => this.breakStream(stream, endReason(server), 'server'));
    stream.unholdClient = client.hold(() => this.breakStream(stream, endReason(client), 'client'));
    // The opening is the stream's first message and the reply to the call: it can be lost
    // like any reply, and then the connection is gone.
    const envelope = this.envelope(call.id, 'open', server.name, client.name, call.addr);
    if (server.name !== client.name) {
      if (this.links.lose(server.name, client.name)) {
        this.dropped(envelope, 'rate');
        return this.breakStream(stream, 'lost', null);
      }
      if (this.links.cut(server.name, client.name)) {
        this.dropped(envelope, 'partition');
        return this.breakStream(stream, 'partition', null);
      }
    }
    this.enqueue(stream, { kind: 'open' });
    try {
      stream.iterator = reply.items[Symbol.asyncIterator]();
    } catch (error) {
      stream.state = 'ending';
      return this.enqueue(stream, { kind: 'fail', error: errorText(error) });
    }
    this.pump(stream);
  }

  /** Pulls the server's next item (in the server's microtasks) until the window is full. */
  private pump(stream: ServedStream): void {
    const iterator = stream.iterator;
    if (!iterator || stream.pulling || stream.state !== 'open' || stream.inFlight >= STREAM_WINDOW) return;
    if (!stream.server.alive) return;
    stream.pulling = true;
    let next: Promise<IteratorResult<unknown>>;
    try {
      next = Promise.resolve(iterator.next());
    } catch (error) {
      next = Promise.reject(error);
    }
    next.then(
      (result) => {
        stream.pulling = false;
        if (stream.state !== 'open') return;
        if (result.done) {
          stream.state = 'ending';
          return this.enqueue(stream, { kind: 'end' });
        }
        let value: unknown;
        try {
          value = clonePayload(result.value);
        } catch (error) {
          stream.state = 'ending';
          return this.enqueue(stream, { kind: 'fail', error: errorText(error) });
        }
        stream.inFlight++;
        this.enqueue(stream, { kind: 'item', value, n: ++stream.produced });
        this.pump(stream);
      },
      (error: unknown) => {
        stream.pulling = false;
        if (stream.state !== 'open') return;
        stream.state = 'ending';
        this.enqueue(stream, { kind: 'fail', error: errorText(error) });
      },
    );
  }

  /**
   * Queues a stream message. It gets its own delay but may not arrive before the previous
   * one; and since events due at the same instant run in seeded order, each arrival delivers
   * the queue's head rather than "its" message, which keeps FIFO even among ties.
   */
  private enqueue(stream: ServedStream, message: StreamMessage): void {
    const now = this.scheduler.now();
    const at = Math.max(now + this.links.delay(stream.server.name, stream.call.caller.name, true), stream.lastAt);
    stream.lastAt = at;
    stream.queue.push(message);
    this.scheduler.schedule(at - now, null, () => this.arriveStream(stream));
  }

  private arriveStream(stream: ServedStream): void {
    if (stream.state === 'done') return;
    const message = stream.queue.shift();
    if (!message) return;
    const { call, server } = stream;
    const client = call.caller;
    // Partitions break streams when they start; this only guards a policy changed behind our back.
    if (this.isCut(server.name, client.name)) return this.breakStream(stream, 'partition', null);
    const envelope = this.envelope(call.id, message.kind, server.name, client.name, call.addr);
    switch (message.kind) {
      case 'open':
        if (call.done) {
          this.dropped(envelope, 'late');
          return this.breakStream(stream, 'late', null);
        }
        this.finish(call);
        stream.opened = true;
        this.delivered(envelope, 0, NO_PAYLOAD);
        call.resolve(stream.inbox);
        return;
      case 'item':
        stream.inFlight--;
        if (stream.inbox.accepting) {
          this.delivered(envelope, message.n, message.value);
          stream.inbox.push(message.value);
        } else {
          this.dropped(envelope, 'closed');
        }
        return this.pump(stream);
      case 'end':
      case 'fail':
        this.retire(stream);
        if (!stream.inbox.accepting) return this.dropped(envelope, 'closed');
        if (message.kind === 'end') {
          this.delivered(envelope, 0, NO_PAYLOAD);
          stream.inbox.end();
        } else {
          this.delivered(envelope, 0, message.error);
          stream.inbox.fail(new NetworkError('closed', `stream from ${call.addr} failed: ${message.error}`));
        }
    }
  }

  /** The caller closed its end: tell the server, after a delay like any message. */
  private closeFromClient(stream: ServedStream): void {
    if (stream.state === 'done') return;
    const envelope = this.envelope(stream.call.id, 'close', stream.call.caller.name, stream.server.name, stream.call.addr);
    this.transmit(envelope, false, () => {
      if (stream.state === 'done') return;
      this.retire(stream);
      this.delivered(envelope, 0, NO_PAYLOAD);
      this.closeServerEnd(stream);
    });
  }

  /**
   * Breaks a stream at once. `deadEnd` names the end whose process ended, if that is the cause:
   * the survivor hears of it, the dead end runs nothing.
   */
  private breakStream(stream: ServedStream, why: BreakReason, deadEnd: 'server' | 'client' | null): void {
    if (stream.state === 'done') return;
    this.retire(stream);
    const { call, server } = stream;
    const client = call.caller;
    this.observe?.(
      { t: this.scheduler.now(), k: 'break', m: call.id, client: client.name, server: server.name, addr: call.addr, why },
      NO_PAYLOAD,
    );
    if (client.alive) {
      if (stream.opened) stream.inbox.fail(new NetworkError('closed', `stream from ${call.addr} broke (${why})`));
      // Not yet opened: like a call whose server died, or else the caller waits for its timeout.
      else if (deadEnd === 'server') this.answer(call, server, 'closed', NO_PAYLOAD);
    }
    // The server's close hook is its own code: it runs as its own event, not inside whoever broke the stream.
    if (server.alive) this.scheduler.schedule(0, server, () => this.closeServerEnd(stream));
  }

  private retire(stream: ServedStream): void {
    stream.state = 'done';
    stream.queue.length = 0;
    this.streams.delete(stream);
    stream.unholdServer();
    stream.unholdClient();
  }

  /** Runs the server's onClose and returns its item iterator (which runs its finally blocks). */
  private closeServerEnd(stream: ServedStream): void {
    const { server, reply, iterator } = stream;
    server.run(() => {
      reply.onClose?.();
      if (iterator?.return) Promise.resolve(iterator.return()).catch((error: unknown) => server.crash(error));
    });
  }

  /**
   * Sends a message through the links: lost at random (if lossy) or to a cut link now, or
   * scheduled to arrive after its delay. A message to an address nobody holds yet has no
   * known receiver, so only random loss applies until it arrives.
   */
  private transmit(envelope: Envelope, lossy: boolean, arrive: () => void): void {
    const { from, to } = envelope;
    if (from !== null && from !== to) {
      if (lossy && this.links.lose(from, to ?? '')) return this.dropped(envelope, 'rate');
      if (to !== null && this.links.cut(from, to)) return this.dropped(envelope, 'partition');
    }
    this.scheduler.schedule(this.links.delay(from ?? '', to ?? ''), null, arrive);
  }

  private isCut(from: string | null, to: string | null): boolean {
    return from !== null && to !== null && from !== to && this.links.cut(from, to);
  }

  private envelope(m: number, kind: MessageKind, from: string | null, to: string | null, addr: string): Envelope {
    return { m, kind, from, to, addr };
  }

  private delivered(envelope: Envelope, n: number, payload: unknown): void {
    const { m, kind, from, to, addr } = envelope;
    this.observe?.({ t: this.scheduler.now(), k: 'deliver', m, kind, from, to: to ?? '', addr, n }, payload);
  }

  private dropped(envelope: Envelope, why: DropReason): void {
    const { m, kind, from, to, addr } = envelope;
    this.observe?.({ t: this.scheduler.now(), k: 'drop', m, kind, from, to, addr, why }, NO_PAYLOAD);
  }
}
