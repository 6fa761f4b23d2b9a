-- Grounded for Neovim: hallucinated API calls as diagnostics, API context for
-- AI assistants, and the GPU window. See `:help grounded`.
local compat = require('grounded.compat')
local config = require('grounded.config')

local M = {}

local NAME = 'grounded'

--- The Grounded client attached to `buf` (default: current), else any.
function M.client(buf)
  buf = buf or vim.api.nvim_get_current_buf()
  local attached = vim.lsp.get_clients({ name = NAME, bufnr = buf })
  if #attached > 0 then
    return attached[1]
  end
  return vim.lsp.get_clients({ name = NAME })[1]
end

local function notify(msg, level)
  vim.notify('grounded: ' .. msg, level or vim.log.levels.INFO)
end
M.notify = notify

--- A request to the server, with a clear message when none is running.
function M.request(method, params, handler, buf)
  local client = M.client(buf)
  if not client then
    notify('no language server attached (is `grounded` installed? see :checkhealth grounded)', vim.log.levels.ERROR)
    return false
  end
  compat.request(client, method, params, function(err, result)
    if err then
      notify(method .. ' failed: ' .. (err.message or vim.inspect(err)), vim.log.levels.ERROR)
      return
    end
    handler(result, client)
  end, buf)
  return true
end

local function start_010(buf)
  local cfg = config.lsp_config()
  local root = vim.fs.root(buf, cfg.root_markers) or vim.fs.dirname(vim.api.nvim_buf_get_name(buf))
  vim.lsp.start({
    name = NAME,
    cmd = cfg.cmd,
    root_dir = root,
    init_options = cfg.init_options,
    settings = cfg.settings,
  }, { bufnr = buf })
end

--- Configure and enable the server.
function M.setup(opts)
  config.set(opts)
  if not config.binary() then
    notify(
      ('`%s` not found: build it (`cargo build --release`) and put it on $PATH, or set `cmd`'):format(
        config.options.cmd or 'grounded'
      ),
      vim.log.levels.WARN
    )
  end
  if compat.has_lsp_config() then
    -- Neovim 0.11+.
    vim.lsp.config(NAME, config.lsp_config())
    vim.lsp.enable(NAME)
  else
    -- Neovim 0.10: start on the configured filetypes, and for the buffers
    -- of those filetypes already open (vim.lsp.start reuses the client of
    -- the same name and root).
    local group = vim.api.nvim_create_augroup('grounded', { clear = true })
    vim.api.nvim_create_autocmd('FileType', {
      group = group,
      pattern = config.options.filetypes,
      callback = function(ev)
        start_010(ev.buf)
      end,
    })
    for _, buf in ipairs(vim.api.nvim_list_bufs()) do
      if vim.api.nvim_buf_is_loaded(buf) and vim.tbl_contains(config.options.filetypes, vim.bo[buf].filetype) then
        start_010(buf)
      end
    end
  end
  require('grounded.commands').create()
  if config.options.gpu.enabled then
    require('grounded.gpu').listen()
  end
end

--- Stop the server and start it again for every buffer it served.
function M.restart()
  local clients = vim.lsp.get_clients({ name = NAME })
  local buffers = {}
  for _, c in ipairs(clients) do
    for b in pairs(c.attached_buffers or {}) do
      buffers[#buffers + 1] = b
    end
    compat.stop(c)
  end
  vim.wait(3000, function()
    return #vim.lsp.get_clients({ name = NAME }) == 0
  end, 20)
  for _, b in ipairs(buffers) do
    if vim.api.nvim_buf_is_valid(b) then
      if compat.has_lsp_config() then
        local cfg = vim.deepcopy(vim.lsp.config[NAME] or config.lsp_config())
        cfg.name = NAME
        cfg.root_dir = vim.fs.root(b, cfg.root_markers or config.options.root_markers)
          or vim.fs.dirname(vim.api.nvim_buf_get_name(b))
        vim.lsp.start(cfg, { bufnr = b })
      else
        start_010(b)
      end
    end
  end
  notify(('restarted (%d buffer%s)'):format(#buffers, #buffers == 1 and '' or 's'))
end

--- Index the workspace again (configuration, environment, files).
function M.reindex()
  return M.request('grounded/reindex', nil, function(result)
    notify(('re-indexing %d folder%s'):format(result.folders, result.folders == 1 and '' or 's'))
  end)
end

return M
