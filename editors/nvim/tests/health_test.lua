-- :checkhealth grounded reports no errors with a server attached, and
-- :GroundedReindex and :GroundedRestart work.
local t = dofile(vim.env.GROUNDED_NVIM_TESTS .. '/helpers.lua')
t.setup()
local ws = t.copy_tree(vim.env.GROUNDED_REPO .. '/fixtures/demo')
local buf = t.open_and_wait(ws .. '/notes/storage.py')

vim.cmd('checkhealth grounded')
local health = table.concat(vim.api.nvim_buf_get_lines(0, 0, -1, false), '\n')
if health:find('ERROR', 1, true) then
  t.fail('checkhealth reported errors:\n' .. health)
end
for _, want in ipairs({ 'grounded', 'attached', 'Python 3.', 'NVML' }) do
  if not health:find(want, 1, true) then
    t.fail(('checkhealth lacks %q:\n%s'):format(want, health))
  end
end
vim.cmd('close')

-- Re-index: the server answers and the diagnostics come back.
local answered = false
local old_notify = vim.notify
vim.notify = function(msg, ...)
  if msg:find('re-indexing', 1, true) then
    answered = true
  end
  return old_notify(msg, ...)
end
vim.cmd('GroundedReindex')
if not vim.wait(10000, function()
  return answered
end, 20) then
  t.fail(':GroundedReindex got no answer')
end

-- Restart: a new client serves the buffer and diagnostics return.
local before = require('grounded').client(buf).id
vim.cmd('GroundedRestart')
local restarted = vim.wait(20000, function()
  local c = require('grounded').client(buf)
  return c ~= nil and c.id ~= before and #vim.diagnostic.get(buf) > 0
end, 20)
if not restarted then
  t.fail(':GroundedRestart did not bring a new client with diagnostics')
end
t.done()
