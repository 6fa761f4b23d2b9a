-- :GroundedContext — the APIs that really exist for this buffer and cursor
-- (`grounded/context`), in a scratch buffer and in registers, ready to paste
-- into an assistant's prompt.
local config = require('grounded.config')

local M = {}

local BUF_NAME = 'grounded://context'

local function scratch()
  local existing = vim.fn.bufnr(BUF_NAME)
  if existing ~= -1 and vim.api.nvim_buf_is_valid(existing) then
    return existing
  end
  local buf = vim.api.nvim_create_buf(false, true)
  vim.api.nvim_buf_set_name(buf, BUF_NAME)
  vim.bo[buf].bufhidden = 'hide'
  vim.bo[buf].filetype = 'markdown'
  return buf
end

local function show(buf)
  for _, win in ipairs(vim.api.nvim_list_wins()) do
    if vim.api.nvim_win_get_buf(win) == buf then
      return win
    end
  end
  vim.cmd('botright split')
  local win = vim.api.nvim_get_current_win()
  vim.api.nvim_win_set_buf(win, buf)
  return win
end

--- Fetch the context; `opts.task` (text) makes it a complete prompt.
--- `opts.on_done(text, items)` is called once it is shown.
function M.open(opts)
  opts = opts or {}
  local src = vim.api.nvim_get_current_buf()
  local win = vim.api.nvim_get_current_win()
  local cursor = vim.api.nvim_win_get_cursor(win)
  local params = {
    textDocument = { uri = vim.uri_from_bufnr(src) },
    position = { line = cursor[1] - 1, character = cursor[2] },
    budget = opts.budget or config.options.context.budget,
    task = opts.task,
  }
  return require('grounded').request('grounded/context', params, function(result)
    local text = result and result.text or ''
    local buf = scratch()
    vim.bo[buf].modifiable = true
    vim.api.nvim_buf_set_lines(buf, 0, -1, false, vim.split(text, '\n', { plain = true }))
    vim.bo[buf].modifiable = false
    for _, reg in ipairs(config.options.context.registers or {}) do
      pcall(vim.fn.setreg, reg, text)
    end
    show(buf)
    vim.api.nvim_set_current_win(win)
    require('grounded').notify(('context: %d items, copied'):format(#(result.items or {})))
    if opts.on_done then
      opts.on_done(text, result.items or {})
    end
  end, src)
end

return M
