-- User commands: :GroundedContext, :GroundedGpu, :GroundedReindex, :GroundedRestart.
local M = {}

function M.create()
  local cmd = vim.api.nvim_create_user_command
  cmd('GroundedContext', function(a)
    local task
    if a.range > 0 then
      task = table.concat(vim.api.nvim_buf_get_lines(0, a.line1 - 1, a.line2, false), '\n')
    end
    require('grounded.context').open({ task = task })
  end, { range = true, desc = 'Grounded: API context for this buffer and cursor (a range is the task)' })
  cmd('GroundedGpu', function()
    require('grounded.gpu').open()
  end, { desc = 'Grounded: live GPU status' })
  cmd('GroundedReindex', function()
    require('grounded').reindex()
  end, { desc = 'Grounded: index the workspace again' })
  cmd('GroundedRestart', function()
    require('grounded').restart()
  end, { desc = 'Grounded: restart the language server' })
end

return M
