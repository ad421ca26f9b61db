// `kubeprop demo`: seeded simulation runs of the reference API server under racing clients,
// each judged by three properties (see harness/demo/api-race.ts). The stepping stone to
// `kubeprop fuzz`.

import { runApiRace } from '../../demo/api-race.js';
import { intOption, parse } from '../args.js';
import { EXIT_FAILED, EXIT_OK, type Command } from '../command.js';

const usage = `Usage: kubeprop demo [--runs N] [--seed S] [--json]

Runs N seeded simulations (seeds S, S+1, ...) of the reference API server with clients
racing duplicate creates, stale updates and deletes over a simulated network, and checks
after each run: exactly one duplicate create wins; stale updates get 409 and change
nothing; a watch sees every successful write once, in order.
Exit code 0 when every run held, 1 with the first failing seed.
`;

export const demoCommand: Command = {
  name: 'demo',
  summary: 'seeded simulation runs of the API server, judged by properties',
  usage,
  async run(args) {
    const { values } = parse(args, { runs: { type: 'string' }, seed: { type: 'string' }, json: { type: 'boolean' } });
    const runs = intOption(values.runs, 'runs', 50, 1);
    const seed = intOption(values.seed, 'seed', 1);
    const started = performance.now();
    let virtualMs = 0;
    let events = 0;
    const hashes: string[] = [];
    for (let i = 0; i < runs; i++) {
      const r = await runApiRace(seed + i);
      virtualMs += r.virtualMs;
      events += r.events;
      hashes.push(r.traceHash);
      if (!values.json && process.stdout.isTTY) process.stdout.write(`\rrun ${i + 1}/${runs} seed ${r.seed}`);
      if (r.violations.length > 0) {
        if (values.json) console.log(JSON.stringify({ ok: false, runs: i + 1, seed: r.seed, violations: r.violations }));
        else {
          console.log(`\nFAILED at seed ${r.seed} (run ${i + 1}/${runs}):`);
          for (const v of r.violations) console.log(`  [${v.property}] ${v.message}`);
          console.log(`replay: npx kubeprop demo --runs 1 --seed ${r.seed}`);
        }
        return EXIT_FAILED;
      }
    }
    const wallMs = performance.now() - started;
    if (values.json) {
      console.log(JSON.stringify({ ok: true, runs, seed, events, virtualMs, wallMs: Math.round(wallMs), lastTraceHash: hashes.at(-1) }));
    } else {
      if (process.stdout.isTTY) process.stdout.write('\n');
      console.log(`${runs} runs (seeds ${seed}..${seed + runs - 1}) passed in ${(wallMs / 1000).toFixed(1)} s: ${events} simulated events, ${(virtualMs / 1000).toFixed(1)} s of virtual time`);
      console.log('  duplicate-create  ok   one create of each name wins, the rest get AlreadyExists');
      console.log('  stale-update      ok   updates from an old resourceVersion get 409 and change nothing');
      console.log('  watch             ok   every successful write is seen once, in order');
      console.log(`trace hash of the last run: ${hashes.at(-1)}`);
    }
    return EXIT_OK;
  },
};
