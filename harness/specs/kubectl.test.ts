// Reading kubectl's output: tables whose headers hold spaces and whose cells hold spaces
// ("1 (3s ago)"), and the Events section of describe.

import { describe, expect, it } from 'vitest';
import { parseDescribeEvents, parseTable } from './kubectl.js';

describe('kubectl output', () => {
  it('reads a table by its header columns', () => {
    const text = [
      'NAME                    READY   STATUS    RESTARTS     AGE   IP           NODE     NOMINATED NODE   READINESS GATES',
      'web-5d8f7c9b6d-abcde    1/1     Running   1 (3s ago)   20s   10.244.1.2   node-1   <none>           <none>',
      'web-5d8f7c9b6d-fghij    0/1     ImagePullBackOff   0            20s   10.244.2.2   node-2   <none>           <none>',
      '',
    ].join('\n');
    const t = parseTable(text);
    expect(t.headers).toEqual(['NAME', 'READY', 'STATUS', 'RESTARTS', 'AGE', 'IP', 'NODE', 'NOMINATED NODE', 'READINESS GATES']);
    expect(t.rows[0]).toEqual(['web-5d8f7c9b6d-abcde', '1/1', 'Running', '1 (3s ago)', '20s', '10.244.1.2', 'node-1', '<none>', '<none>']);
    expect(t.rows).toHaveLength(2);
  });

  it('reads no rows from nothing', () => {
    expect(parseTable('')).toEqual({ headers: [], rows: [] });
  });

  it('reads the events of describe', () => {
    const text = `Name:             greeter
Namespace:        default
Containers:
  main:
    Image:          busybox:1.36
Events:
  Type     Reason     Age               From               Message
  ----     ------     ----              ----               -------
  Normal   Scheduled  12s               default-scheduler  Successfully assigned default/greeter to node-3
  Normal   Pulled     11s (x2 over 12s)  kubelet            Container image "busybox:1.36" already present on machine
  Warning  BackOff    2s                kubelet            Back-off restarting failed container main in pod greeter_default(1234)
`;
    expect(parseDescribeEvents(text)).toEqual([
      { type: 'Normal', reason: 'Scheduled', from: 'default-scheduler', message: 'Successfully assigned default/greeter to node-3' },
      { type: 'Normal', reason: 'Pulled', from: 'kubelet', message: 'Container image "busybox:1.36" already present on machine' },
      { type: 'Warning', reason: 'BackOff', from: 'kubelet', message: 'Back-off restarting failed container main in pod greeter_default(1234)' },
    ]);
    expect(parseDescribeEvents('Events:  <none>\n')).toEqual([]);
  });
});
