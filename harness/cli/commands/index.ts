// The registered kubeprop commands, in the order `kubeprop --help` lists them.

import type { Command } from '../command.js';
import { apiserverCommand } from './apiserver.js';
import { controllerManagerCommand } from './controller-manager.js';
import { demoCommand } from './demo.js';
import { fuzzCommand } from './fuzz.js';
import { mutantsCommand } from './mutants.js';
import { kubeletCommand } from './kubelet.js';
import { replayCommand } from './replay.js';
import { reportCommand } from './report.js';
import { runCommand } from './run.js';
import { schedulerCommand } from './scheduler.js';
import { upCommand } from './up.js';

export const commands: readonly Command[] = [fuzzCommand, replayCommand, runCommand, mutantsCommand, reportCommand, upCommand, demoCommand, apiserverCommand, controllerManagerCommand, schedulerCommand, kubeletCommand];
