-- POST /api/v1/transactions with a fresh external_id each time (VENDOR_KEY from the
-- environment), spread over the benchmark's 100 customers.
local counter = 0
local prefix = "t"
local key = os.getenv("VENDOR_KEY")

function init(args)
  prefix = (args[1] or "t") .. "-" .. tostring(math.random(1, 1000000000))
end

function request()
  counter = counter + 1
  local body = '{"program":"bench","customer_key":"c' .. (counter % 100) .. '","external_id":"' .. prefix .. '-' .. counter ..
    '","amount":' .. (1000 + counter % 97) .. ',"currency":"USD"}'
  return wrk.format("POST", "/api/v1/transactions", {["Authorization"] = "Bearer " .. key, ["Content-Type"] = "application/json"}, body)
end

function done(summary, latency, requests)
  io.write(string.format("RESULT requests=%d errors=%d non2xx=%d duration_us=%d p99_us=%d\n", summary.requests,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout, summary.errors.status,
    summary.duration, latency:percentile(99)))
end
