-- :GroundedGpu — a floating window with live GPU status (`grounded/gpuStatus`):
-- per-device memory, per-process memory with a sparkline and leak state, and
-- alerts. `q` closes it.
local config = require('grounded.config')

local M = {}

local state = {
  win = nil,
  buf = nil,
  timer = nil,
  -- "pid:start_time" -> recent used_memory_bytes
  history = {},
  last = nil,
}

local SPARK = { '▁', '▂', '▃', '▄', '▅', '▆', '▇', '█' }
local HISTORY = 30

local function human(bytes)
  if type(bytes) ~= 'number' then
    return '—'
  end
  local units = { 'B', 'KiB', 'MiB', 'GiB', 'TiB' }
  local i = 1
  while bytes >= 1024 and i < #units do
    bytes = bytes / 1024
    i = i + 1
  end
  return string.format(i == 1 and '%d %s' or '%.1f %s', bytes, units[i])
end

local function sparkline(values)
  local lo, hi = math.huge, -math.huge
  for _, v in ipairs(values) do
    lo, hi = math.min(lo, v), math.max(hi, v)
  end
  local out = {}
  for _, v in ipairs(values) do
    local i = hi > lo and math.floor((v - lo) / (hi - lo) * (#SPARK - 1)) + 1 or 1
    out[#out + 1] = SPARK[i]
  end
  return table.concat(out)
end

local function bar(used, total, width)
  if type(used) ~= 'number' or type(total) ~= 'number' or total <= 0 then
    return string.rep('·', width)
  end
  local n = math.floor(used / total * width + 0.5)
  return string.rep('█', n) .. string.rep('░', width - n)
end

local function field(v, fmt)
  if v == nil or v == vim.NIL then
    return '—'
  end
  return string.format(fmt, v)
end

--- The lines of the window for one snapshot.
function M.render(snap)
  local lines = {}
  if not snap then
    return { 'waiting for the first sample…' }
  end
  if snap.available == false then
    lines[#lines + 1] = 'NVML unavailable: ' .. tostring(snap.reason or 'unknown reason')
    return lines
  end
  local leaking = {}
  for _, a in ipairs(snap.alerts or {}) do
    if a.kind == 'leak-suspected' and a.pid ~= nil and a.pid ~= vim.NIL then
      leaking[a.pid] = a
    end
  end
  if snap.driver_version and snap.driver_version ~= vim.NIL then
    lines[#lines + 1] = 'driver ' .. snap.driver_version
  end
  for _, d in ipairs(snap.devices or {}) do
    lines[#lines + 1] = ''
    lines[#lines + 1] = string.format('GPU %s  %s', d.index, d.name or '')
    lines[#lines + 1] = string.format(
      '  memory %s %s / %s',
      bar(d.memory_used_bytes, d.memory_total_bytes, 24),
      human(d.memory_used_bytes),
      human(d.memory_total_bytes)
    )
    lines[#lines + 1] = string.format(
      '  util %s%%  mem %s%%  %s°C  %s / %s W',
      field(d.utilization_gpu_pct, '%d'),
      field(d.utilization_memory_pct, '%d'),
      field(d.temperature_c, '%d'),
      field(type(d.power_mw) == 'number' and d.power_mw / 1000 or nil, '%.0f'),
      field(type(d.power_limit_mw) == 'number' and d.power_limit_mw / 1000 or nil, '%.0f')
    )
    for _, p in ipairs(d.processes or {}) do
      local key = tostring(p.pid) .. ':' .. tostring(p.start_time)
      local h = state.history[key] or {}
      local alert = leaking[p.pid]
      lines[#lines + 1] = string.format(
        '  %7s %-18s %10s %s %s',
        p.pid,
        (p.name or ''):sub(1, 18),
        human(p.used_memory_bytes),
        sparkline(h),
        alert and 'LEAK?' or 'ok'
      )
    end
  end
  if #(snap.alerts or {}) > 0 then
    lines[#lines + 1] = ''
    lines[#lines + 1] = 'Alerts'
    for _, a in ipairs(snap.alerts) do
      lines[#lines + 1] = '  ! ' .. (a.message or a.kind)
    end
  end
  return lines
end

local function remember(snap)
  if not snap or snap.available == false then
    return
  end
  for _, d in ipairs(snap.devices or {}) do
    for _, p in ipairs(d.processes or {}) do
      if type(p.used_memory_bytes) == 'number' then
        local key = tostring(p.pid) .. ':' .. tostring(p.start_time)
        local h = state.history[key] or {}
        h[#h + 1] = p.used_memory_bytes
        while #h > HISTORY do
          table.remove(h, 1)
        end
        state.history[key] = h
      end
    end
  end
end

local function draw()
  if not (state.buf and vim.api.nvim_buf_is_valid(state.buf)) then
    return
  end
  local lines = M.render(state.last)
  vim.bo[state.buf].modifiable = true
  vim.api.nvim_buf_set_lines(state.buf, 0, -1, false, lines)
  vim.bo[state.buf].modifiable = false
end

--- Take one snapshot (from a notification or a request) into the window.
function M.update(params)
  local snap = params and params.snapshot or params
  -- A notification may carry the snapshot's alerts beside it.
  if params and params.snapshot and params.alerts and not snap.alerts then
    snap.alerts = params.alerts
  end
  state.last = snap
  remember(snap)
  vim.schedule(draw)
end

--- Listen to the server's `grounded/gpuStatus` notifications.
function M.listen()
  vim.lsp.handlers['grounded/gpuStatus'] = function(_, result)
    M.update(result)
  end
end

local function poll()
  require('grounded').request('grounded/gpuStatus', vim.empty_dict(), function(result)
    M.update(result)
  end)
end

function M.close()
  if state.timer then
    state.timer:stop()
    state.timer:close()
    state.timer = nil
  end
  if state.win and vim.api.nvim_win_is_valid(state.win) then
    vim.api.nvim_win_close(state.win, true)
  end
  state.win = nil
end

function M.open()
  M.listen()
  if not (state.buf and vim.api.nvim_buf_is_valid(state.buf)) then
    state.buf = vim.api.nvim_create_buf(false, true)
    vim.bo[state.buf].bufhidden = 'hide'
    vim.bo[state.buf].filetype = 'grounded-gpu'
    vim.keymap.set('n', 'q', M.close, { buffer = state.buf, nowait = true, desc = 'close' })
  end
  if not (state.win and vim.api.nvim_win_is_valid(state.win)) then
    local width = math.min(78, vim.o.columns - 4)
    local height = math.min(24, vim.o.lines - 4)
    state.win = vim.api.nvim_open_win(state.buf, true, {
      relative = 'editor',
      width = width,
      height = height,
      row = math.floor((vim.o.lines - height) / 2),
      col = math.floor((vim.o.columns - width) / 2),
      style = 'minimal',
      border = 'rounded',
      title = ' Grounded GPU (q closes) ',
      title_pos = 'center',
    })
  end
  draw()
  poll()
  local interval = math.max(250, math.floor((config.options.gpu.interval or 2) * 1000))
  if not state.timer then
    state.timer = vim.uv.new_timer()
    state.timer:start(interval, interval, vim.schedule_wrap(function()
      if state.win and vim.api.nvim_win_is_valid(state.win) then
        poll()
      else
        M.close()
      end
    end))
  end
end

--- The window's buffer (for tests).
function M.buffer()
  return state.buf
end

return M
