-- Move the next job to active (4.4).
-- ARGV: P, now, token, lockMs, limiterMax, limiterDuration, workerName
local result = fetchJob(tonumber(ARGV[2]), fetchOptions(ARGV[3], ARGV[4], ARGV[5], ARGV[6], ARGV[7]))
return result
