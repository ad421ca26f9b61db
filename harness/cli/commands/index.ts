// The registered kubeprop commands, in the order `kubeprop --help` lists them.

import type { Command } from '../command.js';
import { apiserverCommand } from './apiserver.js';
import { demoCommand } from './demo.js';

export const commands: readonly Command[] = [demoCommand, apiserverCommand];
