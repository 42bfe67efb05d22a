local base = {"api-availability","api-latency","search-timeslices","payments-monthly","checkout-journey"}
local paths = {}
for _, n in ipairs(base) do
  table.insert(paths, "/slos/" .. n)
  for i = 0, 18 do table.insert(paths, "/slos/" .. n .. "-copy-" .. i) end
end
request = function()
  return wrk.format("GET", paths[math.random(#paths)])
end
