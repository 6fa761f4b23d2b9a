-- Client calls that differ between Neovim 0.10 (`client.request(...)`, a
-- closure per client) and 0.11+ (`client:request(...)`, a method; the dot
-- form is deprecated there).
local M = {}

local has_011 = vim.fn.has('nvim-0.11') == 1

function M.request(client, method, params, handler, buf)
  if has_011 then
    return client:request(method, params, handler, buf)
  end
  return client.request(method, params, handler, buf)
end

function M.request_sync(client, method, params, timeout_ms, buf)
  if has_011 then
    return client:request_sync(method, params, timeout_ms, buf)
  end
  return client.request_sync(method, params, timeout_ms, buf)
end

function M.stop(client)
  if has_011 then
    return client:stop()
  end
  return client.stop()
end

--- `vim.lsp.config` / `vim.lsp.enable` (Neovim 0.11+) are there.
function M.has_lsp_config()
  return vim.lsp.config ~= nil and vim.lsp.enable ~= nil
end

return M
