// The process runtime against the shared ContainerRuntime contract (runtime-contract.testing.ts).

import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { realPart } from '../../../specs/support/real-parts.js';
import { describeRuntimeContract } from '../runtime-contract.testing.js';
import type { ContainerRuntime } from '../runtime.js';
import { ProcessRuntime } from './process-runtime.js';

const haveBusybox = realPart('busybox-static (/bin/busybox)', ProcessRuntime.available(), 'apt-get install busybox-static');

const opened: ProcessRuntime[] = [];
const dirs: string[] = [];
const dataDirOf = new Map<ContainerRuntime, string>();

async function open(dataDir?: string): Promise<ProcessRuntime> {
  const dir = dataDir ?? mkdtempSync(join(tmpdir(), 'kubeprop-process-contract-'));
  if (!dataDir) dirs.push(dir);
  const runtime = await ProcessRuntime.open({ dataDir: dir, pollMs: 20 });
  opened.push(runtime);
  dataDirOf.set(runtime, dir);
  return runtime;
}

describeRuntimeContract(
  'the process runtime',
  {
    open: () => open(),
    async reopen(runtime) {
      await (runtime as ProcessRuntime).close({ killContainers: false });
      return open(dataDirOf.get(runtime));
    },
    async killFromOutside(_runtime, id) {
      spawnSync('kill', ['-9', id.slice('process://'.length)]);
    },
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
    now: () => Date.now(),
    async cleanup() {
      for (const r of opened.splice(0)) await r.close();
      for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
      dataDirOf.clear();
    },
  },
  { enabled: haveBusybox },
);
