-- A reader's page view, then the beacon its browser sends after the page is shown:
-- GET <story path>, POST /reads/ story=<pk>, each reader a different browser (so
-- reads are counted, not de-duplicated). Args after "--": story path, story pk.
-- Prints one JSON line when done.
local threads = {}
local counter = 0
local path, pk
pages, beacons, non_2xx = 0, 0, 0  -- globals: done() reads them per thread

function setup(thread)
  thread:set("id", #threads)
  table.insert(threads, thread)
end

function init(args)
  path, pk = args[1], args[2]
end

function request()
  counter = counter + 1
  if counter % 2 == 1 then
    pages = pages + 1
    return wrk.format("GET", path, {["User-Agent"] = "Mozilla/5.0 bench"})
  end
  beacons = beacons + 1
  return wrk.format("POST", "/reads/", {
    ["Content-Type"] = "application/x-www-form-urlencoded",
    ["Sec-Fetch-Site"] = "same-origin",
    ["User-Agent"] = string.format("Mozilla/5.0 (reader %d-%d) Chrome/131.0", id, counter),
  }, "story=" .. pk)
end

function response(status, headers, body)
  if status < 200 or status > 299 then
    non_2xx = non_2xx + 1
  end
end

function done(summary, latency, requests)
  local p, b, n = 0, 0, 0
  for _, thread in ipairs(threads) do
    p = p + thread:get("pages")
    b = b + thread:get("beacons")
    n = n + thread:get("non_2xx")
  end
  io.write(string.format(
    '{"requests": %d, "duration_us": %d, "pages": %d, "beacons": %d, "non_2xx": %d, ' ..
    '"errors": {"connect": %d, "read": %d, "write": %d, "status": %d, "timeout": %d}, ' ..
    '"latency_us": {"p50": %d, "p90": %d, "p99": %d}}\n',
    summary.requests, summary.duration, p, b, n,
    summary.errors.connect, summary.errors.read, summary.errors.write,
    summary.errors.status, summary.errors.timeout,
    latency:percentile(50), latency:percentile(90), latency:percentile(99)))
end
