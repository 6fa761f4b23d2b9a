-- :checkhealth grounded
local config = require('grounded.config')

local M = {}

function M.check()
  local h = vim.health
  h.start('grounded: binary')
  local bin, wanted = config.binary()
  if not bin then
    h.error(('`%s` not found'):format(wanted), {
      'Build it: `cargo build --release` in the grounded repository',
      'Then put target/release/grounded on $PATH, or pass `cmd = "/path/to/grounded"` to setup()',
    })
    return
  end
  local out = vim.fn.system({ bin, '--version' })
  if vim.v.shell_error ~= 0 then
    h.error(('`%s --version` failed: %s'):format(bin, vim.trim(out)))
    return
  end
  h.ok(('%s (%s)'):format(vim.trim(out), bin))

  h.start('grounded: language server')
  local client = require('grounded').client()
  if not client then
    h.warn('not attached to any buffer', { 'Open a Python or Rust file in a project (pyproject.toml, Cargo.toml, .git…)' })
    return
  end
  h.ok(('attached (client %d, root %s)'):format(client.id, client.root_dir or client.config.root_dir or '?'))

  local ok, resp = pcall(function()
    return require('grounded.compat').request_sync(client, 'grounded/status', nil, 5000)
  end)
  if not ok or not resp or resp.err then
    h.warn('grounded/status did not answer: ' .. vim.inspect(resp and resp.err or resp))
    return
  end
  local status = resp.result or {}
  h.start('grounded: Python environment')
  local sessions = status.sessions or {}
  if #sessions == 0 then
    h.info('no workspace session opened yet (open a file)')
  end
  for _, s in ipairs(sessions) do
    if type(s.python) == 'table' then
      h.ok(('%s: Python %s (%s)'):format(s.root, s.python.version, s.python.executable))
    else
      h.warn(('%s: no Python environment; only workspace-internal references are checked'):format(s.root), {
        'Set `python = "/path/to/venv"` in setup(), or create .venv/ in the project',
      })
    end
    for _, note in ipairs(s.notes or {}) do
      h.info(note)
    end
  end

  h.start('grounded: GPU (NVML)')
  -- The request answers with a reading taken now when no feed runs, so the
  -- NVML state is known whether or not the GPU window is turned on.
  local gok, gresp = pcall(function()
    return require('grounded.compat').request_sync(client, 'grounded/gpuStatus', vim.empty_dict(), 5000)
  end)
  if not gok or not gresp or gresp.err then
    h.warn('grounded/gpuStatus did not answer: ' .. vim.inspect(gresp and gresp.err or gresp))
  elseif gresp.result and gresp.result.available == false then
    h.info(require('grounded.gpu').unavailable_text(gresp.result.reason))
  else
    local r = gresp.result or {}
    local names = {}
    for _, d in ipairs(r.devices or {}) do
      names[#names + 1] = tostring(d.name)
    end
    h.ok(('NVML available (driver %s): %d device(s) %s'):format(
      tostring(r.driver_version),
      #names,
      table.concat(names, ', ')
    ))
  end
  if config.options.gpu.enabled then
    h.ok('GPU status is on' .. (config.options.gpu.replay and (' (replaying ' .. config.options.gpu.replay .. ')') or ''))
  else
    h.info('GPU status is off (`gpu = { enabled = true }` in setup() turns it on)')
  end
end

return M
