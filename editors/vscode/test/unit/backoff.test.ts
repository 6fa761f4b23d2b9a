import assert from 'node:assert/strict';
import { test } from 'node:test';
import { RestartBackoff } from '../../src/server/backoff';

test('crashes in a row back off exponentially, then give up', () => {
  const b = new RestartBackoff({ initialMs: 1000, maxMs: 5000, healthyAfterMs: 60_000, maxCrashes: 4 });
  b.started(0);
  const delays = [1, 2, 3, 4].map((i) => b.crashed(i * 100));
  assert.deepEqual(
    delays.map((d) => (d.restart ? d.delayMs : -1)),
    [1000, 2000, 4000, 5000],
  );
  assert.deepEqual(b.crashed(500), { restart: false, crashes: 4 });
});

test('a healthy run, or a restart by the user, starts over', () => {
  const b = new RestartBackoff({ initialMs: 1000, maxMs: 30_000, healthyAfterMs: 60_000, maxCrashes: 5 });
  b.started(0);
  b.crashed(10);
  b.crashed(20);
  b.started(1000);
  assert.deepEqual(b.crashed(1000 + 61_000), { restart: true, delayMs: 1000, attempt: 1 });
  b.crashed(62_100);
  b.reset();
  assert.deepEqual(b.crashed(62_200), { restart: true, delayMs: 1000, attempt: 1 });
});
