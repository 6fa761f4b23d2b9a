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

-- The leak is only suspected after the grace period and a minimum duration:
-- seeing it proves the window follows the feed.
if not vim.wait(30000, function()
  local l = line_of(4242)
  return l ~= nil and l:find('LEAK?', 1, true) ~= nil
end, 50) then
  t.fail('pid 4242 never shown as a suspected leak:\n' .. shown())
end
local text = shown()
for _, want in ipairs({ 'NVIDIA H100 80GB HBM3', 'driver 550.54.15', 'replayed trace', 'memory ', 'Alerts', 'pid 4242' }) do
  if not text:find(want, 1, true) then
    t.fail(('the GPU window lacks %q:\n%s'):format(want, text))
  end
end
local leak, steady = line_of(4242), line_of(4343)
if not leak:find('python', 1, true) or not leak:find('+', 1, true) then
  t.fail('the leaking process line lacks its name or growth: ' .. leak)
end
-- A rising sparkline: several distinct levels, lowest first.
local spark = leak:match('[▁▂▃▄▅▆▇█]+')
if not spark or vim.fn.strchars(spark) < 5 or not vim.startswith(spark, '▁') or not spark:find('█', 1, true) then
  t.fail('no rising sparkline for the leaking process: ' .. leak)
end
if not steady or steady:find('LEAK', 1, true) or not steady:find('ok', 1, true) then
  t.fail('the steady process is not shown as ok: ' .. tostring(steady))
end

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
t.done()
