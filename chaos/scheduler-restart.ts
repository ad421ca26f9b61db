// scheduler-restart: the scheduler dies and starts again after the fault's duration,
// forgetting its assumed pods and queue: pods it had not yet bound must still be scheduled,
// and none bound twice or beyond a node's allocatable.

import { componentRestart } from './component-restart.js';

export const schedulerRestart = componentRestart('scheduler', 'the scheduler restarts with an empty cache and queue', 30_000);
