-- :GroundedGpu renders live GPU status from the server's grounded/gpuStatus
-- notifications — here a recorded trace replayed by the real server (an
-- inference server leaking ~180 MB per cycle beside a steady worker).
local t = dofile(vim.env.GROUNDED_NVIM_TESTS .. '/helpers.lua')
local trace = vim.env.GROUNDED_REPO .. '/fixtures/gpu/leak.jsonl'
t.setup({ gpu = { enabled = true, replay = trace, speed = 40 } })
local ws = t.copy_tree(vim.env.GROUNDED_REPO .. '/fixtures/demo')
t.open_and_wait(ws .. '/notes/storage.py')

local gpu = require('grounded.gpu')
vim.cmd('GroundedGpu')
local win = vim.api.nvim_get_current_win()
if vim.api.nvim_win_get_config(win).relative == '' then
  t.fail(':GroundedGpu did not open a floating window')
end

local function shown()
  return table.concat(vim.api.nvim_buf_get_lines(gpu.buffer(), 0, -1, false), '\n')
end
local function line_of(pid)
  for _, l in ipairs(vim.api.nvim_buf_get_lines(gpu.buffer(), 0, -1, false)) do
    if l:match('^%s+' .. pid .. ' ') then
      return l
    end
  end
end

-- What the window must show once the replay has gone on long enough: the
-- leak is only suspected after the grace period and a minimum duration, so
-- seeing it proves the window follows the feed. Waits until all of it holds.
local function problems()
  local out = {}
  local text = shown()
  for _, want in ipairs({ 'NVIDIA H100 80GB HBM3', 'driver 550.54.15', 'replayed trace', 'memory ', 'Alerts', 'pid 4242' }) do
    if not text:find(want, 1, true) then
      out[#out + 1] = ('the GPU window lacks %q'):format(want)
    end
  end
  local leak, steady = line_of(4242), line_of(4343)
  if not leak or not leak:find('LEAK?', 1, true) then
    out[#out + 1] = 'pid 4242 is not shown as a suspected leak: ' .. tostring(leak)
  elseif not leak:find('python', 1, true) or not leak:find('+', 1, true) then
    out[#out + 1] = 'the leaking process line lacks its name or growth: ' .. leak
  else
    -- A rising sparkline: several distinct levels, lowest first.
    local spark = leak:match('[▁▂▃▄▅▆▇█]+')
    if not spark or vim.fn.strchars(spark) < 5 or not vim.startswith(spark, '▁') or not spark:find('█', 1, true) then
      out[#out + 1] = 'no rising sparkline for the leaking process: ' .. leak
    end
  end
  if not steady or steady:find('LEAK', 1, true) or not steady:find('ok', 1, true) then
    out[#out + 1] = 'the steady process is not shown as ok: ' .. tostring(steady)
  end
  return out
end
t.wait_until_ok(30000, problems, function()
  return 'the window shows:\n' .. shown()
end)

-- `q` closes the window.
vim.api.nvim_feedkeys('q', 'x', false)
if vim.api.nvim_win_is_valid(win) then
  t.fail('q did not close the GPU window')
end

-- Without NVML the window says why.
local unavailable = gpu.render({ available = false, reason = 'libnvidia-ml.so.1: cannot open shared object file' })
if unavailable[1] ~= 'NVML unavailable: libnvidia-ml.so.1: cannot open shared object file' then
  t.fail('unavailable state: ' .. vim.inspect(unavailable))
end

-- What the server sends that the window must not turn into nonsense: a
-- device whose total memory reads 0 (no share of it: no inf% or nan%), and
-- a time to full for a steady process (the server projects one for any
-- positive slope: 2917 h 26 min here; only a suspected leak has one).
local GiB = 1024 ^ 3
local lines = gpu.render({
  snapshot = {
    ts_ms = 1700000000000,
    available = true,
    devices = {
      {
        index = 0,
        name = 'NVIDIA H100 80GB HBM3',
        memory_total_bytes = 0,
        memory_used_bytes = 12 * GiB,
        processes = {
          { pid = 4343, start_time = 18, name = 'python', used_memory_bytes = 10 * GiB },
        },
      },
    },
    alerts = {},
  },
  trends = {
    devices = {},
    processes = {
      { device = 0, pid = 4343, start_time = 18, state = 'ok', slope_bytes_per_s = 1.2e3, r2 = 0.01, eta_s = 10502760 },
    },
  },
})
local memory, steady
for _, l in ipairs(lines) do
  if l:match('^  memory ') then
    memory = l
  elseif l:match('^%s+4343 ') then
    steady = l
  end
end
if not memory or memory:lower():find('inf', 1, true) or memory:lower():find('nan', 1, true) or memory:find('%', 1, true) then
  t.fail('a device with a total of 0: ' .. vim.inspect(lines))
end
if not steady or not steady:find('ok', 1, true) or steady:find('2917', 1, true) or steady:find(' h ', 1, true) then
  t.fail('a steady process shows a time to full: ' .. vim.inspect(lines))
end
t.done()
