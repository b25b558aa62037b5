vim.g.do_filetype_lua = 1 -- Neovim 0.7 only: vim.filetype.add needs it
vim.filetype.add({ extension = { shot = "shot", prompt = "hailuo-prompt" } })

local clients = {} -- one server per project root
vim.api.nvim_create_autocmd("FileType", {
  pattern = { "shot", "hailuo-prompt" },
  callback = function(args)
    local folder = vim.fn.fnamemodify(vim.api.nvim_buf_get_name(args.buf), ":p:h")
    local marker = vim.fn.findfile("pyproject.toml", folder .. ";")
    local root = marker ~= "" and vim.fn.fnamemodify(marker, ":p:h") or folder
    if not clients[root] then
      clients[root] = vim.lsp.start_client({
        name = "hailuo",
        cmd = { "hailuo", "lsp" },
        root_dir = root,
        init_options = { promptExtensions = { ".prompt" } },
        on_attach = function(_, bufnr)
          vim.api.nvim_buf_set_option(bufnr, "omnifunc", "v:lua.vim.lsp.omnifunc")
        end,
        on_init = function(client) -- Neovim 0.7 only: 0.8+ send `settings` by themselves
          if vim.fn.has("nvim-0.8") == 0 and next(client.config.settings) then
            client.notify("workspace/didChangeConfiguration", { settings = client.config.settings })
          end
        end,
      })
    end
    vim.lsp.buf_attach_client(args.buf, clients[root])
  end,
})
