// What the process runtime keeps about each container, in a small JSON file in the
// container's directory (written atomically), so a runtime started later — in a restarted
// kubelet — knows the containers of the one before.

import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ContainerState } from '../runtime.js';

export interface ContainerRecord {
  /** The container's directory name under <dataDir>/containers. */
  readonly key: string;
  /** process://<pid> */
  readonly id: string;
  readonly pid: number;
  /** /proc start time of the container's process, to tell it from a later process with the same pid. */
  readonly pidStartTime: string;
  readonly shimPid: number;
  readonly shimStartTime: string;
  readonly name: string;
  readonly image: string;
  readonly imageID: string;
  readonly labels: Readonly<Record<string, string>>;
  state: ContainerState;
  readonly createdAt: number;
  startedAt?: number;
  finishedAt?: number;
  exitCode?: number;
  signal?: number;
}

export const STATE_FILE = 'state.json';

export function writeRecord(dir: string, record: ContainerRecord): void {
  const tmp = join(dir, `${STATE_FILE}.tmp`);
  writeFileSync(tmp, JSON.stringify(record, null, 2));
  renameSync(tmp, join(dir, STATE_FILE));
}

export function readRecord(dir: string): ContainerRecord | undefined {
  try {
    return JSON.parse(readFileSync(join(dir, STATE_FILE), 'utf8')) as ContainerRecord;
  } catch {
    return undefined;
  }
}
