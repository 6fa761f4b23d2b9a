-- Shared by the headless tests: start the plugin against the real binary.
-- Usage in a test: local t = dofile(vim.env.GROUNDED_NVIM_TESTS .. '/helpers.lua')
local M = {}

function M.fail(msg)
  io.stderr:write('FAIL: ' .. msg .. '\n')
  os.exit(1)
end

function M.setup(extra)
  local opts = vim.tbl_deep_extend('force', {
    cmd = vim.env.GROUNDED_BIN,
    debounce = 10,
    python = vim.env.GROUNDED_TEST_PYTHON,
  }, extra or {})
  require('grounded').setup(opts)
end

--- Copy a directory tree to a temporary one (tests never edit the repository).
function M.copy_tree(src)
  local dst = vim.fn.tempname()
  vim.fn.system({ 'cp', '-r', src, dst })
  return dst
end

--- Open `file` and wait for Grounded's diagnostics in it.
function M.open_and_wait(file, timeout)
  vim.cmd.edit(file)
  local buf = vim.api.nvim_get_current_buf()
  local ok = vim.wait(timeout or 20000, function()
    return #vim.diagnostic.get(buf, {}) > 0
  end, 20)
  if not ok then
    M.fail('no diagnostics within the timeout; clients=' .. #vim.lsp.get_clients({ bufnr = buf }))
  end
  return buf
end

function M.done()
  for _, c in ipairs(vim.lsp.get_clients()) do
    c:stop()
  end
  vim.wait(3000, function()
    return #vim.lsp.get_clients() == 0
  end, 20)
  print('PASS')
  os.exit(0)
end

return M
