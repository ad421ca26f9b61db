// The audit log: one record per request, naming who did what and which store revision the
// request wrote. The store-only-via-apiserver checker matches every store revision to
// exactly one of these records.

export interface AuditRecord {
  readonly auditID: string;
  /** Virtual or wall time in ms when the response completed. */
  readonly time: number;
  readonly user: string;
  readonly groups: readonly string[];
  readonly verb: string;
  readonly path: string;
  readonly group?: string;
  readonly resource?: string;
  readonly subresource?: string;
  readonly namespace?: string;
  readonly name?: string;
  readonly code: number;
  /** Store revisions this request wrote (usually zero or one). */
  readonly revisions: readonly number[];
  readonly userAgent?: string;
}

export interface AuditSink {
  record(r: AuditRecord): void;
}

/** Keeps records in memory (sim, tests); `records` is read by histories. */
export class MemoryAuditSink implements AuditSink {
  readonly records: AuditRecord[] = [];

  record(r: AuditRecord): void {
    this.records.push(r);
  }
}

/** Forwards to several sinks (memory for the harness and a file in live mode). */
export class TeeAuditSink implements AuditSink {
  constructor(private readonly sinks: readonly AuditSink[]) {}

  record(r: AuditRecord): void {
    for (const s of this.sinks) s.record(r);
  }
}
