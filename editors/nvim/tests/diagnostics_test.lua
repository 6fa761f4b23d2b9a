-- Diagnostics appear for the demo's hallucinated calls, and a code action
-- fixes one.
local t = dofile(vim.env.GROUNDED_NVIM_TESTS .. '/helpers.lua')
t.setup()
local ws = t.copy_tree(vim.env.GROUNDED_REPO .. '/fixtures/demo')
-- The demo's storage.py has five hallucinated calls, shutil.copy_file among them.
local function has_copy_file(diags)
  for _, d in ipairs(diags) do
    if d.code == 'unresolved-symbol' and d.message:find('shutil.copy_file', 1, true) then
      return true
    end
  end
  return false
end
local buf = t.open_and_wait(ws .. '/notes/storage.py', {
  what = 'the 5 diagnostics of storage.py, shutil.copy_file among them',
  ready = function(diags)
    return #diags == 5 and has_copy_file(diags)
  end,
})

local diags = vim.diagnostic.get(buf)
local parse
for _, d in ipairs(diags) do
  if d.source ~= 'grounded' then
    t.fail('diagnostic from another source: ' .. vim.inspect(d))
  end
  if d.code == 'unresolved-symbol' and d.message:find('shutil.copy_file', 1, true) then
    parse = d
  end
end
if #diags ~= 5 then
  t.fail(('expected 5 diagnostics in storage.py, got %d: %s'):format(#diags, vim.inspect(diags)))
end
if not parse then
  t.fail('no diagnostic for shutil.copy_file')
end

-- The quick fixes offered on that line; apply "Replace with `copyfile`".
local client = require('grounded').client(buf)
local params = {
  textDocument = { uri = vim.uri_from_bufnr(buf) },
  range = {
    start = { line = parse.lnum, character = parse.col },
    ['end'] = { line = parse.end_lnum, character = parse.end_col },
  },
  context = { diagnostics = { parse.user_data.lsp } },
}
local resp = client:request_sync('textDocument/codeAction', params, 5000, buf)
local actions = resp and resp.result or {}
local fix
for _, a in ipairs(actions) do
  if a.isPreferred then
    fix = a
  end
end
if not fix or not fix.title:find('copyfile', 1, true) then
  t.fail('no preferred "Replace with `copyfile`" action: ' .. vim.inspect(actions))
end
vim.lsp.util.apply_workspace_edit(fix.edit, client.offset_encoding)
local line = vim.api.nvim_buf_get_lines(buf, parse.lnum, parse.lnum + 1, false)[1]
if not line:find('shutil.copyfile(', 1, true) then
  t.fail('the fix was not applied: ' .. line)
end
-- The finding goes away once the edit is analyzed.
local gone = vim.wait(10000, function()
  for _, d in ipairs(vim.diagnostic.get(buf)) do
    if d.message:find('copy_file', 1, true) then
      return false
    end
  end
  return #vim.diagnostic.get(buf) == 4
end, 20)
if not gone then
  t.fail('copy_file still reported after the fix: ' .. vim.inspect(vim.diagnostic.get(buf)))
end
t.done()
