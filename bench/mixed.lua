-- wrk script for bench/soak.sh: every CDS service in turn, each with its own request, POSTed to its own path.
-- $MIX_FILES: "path=file,path=file,…".
local calls = {}
for pair in string.gmatch(os.getenv("MIX_FILES"), "[^,]+") do
  local path, file = string.match(pair, "([^=]+)=(.+)")
  local f = assert(io.open(file, "rb"))
  calls[#calls + 1] = {path = path, body = f:read("*a")}
  f:close()
end
local n = 0
request = function()
  n = n + 1
  local c = calls[(n % #calls) + 1]
  return wrk.format("POST", c.path, {["Content-Type"] = "application/json"}, c.body)
end
