import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BinaryLookup, findServerBinary } from '../../src/server/binary';

function lookup(executables: string[], over: Partial<BinaryLookup> = {}): BinaryLookup {
  return {
    configured: '',
    extensionPath: '/ext',
    pathEnv: '/usr/local/bin:/usr/bin',
    platform: 'linux',
    isExecutable: (p) => executables.includes(p),
    ...over,
  };
}

test('the setting wins, then the bundled binary, then PATH', () => {
  const all = ['/opt/grounded', '/ext/bin/grounded', '/usr/bin/grounded'];
  assert.deepEqual(findServerBinary(lookup(all, { configured: '/opt/grounded' })), {
    found: true,
    path: '/opt/grounded',
    source: 'setting',
  });
  assert.deepEqual(findServerBinary(lookup(all)), { found: true, path: '/ext/bin/grounded', source: 'bundled' });
  assert.deepEqual(findServerBinary(lookup(['/usr/bin/grounded'])), { found: true, path: '/usr/bin/grounded', source: 'path' });
});

test('a setting that is not executable is an error naming it, not a fallback', () => {
  const r = findServerBinary(lookup(['/usr/bin/grounded'], { configured: '/nope/grounded' }));
  assert.equal(r.found, false);
  assert.match(r.found ? '' : r.message, /grounded\.serverPath is "\/nope\/grounded"/);
});

test('nothing found: the message says how to fix it', () => {
  const r = findServerBinary(lookup([]));
  assert.equal(r.found, false);
  assert.match(r.found ? '' : r.message, /cargo install --locked --path server/);
  assert.match(r.found ? '' : r.message, /grounded\.serverPath/);
});

test('Windows looks for grounded.exe on a ;-separated PATH', () => {
  const r = findServerBinary(lookup(['C:\\tools/grounded.exe'], { platform: 'win32', pathEnv: 'C:\\tools;D:\\x' }));
  assert.equal(r.found && r.source, 'path');
});
