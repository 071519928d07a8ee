-- Give an active job back to wait without counting an attempt: a job cancelled by shutdown,
-- drain or reload, or returned by the rate limiter (4.11.3). With limitMs > 0 the plugin asked
-- for a rate limit first (Worker.rateLimit: the limiter key held for that long). Returns the
-- limiter's TTL or 0.
-- ARGV: P, id, token, limitMs (optional)
local function main()
  local id, token = ARGV[2], ARGV[3]
  if redis.call('EXISTS', P .. id) == 0 then return -1 end
  local locked = unlock(id, token)
  if locked ~= 0 then return locked end
  local limitMs = number(ARGV[4])
  if limitMs and limitMs > 0 then
    redis.call('SET', P .. 'limiter', '9007199254740991', 'PX', int(limitMs))
  end
  if redis.call('LREM', P .. 'active', 1, id) > 0 then
    local priority = tonumber(redis.call('HGET', P .. id, 'priority')) or 0
    if priority > 0 then addPrioritized(P, id, priority, true)
    else
      redis.call('RPUSH', P .. 'wait', id)
      wakeWorkers(P)
    end
    emit(true, 'waiting', 'jobId', id, 'prev', 'active')
  end
  local ttl = redis.call('PTTL', P .. 'limiter')
  if ttl > 0 then return ttl end
  return 0
end
