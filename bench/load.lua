-- wrk script of bench/load.py: rotate through the paths listed in the file named by
-- LOAD_PATHS (one a line), with the headers in LOAD_HEADERS ("Name: value" lines), count the answers that are not 200, and print the figures as
-- one line of JSON ("LOAD_JSON {...}") when the run ends. LOAD_SPREAD (wrk's thread count, or 0)
-- gives each thread its own share of the paths.
--
--   LOAD_PATHS=paths.txt LOAD_HEADERS='Cookie: ...' wrk -t2 -c8 -d10s -s bench/load.lua http://127.0.0.1:PORT
--
-- Each thread runs in a Lua state of its own: setup() keeps the threads so that done() can
-- add up what each counted (thread:get), and gives each a different starting offset so the
-- threads do not ask for the same record at the same moment.

local threads = {}
local paths = {}
local counter = 0
non200 = 0
statuses = ""

function setup(thread)
   thread:set("thread_no", #threads)
   table.insert(threads, thread)
end

function init(args)
   local name = os.getenv("LOAD_PATHS")
   local file = assert(io.open(name, "r"), "LOAD_PATHS names no readable file")
   for line in file:lines() do
      if #line > 0 then
         paths[#paths + 1] = line
      end
   end
   file:close()
   assert(#paths > 0, "LOAD_PATHS lists no path")
   -- headers from the environment, not the command line, where `ps` would show the
   -- session cookie and the API token to every local user
   for line in string.gmatch(os.getenv("LOAD_HEADERS") or "", "[^\n]+") do
      local name, value = string.match(line, "^([^:]+):%s*(.*)$")
      if name then
         wrk.headers[name] = value
      end
   end
   -- LOAD_SPREAD=N (wrk's threads): thread k starts k/N of the way through the list, so paths
   -- meant to be requested about once each are not asked for by two threads
   local spread = tonumber(os.getenv("LOAD_SPREAD") or "") or 0
   if spread > 0 then
      counter = math.floor((thread_no or 0) * #paths / spread)
   else
      counter = (thread_no or 0) * 37
   end
end

function request()
   counter = counter + 1
   return wrk.format(nil, paths[(counter % #paths) + 1])
end

function response(status, headers, body)
   if status ~= 200 then
      non200 = non200 + 1
      -- the first few unexpected statuses, for the report
      if #statuses < 40 then
         statuses = statuses .. tostring(status) .. " "
      end
   end
end

function done(summary, latency, requests)
   local unexpected, seen = 0, ""
   for _, thread in ipairs(threads) do
      unexpected = unexpected + (thread:get("non200") or 0)
      seen = seen .. (thread:get("statuses") or "")
   end
   local e = summary.errors
   io.write(string.format(
      'LOAD_JSON {"requests": %d, "duration_us": %d, "bytes": %d, "non200": %d, "statuses": "%s", '
         .. '"errors": {"connect": %d, "read": %d, "write": %d, "status": %d, "timeout": %d}, '
         .. '"latency_us": {"p50": %d, "p95": %d, "p99": %d, "max": %d, "mean": %.1f}}\n',
      summary.requests, summary.duration, summary.bytes, unexpected, seen,
      e.connect, e.read, e.write, e.status, e.timeout,
      latency:percentile(50), latency:percentile(95), latency:percentile(99), latency.max, latency.mean))
end
