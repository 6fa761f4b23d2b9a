import assert from 'node:assert/strict';
import { test } from 'node:test';
import { contentSecurityPolicy, panelHtml } from '../../src/gpu/panelHtml';

test('the panel loads only its bundled assets under a nonce-based CSP', () => {
  const html = panelHtml({ cspSource: 'https://x.vscode-cdn.net', scriptUri: 'https://x/gpu.js', styleUri: 'https://x/gpu.css' }, 'n0nce');
  assert.match(html, /<script nonce="n0nce" src="https:\/\/x\/gpu.js"><\/script>/);
  assert.doesNotMatch(html, /<script(?![^>]*nonce)/);
  assert.doesNotMatch(html, /style="/);
  assert.doesNotMatch(html, /https?:\/\/(?!x)/, 'no CDN');
  const csp = contentSecurityPolicy('SRC', 'N');
  assert.match(csp, /default-src 'none'/);
  assert.match(csp, /script-src 'nonce-N'(;|$)/);
  assert.doesNotMatch(csp, /unsafe/);
});
