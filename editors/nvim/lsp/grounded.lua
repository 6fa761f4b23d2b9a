-- `vim.lsp.enable('grounded')` (Neovim 0.11+, nvim-lspconfig's layout):
-- the server with Grounded's default options (or those given to setup()).
return require('grounded.config').lsp_config()
