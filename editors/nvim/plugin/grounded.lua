-- Commands exist as soon as the plugin is on the runtimepath (also for
-- setups that only call `vim.lsp.enable('grounded')`).
if vim.g.loaded_grounded then
  return
end
vim.g.loaded_grounded = true
require('grounded.commands').create()
