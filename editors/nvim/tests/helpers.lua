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

--- Open `file` and wait for Grounded's diagnostics in it: any, or those for
--- which `opts.ready(diagnostics)` is true (the condition the test asserts).
--- opts: { timeout = ms (20000), ready = function(diagnostics), what = text for a failure }.
function M.open_and_wait(file, opts)
  opts = opts or {}
  local ready = opts.ready or function(diags)
    return #diags > 0
  end
  vim.cmd.edit(file)
  local buf = vim.api.nvim_get_current_buf()
  local ok = vim.wait(opts.timeout or 20000, function()
    return ready(vim.diagnostic.get(buf, {}))
  end, 20)
  if not ok then
    local seen = {}
    for _, d in ipairs(vim.diagnostic.get(buf, {})) do
      seen[#seen + 1] = ('%s: %s'):format(d.code, d.message)
    end
    M.fail(('waited %g s for %s; clients=%d; diagnostics:\n  %s'):format(
      (opts.timeout or 20000) / 1000,
      opts.what or 'a diagnostic',
      #vim.lsp.get_clients({ bufnr = buf }),
      #seen > 0 and table.concat(seen, '\n  ') or '(none)'
    ))
  end
  return buf
end

--- Wait until `problems()` returns an empty list (every check the test makes
--- holds), else fail with the last problems and `context()`.
function M.wait_until_ok(timeout, problems, context)
  local last = {}
  local ok = vim.wait(timeout, function()
    last = problems()
    return #last == 0
  end, 50)
  if not ok then
    M.fail(('still failing after %g s:\n  %s%s'):format(timeout / 1000, table.concat(last, '\n  '), context and ('\n' .. context()) or ''))
  end
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
