-- Move up to one job per lock token to active (4.4), stopping at the first empty answer.
-- ARGV: P, now, lockMs, limiterMax, limiterDuration, workerName, token, token, ...
-- Returns one result per job fetched, plus the empty answer that ended the run if any.
local function main()
  local now = tonumber(ARGV[2])
  local results = {}
  for i = 7, #ARGV do
    local result = fetchJob(now, fetchOptions(ARGV[i], ARGV[3], ARGV[4], ARGV[5], ARGV[6]))
    results[#results + 1] = result
    if result[2] == 0 then break end
  end
  flushMarker()
  return results
end
