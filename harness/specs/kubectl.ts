// The real kubectl, run through execa against one cluster (its kubeconfig, a private
// discovery cache, a namespace), and readers of what it prints: `get`'s aligned table and the
// Events section of `describe`. The local target drives every step with a kubectl
// equivalent through this.

import { execa } from 'execa';
import type { DescribedEvent, PrintedTable } from './spec-driver.js';

export interface KubectlResult {
  readonly exitCode: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** One kubectl call takes 100–300 ms; a hang must not eat a spec's budget. */
const DEFAULT_TIMEOUT_MS = 30_000;

export class Kubectl {
  constructor(
    readonly kubeconfig: string,
    /** A fresh --cache-dir per cluster: kubectl caches discovery per host:port for hours. */
    readonly cacheDir: string,
    readonly namespace?: string,
  ) {}

  /** The same cluster, another namespace. */
  in(namespace: string): Kubectl {
    return new Kubectl(this.kubeconfig, this.cacheDir, namespace);
  }

  async run(args: readonly string[], options: { input?: string; timeoutMs?: number } = {}): Promise<KubectlResult> {
    const r = await execa('kubectl', ['--kubeconfig', this.kubeconfig, '--cache-dir', this.cacheDir, ...(this.namespace ? ['--namespace', this.namespace] : []), ...args], {
      reject: false,
      // `kubectl logs` output is compared as written, final newline included.
      stripFinalNewline: false,
      timeout: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
      ...(options.input !== undefined ? { input: options.input } : { stdin: 'ignore' }),
      env: { KUBECONFIG: this.kubeconfig },
    });
    return { exitCode: r.exitCode ?? (r.timedOut ? 124 : 1), stdout: String(r.stdout), stderr: r.timedOut ? `kubectl ${args.join(' ')} timed out` : String(r.stderr) };
  }
}

/**
 * kubectl's table (tabwriter: every column starts where its header starts). Headers may hold
 * single spaces ("NOMINATED NODE"); columns are at least three spaces apart.
 */
export function parseTable(text: string): PrintedTable {
  const lines = text.split('\n').filter((l) => l.trim() !== '');
  const header = lines[0];
  if (header === undefined) return { headers: [], rows: [] };
  const starts: number[] = [];
  const headers: string[] = [];
  for (const m of header.matchAll(/\S+(?: \S+)*/g)) {
    starts.push(m.index);
    headers.push(m[0]);
  }
  const rows = lines.slice(1).map((line) => starts.map((s, i) => line.slice(s, i + 1 < starts.length ? starts[i + 1] : undefined).trim()));
  return { headers, rows };
}

/** The Events section of `kubectl describe`: Type, Reason, Age, From, Message. */
export function parseDescribeEvents(text: string): DescribedEvent[] {
  const lines = text.split('\n');
  const at = lines.findIndex((l) => l.startsWith('Events:'));
  if (at < 0 || lines[at]!.includes('<none>')) return [];
  const table: string[] = [];
  for (const line of lines.slice(at + 1)) {
    if (line.trim() === '' || !line.startsWith(' ')) break;
    if (/^\s*-+(\s+-+)*\s*$/.test(line)) continue;
    table.push(line);
  }
  const t = parseTable(table.join('\n'));
  const col = (row: readonly string[], name: string) => row[t.headers.indexOf(name)] ?? '';
  return t.rows.map((r) => ({ type: col(r, 'Type'), reason: col(r, 'Reason'), from: col(r, 'From'), message: col(r, 'Message') }));
}
