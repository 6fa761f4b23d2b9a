-- Grounded's options and the language-server configuration built from them.
local M = {}

M.defaults = {
  -- The `grounded` binary: a path, or a name looked up on $PATH.
  cmd = nil,
  -- Extra arguments for `grounded lsp` (e.g. { '--log-level', 'debug' }).
  args = {},
  filetypes = { 'python', 'rust' },
  root_markers = { 'pyproject.toml', 'setup.py', 'setup.cfg', 'Cargo.toml', 'grounded.toml', '.git' },
  -- The Python interpreter (or venv directory) whose packages are the truth.
  python = nil,
  -- Per finding code: 'error' | 'warning' | 'info' | 'off'.
  severity = {},
  -- Milliseconds between an edit and its analysis.
  debounce = nil,
  -- Bytes: a larger open document is not checked (nil: the server's 10 MB).
  max_document_size = nil,
  -- false: the server never runs an interpreter (an untrusted project).
  trusted = true,
  gpu = {
    enabled = false,
    -- Seconds between samples (nil: the server's 2 s; a replay's own pace).
    interval = nil,
    -- A recorded trace (`grounded gpu --record`) played instead of NVML, at
    -- its recorded pace times `speed` (or one snapshot per `interval` when
    -- `interval` is set explicitly).
    replay = nil,
    speed = nil,
  },
  context = {
    -- Token budget of `:GroundedContext`.
    budget = 2000,
    -- Registers the context is copied to.
    registers = { '"', '+' },
  },
}

M.options = vim.deepcopy(M.defaults)

function M.set(opts)
  M.options = vim.tbl_deep_extend('force', vim.deepcopy(M.defaults), opts or {})
  return M.options
end

--- The binary to run: the option, else `grounded` on $PATH.
function M.binary()
  local cmd = M.options.cmd or 'grounded'
  if vim.fn.executable(cmd) == 1 then
    return vim.fn.exepath(cmd)
  end
  return nil, cmd
end

--- What the server receives as `initializationOptions` and settings.
function M.server_settings()
  local o = M.options
  local s = { trusted = o.trusted, severity = o.severity }
  if o.python then
    s.python = o.python
  end
  if o.debounce then
    s.debounce = o.debounce
  end
  if o.max_document_size then
    s.maxDocumentSize = o.max_document_size
  end
  s.gpu = { enabled = o.gpu.enabled, interval = o.gpu.interval, replay = o.gpu.replay, speed = o.gpu.speed }
  s.context = { budget = o.context.budget }
  return s
end

--- The `vim.lsp.config` table for the server.
function M.lsp_config()
  local bin, wanted = M.binary()
  local cmd = { bin or wanted, 'lsp' }
  vim.list_extend(cmd, M.options.args or {})
  return {
    cmd = cmd,
    filetypes = M.options.filetypes,
    root_markers = M.options.root_markers,
    init_options = M.server_settings(),
    settings = { grounded = M.server_settings() },
  }
end

return M
