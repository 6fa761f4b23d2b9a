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

local NS = vim.api.nvim_create_namespace('grounded-gpu')
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

local SPARK_WIDTH = 24

-- The last SPARK_WIDTH values as a sparkline. The scale spans at least 5% of
-- the peak, so a steady process's jitter draws flat rather than full-height.
local function sparkline(values)
  local first = math.max(1, #values - SPARK_WIDTH + 1)
  local lo, hi = math.huge, -math.huge
  for i = first, #values do
    lo, hi = math.min(lo, values[i]), math.max(hi, values[i])
  end
  local span = math.max(hi - lo, hi * 0.05)
  local out = {}
  for i = first, #values do
    local level = span > 0 and math.floor((values[i] - lo) / span * (#SPARK - 1) + 0.5) + 1 or 1
    out[#out + 1] = SPARK[level]
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

local function trend_text(t)
  if not t then
    return '…'
  end
  local slope = type(t.slope_bytes_per_s) == 'number' and t.slope_bytes_per_s or nil
  local rate = slope and string.format(' %s%s/s', slope >= 0 and '+' or '-', human(math.abs(slope))) or ''
  if t.state == 'leak-suspected' then
    return 'LEAK?' .. rate
  elseif t.state == 'growing' then
    return 'growing' .. rate
  end
  return 'ok'
end

--- "NVML unavailable: <reason>" (the server's reason may already say so).
function M.unavailable_text(reason)
  reason = (reason == nil or reason == vim.NIL) and 'unknown reason' or tostring(reason)
  if vim.startswith(reason, 'NVML unavailable') then
    return reason
  end
  return 'NVML unavailable: ' .. reason
end

--- The lines of the window for one status: a snapshot, or the server's
--- notification `{snapshot, history, trends, alerts, source}`.
function M.render(status)
  local snap = status and status.snapshot or status
  local lines = {}
  if not snap then
    return { 'waiting for the first sample…' }
  end
  if snap.available == false then
    lines[#lines + 1] = M.unavailable_text(snap.reason)
    return lines
  end
  -- The server's verdicts and series when the notification carries them;
  -- else what this window remembers and the snapshot's alerts.
  local trends, series = {}, {}
  local dev_trends = {}
  if status.trends then
    for _, t in ipairs(status.trends.processes or {}) do
      trends[t.device .. ':' .. t.pid .. ':' .. tostring(t.start_time)] = t
    end
    for _, t in ipairs(status.trends.devices or {}) do
      dev_trends[t.device] = t
    end
  end
  if status.history then
    for _, h in ipairs(status.history.processes or {}) do
      local values = {}
      for _, p in ipairs(h.points or {}) do
        values[#values + 1] = p[2]
      end
      series[h.device .. ':' .. h.pid .. ':' .. tostring(h.start_time)] = values
    end
  end
  local alerts = snap.alerts or {}
  if status.alerts and #alerts == 0 then
    alerts = status.alerts
  end
  local leaking = {}
  for _, a in ipairs(alerts) do
    if a.kind == 'leak-suspected' and a.pid ~= nil and a.pid ~= vim.NIL then
      leaking[a.pid] = a
    end
  end
  local head = {}
  if snap.driver_version and snap.driver_version ~= vim.NIL then
    head[#head + 1] = 'driver ' .. snap.driver_version
  end
  if status.source == 'replay' then
    head[#head + 1] = 'replayed trace'
  end
  if #head > 0 then
    lines[#lines + 1] = table.concat(head, ' · ')
  end
  for _, d in ipairs(snap.devices or {}) do
    lines[#lines + 1] = ''
    local dt = dev_trends[d.index]
    lines[#lines + 1] = string.format('GPU %s  %s%s', d.index, d.name or '', dt and ('  ' .. trend_text(dt)) or '')
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
      local key = d.index .. ':' .. p.pid .. ':' .. tostring(p.start_time)
      local t = trends[key]
      local verdict
      if t then
        verdict = trend_text(t)
      else
        verdict = leaking[p.pid] and 'LEAK?' or 'ok'
      end
      lines[#lines + 1] = string.format(
        '  %7s %-16s %10s %s %s',
        p.pid,
        (p.name or ''):sub(1, 16),
        human(p.used_memory_bytes),
        sparkline(series[key] or state.history[key] or {}),
        verdict
      )
    end
  end
  if #alerts > 0 then
    lines[#lines + 1] = ''
    lines[#lines + 1] = 'Alerts'
    for _, a in ipairs(alerts) do
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
        local key = d.index .. ':' .. p.pid .. ':' .. tostring(p.start_time)
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
  -- Leaks and alerts in the error colour, growth as a warning, headings bold.
  vim.api.nvim_buf_clear_namespace(state.buf, NS, 0, -1)
  for i, l in ipairs(lines) do
    local group = (l:find('LEAK?', 1, true) or l:match('^  ! ') or l:match('^NVML unavailable')) and 'DiagnosticError'
      or (l:find(' growing', 1, true) and 'DiagnosticWarn')
      or ((l:match('^GPU ') or l == 'Alerts') and 'Title')
      or nil
    if group then
      vim.api.nvim_buf_set_extmark(state.buf, NS, i - 1, 0, { end_col = #l, hl_group = group })
    end
  end
end

--- Take one status (a notification, or a request's bare snapshot) into the window.
function M.update(params)
  if not params then
    return
  end
  local snap = params.snapshot or params
  remember(snap)
  if params.snapshot then
    state.last = params
  elseif state.last and state.last.snapshot then
    -- A polled snapshot: keep the last notification's verdicts and series.
    state.last = vim.tbl_extend('force', state.last, { snapshot = snap })
  else
    state.last = snap
  end
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
