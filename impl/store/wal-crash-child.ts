// The crash test's child process: opens the embedded store over the file log in the given
// directory, continues the intended write sequence where the log left off, several writes
// in flight at once, and prints "ack <i> <revision>" for each write only after the store
// acknowledged it. The parent SIGKILLs it at a random moment.
// Run: node --import tsx impl/store/wal-crash-child.ts <dir>

import { join } from 'node:path';
import { FileAppendLog } from '../env/file-append-log.js';
import { createLiveEnv } from '../env/live.js';
import { EmbeddedStore } from './embedded-store.js';
import { performCrashWrite } from './wal-crash-workload.js';

const IN_FLIGHT = 8;
/** Stops on its own if nobody kills it (a parent that died, a run left behind). */
const GIVE_UP_MS = 60_000;

async function main(): Promise<void> {
  const dir = process.argv[2];
  if (dir === undefined) throw new Error('usage: wal-crash-child.ts <dir>');
  const env = createLiveEnv();
  env.timers.setTimer(GIVE_UP_MS, () => process.exit(3));
  const store = await EmbeddedStore.open({ clock: env.clock, timers: env.timers, log: await FileAppendLog.open(join(dir, 'wal')) });
  // Write i makes revision i + 2, so the log already holds writes 0 .. revision - 2.
  let next = (await store.revision()) - 1;
  process.stdout.write(`ready ${next}\n`);
  const writeOne = async (): Promise<void> => {
    for (;;) {
      const i = next++;
      const revision = await performCrashWrite(store, i);
      // stdout to a pipe is synchronous on Linux: once written, the parent gets it even if we die next.
      process.stdout.write(`ack ${i} ${revision}\n`);
    }
  };
  await Promise.all(Array.from({ length: IN_FLIGHT }, writeOne));
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
