// apiserver-restart: the API server process dies and starts again after the fault's
// duration, keeping the store (as a restarted kube-apiserver keeps etcd). Every client's
// requests fail meanwhile and every watch breaks; clients must resume or relist.

import { componentRestart } from './component-restart.js';

export const apiserverRestart = componentRestart('apiserver', 'the API server restarts; the store is kept', 20_000);
