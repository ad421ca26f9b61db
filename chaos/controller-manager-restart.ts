// controller-manager-restart: the controller-manager dies and starts again after the
// fault's duration, with empty caches and expectations: it must rebuild everything from the
// API and neither double-create nor lose track of pods.

import { componentRestart } from './component-restart.js';

export const controllerManagerRestart = componentRestart('controller-manager', 'the controller-manager restarts with empty caches', 30_000);
