-- Counts the responses that matter under wrk: status 200 with a body of an expected length.
-- Run as `wrk -s bench/wrk_count.lua URL -- CONFIG`, where CONFIG is a Lua file returning
-- { cookies = {...}, lengths = {...} }; each request sends the next cookie in turn (none when
-- the list is empty), each thread starting at a different one. done() prints one JSON line.

local threads = {}

function setup(thread)
  thread:set("thread_number", #threads)
  table.insert(threads, thread)
end

function init(args)
  local config = dofile(args[1])
  cookies = config.cookies
  expected = {}
  for _, length in ipairs(config.lengths) do
    expected[length] = true
  end
  good, wrong_status, wrong_length = 0, 0, 0
  turn = thread_number * 7919 -- far apart, so two threads rarely send the same session at once
end

function request()
  if #cookies == 0 then
    return wrk.format()
  end
  turn = turn % #cookies + 1
  return wrk.format(nil, nil, { Host = wrk.headers["Host"], Cookie = cookies[turn] })
end

function response(status, headers, body)
  if status ~= 200 then
    wrong_status = wrong_status + 1
  elseif expected[#body] then
    good = good + 1
  else
    wrong_length = wrong_length + 1
  end
end

function done(summary, latency, requests)
  local totals = { good = 0, wrong_status = 0, wrong_length = 0 }
  for _, thread in ipairs(threads) do
    for name, _ in pairs(totals) do
      totals[name] = totals[name] + thread:get(name)
    end
  end
  local errors = summary.errors
  io.write(string.format(
    'wrk-count {"good": %d, "wrong_status": %d, "wrong_length": %d, "responses": %d, '
      .. '"duration_us": %d, "connect_errors": %d, "read_errors": %d, "write_errors": %d, '
      .. '"timeouts": %d, "latency_p50_ms": %.1f, "latency_p99_ms": %.1f}\n',
    totals.good, totals.wrong_status, totals.wrong_length, summary.requests,
    summary.duration, errors.connect, errors.read, errors.write, errors.timeout,
    latency:percentile(50) / 1000, latency:percentile(99) / 1000
  ))
end
