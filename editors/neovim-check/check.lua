-- Drives `hailuo lsp` in a headless Neovim 0.7-0.10 as a user would (typed keys, the built-in
-- handlers) and writes PASS/FAIL lines to $NVCHK_OUT. Started by run.sh; NVCHK_PART is "main"
-- (diagnostics, completion, hover, formatting, code actions, a spec changed on disk) or
-- "settings" (the init file's `settings` reach the server).
local out = assert(io.open(os.getenv("NVCHK_OUT"), "a"))
local part = os.getenv("NVCHK_PART") or "main"
local co
vim.o.showmode = false -- headless Neovim writes these messages to stderr, which run.sh reports
vim.opt.shortmess:append("c")

local function log(fmt, ...) out:write(string.format(fmt, ...) .. "\n") end
local function check(name, ok, detail)
  log("%s %s%s", ok and "PASS" or "FAIL", name, detail and (": " .. tostring(detail)) or "")
end

-- Wait until cond() holds or timeout_ms passes, yielding to Neovim's loop (keys, replies, timers).
local function wait(timeout_ms, cond)
  local start, held = vim.loop.now(), false
  local function poll()
    held = cond ~= nil and cond() or false
    if held or vim.loop.now() - start >= timeout_ms then
      assert(coroutine.resume(co))
    else
      vim.defer_fn(poll, 20)
    end
  end
  vim.defer_fn(poll, 20)
  coroutine.yield()
  return held
end
local function sleep(ms) wait(ms, nil) end
local function keys(typed) vim.api.nvim_input(typed); sleep(150) end
local function line() return vim.api.nvim_get_current_line() end
local function text(buf) return table.concat(vim.api.nvim_buf_get_lines(buf, 0, -1, false), "\n") end
local function write(name, lines) vim.fn.writefile(lines, name) end

local function open(name)
  vim.cmd("edit " .. name)
  local buf = vim.api.nvim_get_current_buf()
  wait(10000, function() return #vim.lsp.buf_get_clients(buf) > 0 end)
  return buf
end
local function diagnostics(buf, count)
  wait(10000, function() return #vim.diagnostic.get(buf) == count end)
  local found = vim.diagnostic.get(buf)
  table.sort(found, function(a, b) return a.lnum < b.lnum or (a.lnum == b.lnum and a.col < b.col) end)
  return found
end
local function covered(buf, d) return vim.api.nvim_buf_get_lines(buf, d.lnum, d.lnum + 1, false)[1]:sub(d.col + 1, d.end_col) end

-- <C-x><C-o> in insert mode; the words offered.
local function omni()
  vim.api.nvim_input("<C-x><C-o>")
  wait(5000, function() return #vim.fn.complete_info({ "items" }).items > 0 end)
  sleep(100)
  local words = {}
  for _, item in ipairs(vim.fn.complete_info({ "items" }).items) do table.insert(words, item.word) end
  return words
end
local function all_start(words, prefix)
  for _, w in ipairs(words) do if w:sub(1, #prefix) ~= prefix then return false end end
  return #words > 0
end

local function hover_at(row, col)
  vim.api.nvim_win_set_cursor(0, { row, col })
  vim.lsp.buf.hover()
  local shown
  wait(5000, function()
    for _, win in ipairs(vim.api.nvim_list_wins()) do
      if vim.api.nvim_win_get_config(win).relative ~= "" then
        shown = text(vim.api.nvim_win_get_buf(win))
        vim.api.nvim_win_close(win, true)
        return true
      end
    end
  end)
  return shown or ""
end

-- The user picks the first code action whose title contains `want` from vim.ui.select's menu.
local picked
local function pick(want)
  picked = nil
  vim.ui.select = function(items, opts, on_choice)
    for i, item in ipairs(items) do
      if (opts.format_item(item)):find(want, 1, true) then picked = opts.format_item(item); return on_choice(item, i) end
    end
    picked = false
    on_choice(nil, nil)
  end
end
local function find(buf, needle)
  for row, l in ipairs(vim.api.nvim_buf_get_lines(buf, 0, -1, false)) do
    local col = l:find(needle, 1, true)
    if col then return row, col - 1 end
  end
end

local function main()
  -- 1. diagnostics, also after CJK text and emoji (UTF-16 on the wire, bytes in Neovim)
  write("typo.shot", { "shot one", "  A boat drifts across the bay [Pan Left], then the camera [Push out].", "",
    "shot two", "  夜晚的城市，霓虹灯闪烁[Pan Left]，然后镜头[Push out]。", "",
    "shot three", "  A 🎈 balloon rises past 🚀 rockets [Push out]." })
  local buf = open("typo.shot")
  check("1 filetype shot, server attached", vim.bo.filetype == "shot" and #vim.lsp.buf_get_clients(buf) == 1)
  local want = { { 2, "Pan Left" }, { 2, "Push out" }, { 5, "Pan Left" }, { 5, "Push out" }, { 8, "Push out" } }
  local found = diagnostics(buf, #want)
  for i, w in ipairs(want) do
    local d = found[i]
    check(string.format("1 diagnostic on line %d covers %s", w[1], w[2]),
      d ~= nil and d.lnum + 1 == w[1] and covered(buf, d) == w[2], d and (d.code .. " " .. covered(buf, d)))
  end
  -- typed edits go as incremental changes in UTF-16: the findings must follow them
  vim.api.nvim_win_set_cursor(0, { 8, 4 })
  keys("i🎉 <Esc>")
  vim.api.nvim_win_set_cursor(0, { 5, 8 })
  keys("i灯光<Esc>")
  sleep(500)
  found = diagnostics(buf, #want)
  local after = {}
  for _, d in ipairs(found) do table.insert(after, covered(buf, d)) end
  check("1 after typing emoji and CJK, diagnostics still cover the directives",
    table.concat(after, "|") == "Pan Left|Push out|Pan Left|Push out|Push out", table.concat(after, "|"))
  vim.cmd("silent write")
  write("typo.prompt", { "霓虹灯闪烁[Pan Left]，A lamb stands on a hill [Push out]." })
  buf = open("typo.prompt")
  found = diagnostics(buf, 2)
  check("1 prompt file: filetype and two diagnostics", vim.bo.filetype == "hailuo-prompt" and #found == 2
    and covered(buf, found[1]) == "Pan Left" and covered(buf, found[2]) == "Push out", #found)
  buf = open("lamb.prompt")
  sleep(1000)
  check("1 clean example prompt: no diagnostics", #vim.diagnostic.get(buf) == 0, #vim.diagnostic.get(buf))

  -- 2. completion through the omnifunc the snippet sets (Neovim 0.7's filter is case-sensitive)
  write("comp.shot", { "shot one", "  @duration 6", "  A boat drifts" })
  buf = open("comp.shot")
  sleep(500)
  check("2 omnifunc is vim.lsp.omnifunc", vim.bo.omnifunc == "v:lua.vim.lsp.omnifunc", vim.bo.omnifunc)
  vim.api.nvim_win_set_cursor(0, { 3, 0 })
  keys("A [Pa")
  local words = omni()
  check("2 [Pa offers Pan left first, only names starting Pa", words[1] == "Pan left" and all_start(words, "Pa"), table.concat(words, "|"))
  keys("<C-y>")
  check("2 accepted: [Pan left", line():match("%[Pan left$") ~= nil, line())
  keys(", ")
  words = omni()
  check("2 after ', ' whole names", words[1] ~= nil and words[1]:find(" ") ~= nil, table.concat(words, "|"))
  keys("<C-y>")
  check("2 accepted whole", line():sub(-#words[1]) == words[1], line())
  keys("<C-w><C-w>Truck l")
  omni()
  keys("<C-y>")
  check("2 'Truck l' -> Truck left", line():match("%[Pan left, Truck left$") ~= nil, line())
  keys("] then [左")
  words = omni()
  check("2 [左 offers 左移 and 左摇", vim.tbl_contains(words, "左移") and vim.tbl_contains(words, "左摇"), table.concat(words, "|"))
  keys("<C-y>]<Esc>")
  vim.api.nvim_win_set_cursor(0, { 2, 0 })
  keys("o@res")
  words = omni()
  check("2 @res offers 'resolution '", #words == 1 and words[1] == "resolution ", vim.inspect(words))
  keys("<C-y>")
  check("2 accepted: '@resolution ' with its space", line():match("@resolution $") ~= nil, vim.inspect(line()))
  words = omni()
  check("2 values offered: 768P", vim.tbl_contains(words, "768P"), table.concat(words, "|"))
  keys("<C-e><Esc>")
  vim.cmd("edit!")

  -- 3. hover, formatting, code actions
  buf = open("city-night.shot")
  sleep(500)
  local row, col = find(buf, "[Truck left]")
  local shown = hover_at(row, col + 2)
  check("3 hover on [Truck left]", shown:find("**Truck left** · 左移", 1, true) ~= nil, shown:match("[^\n]*"))
  row, col = find(buf, "@duration 10")
  shown = hover_at(row, col + 2)
  check("3 hover on @duration", shown:find("Allowed: `6`, `10`", 1, true) ~= nil and shown:find("Sent value: `10`", 1, true) ~= nil, shown:match("[^\n]*"))
  shown = hover_at(row - 1, 2)
  check("3 hover on a shot header: resolution from the spec", shown:find('`"768P"` | city-night.toml [shots.alley]', 1, true) ~= nil)
  buf = open("typo.prompt")
  shown = hover_at(1, 17)
  check("3 hover on the near miss [Pan Left] gives the spelling", shown:find("Pan left", 1, true) ~= nil, shown:match("[^\n]*"))
  buf = open("city-night.shot")
  sleep(500)
  vim.lsp.buf.document_symbol()
  local function listed() -- 0.7 fills the quickfix list, later versions may use the location list
    return #vim.fn.getqflist() > 0 and vim.fn.getqflist() or vim.fn.getloclist(0)
  end
  wait(3000, function() return #listed() > 0 end)
  local names = vim.tbl_map(function(item) return item.text end, listed())
  check("3 outline lists the shots and their settings", table.concat(names, "|") == "[Event] skyline|[Event] alley|[Property] @duration|[Event] rooftop", table.concat(names, "|"))
  vim.cmd("cclose | lclose")
  local messy = { "shot skyline", "  City night [ pan left ,tilt up ], neon [Truck  Right].", "  夜晚的城市[ Pan Left ]，霓虹灯闪烁[推进 , 上摇]。" }
  write("messy.shot", messy)
  write("messy-cli.shot", messy)
  vim.fn.system({ "hailuo", "fmt", "messy-cli.shot" })
  buf = open("messy.shot")
  sleep(500)
  local function format() -- 0.8+ have vim.lsp.buf.format; 0.7 has formatting_sync
    if vim.lsp.buf.format then vim.lsp.buf.format({ timeout_ms = 3000 }) else vim.lsp.buf.formatting_sync(nil, 3000) end
  end
  format()
  local once = text(buf)
  format()
  check("3 formatting equals `hailuo fmt`", once == table.concat(vim.fn.readfile("messy-cli.shot"), "\n"), once)
  check("3 formatting is idempotent", text(buf) == once)
  buf = open("typo.shot")
  diagnostics(buf, 5)
  for _ = 1, 3 do -- lines 2, 5 (CJK before it) and 8 (emoji before it)
    row, col = find(buf, "[Push out]") -- the first one left
    vim.api.nvim_win_set_cursor(0, { row, col + 1 })
    pick("Pull out")
    vim.lsp.buf.code_action()
    wait(3000, function() return picked ~= nil end)
    sleep(300)
    local now = vim.api.nvim_buf_get_lines(buf, row - 1, row, false)[1]
    check("3 quick fix for [Push out] on line " .. row, picked and now:find("[Pull out]", 1, true) ~= nil, now)
  end
  pick("Fix all")
  if vim.fn.has("nvim-0.8") == 1 then -- the README's two forms: 0.8+ apply the only action at once
    picked = true
    vim.lsp.buf.code_action({ context = { only = { "source.fixAll" } }, apply = true })
  else
    vim.lsp.buf.code_action({ only = { "source.fixAll" } })
  end
  wait(3000, function() return picked ~= nil end)
  local clean = diagnostics(buf, 0)
  check("3 fix all", picked and #clean == 0 and not text(buf):find("Pan Left", 1, true), #clean)
  vim.cmd("edit!")

  -- 4. a spec rewritten on disk, with no notification: the open script is linted again
  buf = open("city-night.shot")
  sleep(1000)
  local spec = vim.fn.readfile("city-night.toml")
  local broken = vim.tbl_map(function(l) return (l:gsub('"768P"', '"1080P"')) end, spec)
  local start = vim.loop.now()
  write("city-night.toml", broken)
  local came = wait(10000, function() return #vim.diagnostic.get(buf) > 0 end)
  check("4 spec changed on disk: re-linted within the 1 s poll (+ lint)", came and vim.loop.now() - start < 2500,
    string.format("%d ms", vim.loop.now() - start))
  write("city-night.toml", spec)
  check("4 spec restored: cleared", wait(10000, function() return #vim.diagnostic.get(buf) == 0 end))
  -- a pyproject.toml with [tool.hailuo] created, then deleted, outside the editor
  buf = open("typo.prompt")
  diagnostics(buf, 2)
  write("pyproject.toml", { "[tool.hailuo]", 'ignore = ["HL101"]' })
  found = diagnostics(buf, 1)
  check("4 pyproject.toml created on disk: HL101 ignored", #found == 1 and found[1].code == "HL102", #found)
  os.remove("pyproject.toml")
  check("4 pyproject.toml deleted: HL101 back", #diagnostics(buf, 2) == 2)
  vim.lsp.get_active_clients()[1].notify("workspace/didChangeConfiguration", { settings = { hailuo = { debounce = 0 } } })
  sleep(500)
end

local function settings()
  -- the init file has settings = { hailuo = { pollInterval = 30 } }: a rewritten spec goes unseen
  local buf = open("city-night.shot")
  sleep(2500)
  local spec = vim.fn.readfile("city-night.toml")
  write("city-night.toml", vim.tbl_map(function(l) return (l:gsub('"768P"', '"1080P"')) end, spec))
  local came = wait(4000, function() return #vim.diagnostic.get(buf) > 0 end)
  write("city-night.toml", spec)
  check("4 settings reach the server (pollInterval = 30: no re-lint within 4 s)", not came)
end

co = coroutine.create(function()
  local ok, err = xpcall(part == "settings" and settings or main, debug.traceback)
  if not ok then check("the check ran without a Lua error", false, err) end
  out:close()
  vim.cmd("qa!")
end)
vim.schedule(function() assert(coroutine.resume(co)) end)
