import { describe, expect, it } from 'vitest';
import { emptyHistory, HistoryBuilder } from './history-builder.testing.js';
import { replayRevisions } from './revision-replay.js';

describe('replayRevisions', () => {
  it('walks revisions in order with each change\'s previous state, the state at that revision and when each object appeared', () => {
    const b = new HistoryBuilder().watch('a', { resource: 'pods' }).watch('b', { resource: 'pods' }, 50);
    b.at(100).put('Pod', 'web', { phase: 'Pending' });
    b.at(200).put('Pod', 'web', { phase: 'Running' });
    b.at(300).delete('Pod', 'web');
    const seen: string[] = [];
    const ok = replayRevisions(b.build(), (step, state) => {
      const [c] = step.changes;
      seen.push(`${step.rv}@${step.time}: ${c?.before?.phase ?? '-'} → ${c?.version.deleted ? 'gone' : c?.version.object.phase} (${state.objects.size} live, created at ${state.created.get(c?.version.object.uid ?? '')?.rv})`);
    });
    expect(ok).toBe(true);
    expect(seen).toEqual(['2@100: - → Pending (1 live, created at 2)', '3@200: Pending → Running (1 live, created at 2)', '4@300: Running → gone (0 live, created at 2)']);
  });

  it('says when nothing was observed', () => {
    expect(replayRevisions(emptyHistory(), () => undefined)).toBe(false);
  });
});
