-- wrk script for the SafeGram benchmark: rotates through the requests of a file named by BENCH_WRK_DATA,
-- one "token<TAB>path[<TAB>json body]" line each, sent with "Authorization: Bearer <token>" and the method in
-- BENCH_WRK_METHOD (GET by default). Each wrk thread starts at its own place in the list. At the end it prints one
-- line "WRKJSON {...}" with the counts and latency percentiles (microseconds) that tests/Bench reads.

local thread_count = 0

function setup(thread)
  thread:set("thread_index", thread_count)
  thread_count = thread_count + 1
end

function init(args)
  local method = os.getenv("BENCH_WRK_METHOD") or "GET"
  prepared = {}
  for line in io.lines(os.getenv("BENCH_WRK_DATA")) do
    local token, path, body = line:match("^([^\t]+)\t([^\t]+)\t?(.*)$")
    if token then
      local headers = { ["Authorization"] = "Bearer " .. token }
      if body ~= "" then
        headers["Content-Type"] = "application/json"
      else
        body = nil
      end
      prepared[#prepared + 1] = wrk.format(method, path, headers, body)
    end
  end
  if #prepared == 0 then
    error("no requests in " .. tostring(os.getenv("BENCH_WRK_DATA")))
  end
  position = ((thread_index or 0) * 7919) % #prepared
end

function request()
  position = position % #prepared + 1
  return prepared[position]
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'WRKJSON {"requests":%d,"duration_us":%d,"non2xx":%d,"connect_errors":%d,"read_errors":%d,' ..
    '"write_errors":%d,"timeouts":%d,"p50_us":%d,"p90_us":%d,"p99_us":%d,"max_us":%d,"mean_us":%.1f}\n',
    summary.requests, summary.duration, e.status, e.connect, e.read, e.write, e.timeout,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max, latency.mean))
end
