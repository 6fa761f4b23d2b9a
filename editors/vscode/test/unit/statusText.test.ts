import assert from 'node:assert/strict';
import { test } from 'node:test';
import { StatusState, statusView } from '../../src/status/statusText';

const base: StatusState = {
  server: 'running',
  indexing: null,
  findings: 0,
  filesWithFindings: 0,
  trusted: true,
  detail: null,
};

test('indexing progress, then the number of hallucinated calls', () => {
  const indexing = statusView({ ...base, indexing: { title: 'Grounded: indexing demo', message: '3/6 files', percentage: 50 } });
  assert.equal(indexing.text, '$(sync~spin) Grounded: indexing 50%');
  assert.match(indexing.tooltip, /indexing demo: 3\/6 files/);
  const found = statusView({ ...base, findings: 12, filesWithFindings: 5 });
  assert.equal(found.text, '$(warning) Grounded: 12');
  assert.match(found.tooltip, /12 calls to APIs that do not exist, in 5 files/);
  assert.equal(found.action, 'problems');
  assert.equal(statusView({ ...base, findings: 1, filesWithFindings: 1 }).tooltip.startsWith('1 call '), true);
  assert.equal(statusView(base).text, '$(pass) Grounded');
});

test('an untrusted workspace says so', () => {
  const v = statusView({ ...base, trusted: false, findings: 2, filesWithFindings: 1 });
  assert.equal(v.text, '$(shield) $(warning) Grounded: 2 (restricted)');
  assert.match(v.tooltip, /not trusted.*never runs its Python interpreter/);
});

test('a stopped or missing server is an error the click fixes', () => {
  const missing = statusView({ ...base, server: 'missing', detail: 'not found' });
  assert.equal(missing.action, 'settings');
  assert.equal(missing.alarm, 'error');
  const stopped = statusView({ ...base, server: 'stopped' });
  assert.equal(stopped.action, 'restart');
  assert.equal(statusView({ ...base, server: 'restarting' }).alarm, 'warning');
});
