-- The Neovim 0.10 path (no vim.lsp.config / vim.lsp.enable): the server is
-- started with vim.lsp.start for buffers already open at setup() and, through
-- the FileType autocmd, for buffers opened later (one client per root), and
-- :GroundedRestart restarts it. Only 0.11.4 is installable here, so the 0.10
-- API is simulated by hiding the 0.11 functions.
local t = dofile(vim.env.GROUNDED_NVIM_TESTS .. '/helpers.lua')
vim.lsp.config = nil
vim.lsp.enable = nil
local ws = t.copy_tree(vim.env.GROUNDED_REPO .. '/fixtures/demo')

-- Open before setup().
vim.cmd.edit(ws .. '/notes/storage.py')
local first = vim.api.nvim_get_current_buf()
t.setup()
if not vim.wait(20000, function()
  return #vim.diagnostic.get(first) > 0
end, 20) then
  t.fail('no diagnostics for a buffer open before setup()')
end
local client = require('grounded').client(first)
if vim.fs.normalize(client.config.root_dir) ~= vim.fs.normalize(ws) then
  t.fail(('root %s, expected %s'):format(client.config.root_dir, ws))
end

-- Opened after setup(): the FileType autocmd attaches the same client.
local second = t.open_and_wait(ws .. '/notes/cli.py')
if require('grounded').client(second).id ~= client.id then
  t.fail('a second client was started for the same root')
end
if #vim.lsp.get_clients({ name = 'grounded' }) ~= 1 then
  t.fail('expected one grounded client')
end

-- Restart through the 0.10 path.
vim.cmd('GroundedRestart')
if not vim.wait(20000, function()
  local c = require('grounded').client(first)
  return c ~= nil and c.id ~= client.id and #vim.diagnostic.get(first) > 0
end, 20) then
  t.fail(':GroundedRestart did not bring a new client with diagnostics')
end
t.done()
