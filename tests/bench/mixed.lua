-- wrk script for `make benchmark`: every request takes the next line of a file of
-- "path<TAB>Cookie header" lines, so pages and the roles asking for them rotate; at the
-- end it prints one RESULT line that tests/bench/load.py reads.
-- Usage: wrk -s mixed.lua http://127.0.0.1:PORT -- requests.tsv

local threads = {}

function setup(thread)
  thread:set("id", #threads)
  table.insert(threads, thread)
end

function init(args)
  queue = {}
  for line in io.lines(args[1]) do
    local path, cookie = line:match("^([^\t]+)\t(.*)$")
    if path then
      queue[#queue + 1] = wrk.format("GET", path, {
        ["Host"] = "localhost",
        ["Cookie"] = cookie,
        -- As the production proxy says after terminating TLS.
        ["X-Forwarded-Proto"] = "https",
      })
    end
  end
  -- Threads start at different places in the list.
  position = (id * 7) % #queue
  bad = 0
end

function request()
  position = position % #queue + 1
  return queue[position]
end

function response(status, headers, body)
  -- A redirect means the session was not accepted: count it with the errors.
  if status < 200 or status > 299 then
    bad = bad + 1
  end
end

function done(summary, latency, requests)
  local non2xx = 0
  for _, thread in ipairs(threads) do
    non2xx = non2xx + thread:get("bad")
  end
  local errors = summary.errors
  io.write(string.format(
    "RESULT requests=%d seconds=%.3f p50=%d p95=%d p99=%d max=%d non2xx=%d "
      .. "connect=%d read=%d write=%d timeout=%d\n",
    summary.requests, summary.duration / 1e6,
    latency:percentile(50), latency:percentile(95), latency:percentile(99), latency.max,
    non2xx, errors.connect, errors.read, errors.write, errors.timeout
  ))
end
