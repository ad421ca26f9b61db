// `npm run bench [-- NAME...]`: runs the registered benchmarks (all by default), prints each
// one's table and writes its results as JSON to out/bench/NAME-TIMESTAMP.json and NAME-latest.json.
// A new benchmark is a file exporting a Benchmark, added to BENCHMARKS below.

import { mkdir, writeFile } from 'node:fs/promises';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { formatTable, type Benchmark } from './benchmark.js';
import { dockerBenchmark } from './docker-bench.js';
import { simBenchmark } from './sim-bench.js';
import { storeBenchmark } from './store-bench.js';

const BENCHMARKS: readonly Benchmark[] = [storeBenchmark, simBenchmark, dockerBenchmark];

const OUT_DIR = join('out', 'bench');

async function main(argv: readonly string[]): Promise<number> {
  if (argv.includes('--help') || argv.includes('--list')) {
    console.log('usage: npm run bench [-- NAME...]\n\nbenchmarks:');
    for (const benchmark of BENCHMARKS) console.log(`  ${benchmark.name.padEnd(12)} ${benchmark.description}`);
    return 0;
  }
  const unknown = argv.filter((name) => !BENCHMARKS.some((benchmark) => benchmark.name === name));
  if (unknown.length > 0) {
    console.error(`unknown benchmark(s): ${unknown.join(', ')}; try --list`);
    return 2;
  }
  const selected = argv.length > 0 ? BENCHMARKS.filter((benchmark) => argv.includes(benchmark.name)) : BENCHMARKS;
  await mkdir(OUT_DIR, { recursive: true });
  for (const benchmark of selected) {
    console.log(`\n== ${benchmark.name}: ${benchmark.description}`);
    const started = new Date();
    const result = await benchmark.run();
    console.log(`\n${formatTable(result.table)}`);
    for (const note of result.notes ?? []) console.log(`  note: ${note}`);
    const record = {
      benchmark: benchmark.name,
      startedAt: started.toISOString(),
      durationMs: Date.now() - started.getTime(),
      machine: { node: process.version, platform: process.platform, arch: process.arch, cpus: cpus().length, cpuModel: cpus()[0]?.model },
      table: result.table,
      notes: result.notes ?? [],
      data: result.data,
    };
    const json = `${JSON.stringify(record, null, 2)}\n`;
    const stamp = started.toISOString().replace(/[:.]/g, '-');
    await writeFile(join(OUT_DIR, `${benchmark.name}-${stamp}.json`), json);
    await writeFile(join(OUT_DIR, `${benchmark.name}-latest.json`), json);
    console.log(`  wrote ${join(OUT_DIR, `${benchmark.name}-latest.json`)}`);
  }
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
