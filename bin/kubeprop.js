#!/usr/bin/env node
// The kubeprop command. The sources are TypeScript; tsx's loader runs them without a build step.
import { register } from 'tsx/esm/api';

register();
// A closed pipe (`kubeprop ... | head`) is not an error of ours.
process.stdout.on('error', (e) => {
  if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw e;
});
const { main } = await import('../harness/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
