-- wrk script for Benchmarks/redirect: GET {BENCH_PREFIX}{random key} with a browser
-- User-Agent for BENCH_GET_SECONDS, then, until wrk's -d ends, the same requests with a
-- bot User-Agent (redirected, never recorded). wrk drops in-flight requests when it
-- stops; the bot tail makes sure those are never counted clicks, so the number of
-- counted redirects below is exact. done() prints one JSON line prefixed "RESULT ".
--
-- Environment: BENCH_KEYS (file, one link key a line), BENCH_PREFIX ("/r/" or
-- "/bench/bare/"), BENCH_GET_SECONDS (seconds of counted load), BENCH_VISITORS (how many
-- visitors the clicks come from, 1 by default: wrk has one IP and keeps no cookie, so each
-- visitor is a User-Agent of its own, which the server hashes with the IP).

local ffi = require("ffi")
ffi.cdef [[
  typedef struct { long tv_sec; long tv_nsec; } bench_timespec;
  int clock_gettime(int clk_id, bench_timespec *tp);
]]
local ts = ffi.new("bench_timespec")
local function now()
  ffi.C.clock_gettime(1, ts) -- CLOCK_MONOTONIC
  return tonumber(ts.tv_sec) + tonumber(ts.tv_nsec) * 1e-9
end

local BROWSER = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0 Safari/537.36"
local BOT = "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)"

-- main state ----------------------------------------------------------------
local threads = {}
local next_id = 1
function setup(thread)
  thread:set("id", next_id)
  next_id = next_id + 1
  table.insert(threads, thread)
end

-- thread states --------------------------------------------------------------
local keys, nkeys, prefix, get_seconds, visitors
local t0, deadline
counted = 0      -- 302s carrying tdm_click (a click on /r/, its twin on /bench/bare/)
uncounted = 0    -- 302s without tdm_click (the bot tail)
unexpected = 0   -- anything that is not a 302
first_at = 0
last_counted_at = 0

function init(args)
  local path = os.getenv("BENCH_KEYS") or error("BENCH_KEYS not set")
  prefix = os.getenv("BENCH_PREFIX") or "/r/"
  get_seconds = tonumber(os.getenv("BENCH_GET_SECONDS") or "8")
  visitors = tonumber(os.getenv("BENCH_VISITORS") or "1")
  keys = {}
  for line in io.lines(path) do
    if #line > 0 then keys[#keys + 1] = line end
  end
  nkeys = #keys
  if nkeys == 0 then error("no keys in " .. path) end
  math.randomseed(os.time() * 1000 + (id or 0) * 7919)
end

function request()
  local t = now()
  if t0 == nil then
    t0 = t
    first_at = t
    deadline = t + get_seconds
  end
  local ua = BOT
  if t < deadline then
    ua = (visitors > 1) and (BROWSER .. " visitor/" .. math.random(visitors)) or BROWSER
  end
  return wrk.format("GET", prefix .. keys[math.random(nkeys)], { ["User-Agent"] = ua })
end

function response(status, headers, body)
  if status == 302 then
    local location = headers["location"] or headers["Location"] or ""
    if string.find(location, "tdm_click=", 1, true) then
      counted = counted + 1
      last_counted_at = now()
    else
      uncounted = uncounted + 1
    end
  else
    unexpected = unexpected + 1
  end
end

-- main state again -------------------------------------------------------------
function done(summary, latency, requests)
  local c, u, x = 0, 0, 0
  local start, stop = math.huge, 0
  for _, thread in ipairs(threads) do
    c = c + (thread:get("counted") or 0)
    u = u + (thread:get("uncounted") or 0)
    x = x + (thread:get("unexpected") or 0)
    local f, l = thread:get("first_at") or 0, thread:get("last_counted_at") or 0
    if f > 0 and f < start then start = f end
    if l > stop then stop = l end
  end
  local window = (stop > start) and (stop - start) or 0
  local e = summary.errors
  io.write(string.format(
    'RESULT {"counted":%d,"uncounted":%d,"unexpected":%d,"responses":%d,"duration_s":%.3f,' ..
    '"counted_window_s":%.3f,"counted_rps":%.1f,"rps":%.1f,"p50_ms":%.3f,"p90_ms":%.3f,"p99_ms":%.3f,' ..
    '"max_ms":%.3f,"status_errors":%d,"connect_errors":%d,"read_errors":%d,"write_errors":%d,"timeouts":%d}\n',
    c, u, x, summary.requests, summary.duration / 1e6,
    window, (window > 0) and c / window or 0, summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(90) / 1000, latency:percentile(99) / 1000,
    latency.max / 1000, e.status, e.connect, e.read, e.write, e.timeout))
end
