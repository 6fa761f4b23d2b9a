-- :GroundedContext fills a scratch buffer (and the unnamed register) with
-- the real APIs of the buffer's imports; with a range, the selection is the
-- task.
local t = dofile(vim.env.GROUNDED_NVIM_TESTS .. '/helpers.lua')
t.setup({ context = { registers = { '"' } } })
local ws = t.copy_tree(vim.env.GROUNDED_REPO .. '/fixtures/demo')
local buf = t.open_and_wait(ws .. '/notes/storage.py')

local text
vim.api.nvim_win_set_cursor(0, { 31, 10 })
require('grounded.context').open({
  on_done = function(got)
    text = got
  end,
})
if not vim.wait(20000, function()
  return text ~= nil
end, 20) then
  t.fail(':GroundedContext got no answer')
end
local scratch = vim.fn.bufnr('grounded://context')
if scratch == -1 then
  t.fail('no scratch buffer')
end
local shown = table.concat(vim.api.nvim_buf_get_lines(scratch, 0, -1, false), '\n')
for _, want in ipairs({ '## Available APIs', 'json', 'loads', 'shutil', 'copyfile', '## Installed packages' }) do
  if not shown:find(want, 1, true) then
    t.fail(('the context lacks %q:\n%s'):format(want, shown))
  end
end
if vim.fn.getreg('"') ~= text then
  t.fail('the context was not copied to the unnamed register')
end

-- With a range: the selected lines are the task.
vim.api.nvim_set_current_buf(buf)
text = nil
local old_open = require('grounded.context').open
require('grounded.context').open = function(opts)
  opts.on_done = function(got)
    text = got
  end
  return old_open(opts)
end
vim.cmd('1,2GroundedContext')
if not vim.wait(20000, function()
  return text ~= nil
end, 20) then
  t.fail(':[range]GroundedContext got no answer')
end
local first = vim.api.nvim_buf_get_lines(buf, 0, 1, false)[1]
if not text:find('## Task', 1, true) or not text:find(first, 1, true) then
  t.fail('the selection is not the task:\n' .. text)
end
t.done()
