-- wrk script of the benchmarks (bench/forest.py): sends each request of a file once, over
-- the threads and connections wrk was given, then says DONE and stops its thread.
--
--   wrk -t T -c C -d 600s -s bench/wrk_requests.lua URL -- FILE T
--
-- FILE has one request a line: METHOD <tab> PATH <tab> AUTHORIZATION <tab> BODY. Thread k
-- takes lines k, k+T, k+2T…; once a thread has sent its lines, a connection still ready to
-- send asks for FILLER (a 404, not counted: the file's requests must never answer 404), and
-- once they are all answered the thread stops. At the end, one line of JSON: the status codes
-- of the file's requests and the latency percentiles (ms; fillers included, at most C).

local threads = {}
local FILLER = "/__wrk_filler__"

function setup(thread)
  thread:set("id", #threads)
  table.insert(threads, thread)
end

function init(args)
  local step = tonumber(args[2])
  reqs = {}
  local n = 0
  for line in io.lines(args[1]) do
    if n % step == id then
      local method, path, auth, body = line:match("^([^\t]*)\t([^\t]*)\t([^\t]*)\t(.*)$")
      local headers = {}
      if auth ~= "" then headers["Authorization"] = auth end
      if body ~= "" then headers["Content-Type"] = "application/json" else body = nil end
      table.insert(reqs, wrk.format(method, path, headers, body))
    end
    n = n + 1
  end
  sent, answered, codes = 0, 0, {}
  filler = wrk.format("GET", FILLER)
  -- wrk calls the first thread's request() once before sending anything (to verify it).
  verified = id ~= 0
  if #reqs == 0 then
    io.write("DONE\n")
    io.flush()
  end
end

function request()
  if not verified then
    verified = true
    return filler
  end
  if sent < #reqs then
    sent = sent + 1
    return reqs[sent]
  end
  return filler
end

function response(status, headers, body)
  if status == 404 or answered >= #reqs then return end  -- a filler's answer
  answered = answered + 1
  local k = tostring(status)
  codes[k] = (codes[k] or 0) + 1
  if answered == #reqs then
    io.write("DONE\n")
    io.flush()
    wrk.thread:stop()
  end
end

function done(summary, latency, requests)
  local total = {}
  for _, t in ipairs(threads) do
    for k, v in pairs(t:get("codes") or {}) do total[k] = (total[k] or 0) + v end
  end
  local parts = {}
  for k, v in pairs(total) do table.insert(parts, string.format('"%s": %d', k, v)) end
  io.write(string.format(
    'WRK {"codes": {%s}, "p50_ms": %.1f, "p95_ms": %.1f, "p99_ms": %.1f, "errors": %d}\n',
    table.concat(parts, ", "), latency:percentile(50) / 1000, latency:percentile(95) / 1000,
    latency:percentile(99) / 1000,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))
end
