import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Environment, readSettings, serverSettings } from '../../src/config/settings';

const env: Environment = {
  trusted: true,
  selectedInterpreter: null,
  workspaceRoot: '/work/app',
  gpuPanelOpen: false,
  homeDir: '/home/me',
};

function reader(values: Record<string, unknown>) {
  return (section: string) => values[section];
}

test('defaults become the server settings, trusted and with no interpreter', () => {
  const s = serverSettings(readSettings(reader({})), env);
  assert.deepEqual(s, {
    trusted: true,
    debounce: 50,
    maxDocumentSize: 10485760,
    severity: {},
    python: '',
    gpu: { enabled: false, interval: 2, replay: null },
  });
});

test('severity keeps known codes and levels only; numbers are clamped', () => {
  const s = readSettings(
    reader({
      severity: { 'unknown-member': 'warning', 'undefined-name': 'off', 'made-up': 'error', 'unresolved-module': 'loud' },
      debounce: -5,
      'context.budget': 10,
      'gpu.interval': 'fast',
    }),
  );
  assert.deepEqual(s.severity, { 'unknown-member': 'warning', 'undefined-name': 'off' });
  assert.equal(s.debounce, 0);
  assert.equal(s.contextBudget, 100);
  assert.equal(s.gpu.interval, 2);
});

test('the python setting wins over the Python extension; relative paths resolve against the workspace', () => {
  const withSelected = { ...env, selectedInterpreter: '/opt/venv/bin/python' };
  assert.equal(serverSettings(readSettings(reader({})), withSelected).python, '/opt/venv/bin/python');
  assert.equal(serverSettings(readSettings(reader({ python: '.venv' })), withSelected).python, '/work/app/.venv');
  assert.equal(serverSettings(readSettings(reader({ python: '~/envs/x/bin/python' })), env).python, '/home/me/envs/x/bin/python');
  assert.equal(serverSettings(readSettings(reader({ python: 'python3.12' })), env).python, 'python3.12');
  // The Python extension's bare default ("python") is not a selection.
  assert.equal(serverSettings(readSettings(reader({})), { ...env, selectedInterpreter: 'python' }).python, '');
});

test('an untrusted workspace is sent trusted: false', () => {
  assert.equal(serverSettings(readSettings(reader({})), { ...env, trusted: false }).trusted, false);
});

test('the GPU feed runs while the panel is open, and a replay path resolves', () => {
  const s = readSettings(reader({ 'gpu.replay': 'traces/leak.jsonl', 'gpu.interval': 0.5 }));
  assert.deepEqual(serverSettings(s, { ...env, gpuPanelOpen: true }).gpu, {
    enabled: true,
    interval: 0.5,
    replay: '/work/app/traces/leak.jsonl',
  });
  assert.equal(serverSettings(s, env).gpu.enabled, false);
});
