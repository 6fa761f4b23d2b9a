import assert from 'node:assert/strict';
import { test } from 'node:test';
import { describeFindings, parseCheckReport } from '../../src/lm/checkReport';

test('a check report becomes lines an assistant can act on', () => {
  const report = parseCheckReport(
    JSON.stringify({
      version: 1,
      diagnostics: [
        { path: 'a.py', line: 2, column: 7, severity: 'error', code: 'unresolved-symbol', message: '`json.parse` does not exist', suggestions: ['json.loads'] },
      ],
      summary: {},
    }),
  );
  assert.equal(
    describeFindings(report.diagnostics),
    '1 problem in the code (lines and columns counted in the code given):\n' +
      'line 2, column 7: error[unresolved-symbol] `json.parse` does not exist (did you mean `json.loads`?)',
  );
  assert.match(describeFindings([]), /^No problems found/);
  assert.throws(() => parseCheckReport('oops'), /did not print a JSON report/);
  assert.throws(() => parseCheckReport('{}'), /without diagnostics/);
});
