-- Move an active job to delayed: a retry with backoff (4.8.3). Optionally fetches the next job.
-- ARGV: P, id, now, token, delay, fetchNext, lockMs, limiterMax, limiterDuration, workerName,
--       nextToken, field, value, ...
local id, now, token, delay = ARGV[2], tonumber(ARGV[3]), ARGV[4], tonumber(ARGV[5])
if redis.call('EXISTS', P .. id) == 0 then return -1 end
local locked = unlock(id, token)
if locked ~= 0 then return locked end
local updates = {}
for i = 12, #ARGV do updates[#updates + 1] = ARGV[i] end
setFields(id, updates)
if redis.call('LREM', P .. 'active', -1, id) == 0 then return -3 end
local due = now + delay
local score = delayedScore(P, due)
redis.call('HINCRBY', P .. id, 'atm', 1)
redis.call('HSET', P .. id, 'delay', delay)
redis.call('ZADD', P .. 'delayed', score, id)
emit(true, 'delayed', 'jobId', id, 'delay', due)
if ARGV[6] == '1' then
  local next = fetchJob(now, fetchOptions(ARGV[11], ARGV[7], ARGV[8], ARGV[9], ARGV[10]))
  if next[2] ~= 0 then return next end
end
markNextDelayed(P)
return 0
