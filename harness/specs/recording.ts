// What a spec run records for the invariants while it runs, before the final state is known:
// store writes and audit records (where the target exposes them), watch events, runtime
// events, the operations the steps performed and the faults injected.

import type { AuditEntry, FaultRecord, OperationRecord, RuntimeRecord, StoreWrite, WatchObservation } from '../history/history.js';

export interface Recording {
  readonly seed?: number;
  readonly storeWrites: StoreWrite[];
  readonly audit: AuditEntry[];
  readonly watches: WatchObservation[];
  readonly runtime: RuntimeRecord[];
  readonly operations: OperationRecord[];
  readonly faults: FaultRecord[];
}

export function newRecording(seed?: number): Recording {
  return { ...(seed !== undefined ? { seed } : {}), storeWrites: [], audit: [], watches: [], runtime: [], operations: [], faults: [] };
}
