-- Move an active job to delayed (4.8.3): a retry with backoff, or the plugin's own delay
-- (skipAttempt: attemptsMade unchanged, as job.moveToDelayed + DelayedError). Optionally fetches
-- the next job.
-- ARGV: P, id, now, token, delay, fetchNext, lockMs, limiterMax, limiterDuration, workerName,
--       nextToken, skipAttempt ("1"/"0"), field, value, ...
local function main()
  local id, now, token, delay = ARGV[2], tonumber(ARGV[3]), ARGV[4], tonumber(ARGV[5])
  local left = leaveActive(id, token, 13, #ARGV)
  if left ~= 0 then return left end
  local due = now + delay
  local score = delayedScore(P, due)
  if ARGV[12] ~= '1' then redis.call('HINCRBY', P .. id, 'atm', 1) end
  redis.call('HSET', P .. id, 'delay', delay)
  redis.call('ZADD', P .. 'delayed', score, id)
  emit(true, 'delayed', 'jobId', id, 'delay', due)
  if ARGV[6] == '1' then
    local next = fetchJob(now, fetchOptions(ARGV[11], ARGV[7], ARGV[8], ARGV[9], ARGV[10]))
    flushMarker()
    if next[2] ~= 0 then return next end
  end
  markNextDelayed(P)
  return 0
end
