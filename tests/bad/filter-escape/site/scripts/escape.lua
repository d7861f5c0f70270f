-- A hostile filter: tries every way out of the site folder it can think
-- of and reports what happened. Each must be refused.
local function try(what, f)
  local ok, err = pcall(f)
  if ok then
    briefing.log.warn(what .. ": ALLOWED (" .. tostring(err) .. ")")
  else
    briefing.log.warn(what .. ": refused: " .. tostring(err))
  end
end

return {
  collections = function(site)
    try("io.open", function() return io.open("/etc/passwd") end)
    try("os.remove", function() return os.remove("../sentinel/keep.txt") end)
    try("os.rename", function() return os.rename("site.yml", "moved.yml") end)
    try("os.execute", function() return os.execute("touch pwned") end)
    try("os.getenv", function() return os.getenv("HOME") end)
    try("os.tmpname", function() return os.tmpname() end)
    try("dofile", function() return dofile("/etc/passwd") end)
    try("loadfile", function() return loadfile("/etc/passwd") end)
    try("require a path", function() return require("../../outside") end)
    try("require an absolute path", function() return require("/etc/passwd") end)
    try("package.loadlib", function() return package.loadlib("libc.so.6", "system") end)
    try("load bytecode", function() return assert(load("\27Lua", "x", "b")) end)
    try("string.dump", function() return string.dump(try) end)
    try("debug", function() return debug.getinfo(1) end)
    try("briefing.data a path", function() return briefing.data("../site") end)
    try("briefing.data an absolute path", function() return briefing.data("/etc/passwd") end)
    try("add_page a path", function() site:add_page{url = "../../escape/", template = "page"} end)
    try("add_page an absolute path", function() site:add_page{url = "/tmp/escape/", template = "page"} end)
  end,
}
