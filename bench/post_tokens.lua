-- wrk script: POST the JSON body in $BODY_FILE, each request with the next bearer token of $TOKENS_FILE (one
-- per line, each with its own jti: a token is accepted once). The same script drives the unauthenticated
-- service too, so both runs cost wrk the same.
local f = assert(io.open(os.getenv("BODY_FILE"), "rb"))
local body = f:read("*a")
f:close()
local tokens = {}
for line in io.lines(os.getenv("TOKENS_FILE")) do tokens[#tokens + 1] = line end
local i = 0
request = function()
  i = i % #tokens + 1
  return wrk.format("POST", nil, {
    ["Host"] = wrk.headers["Host"],
    ["Content-Type"] = "application/json",
    ["Authorization"] = "Bearer " .. tokens[i],
  }, body)
end
