-- Recover jobs whose worker died (4.9). Returns the recovered ids.
-- ARGV: P, now, maxStalledCount, stalledIntervalMs
local function main()
  local now, maxStalled = ARGV[2], tonumber(ARGV[3])
  local guard = P .. 'stalled-check'
  if redis.call('EXISTS', guard) == 1 then return {} end
  redis.call('SET', guard, now, 'PX', ARGV[4])
  redis.call('XTRIM', P .. 'events', 'MAXLEN', '~', eventsMax())
  local recovered = {}
  local suspects = redis.call('SMEMBERS', P .. 'stalled')
  if #suspects > 0 then
    redis.call('DEL', P .. 'stalled')
    for _, id in ipairs(suspects) do
      if string.sub(id, 1, 2) == '0:' then
        redis.call('LREM', P .. 'active', 1, id)
      elseif redis.call('EXISTS', P .. id .. ':lock') == 0
          and redis.call('LREM', P .. 'active', 1, id) > 0 then
        local stalls = redis.call('HINCRBY', P .. id, 'stc', 1)
        local rjk = redis.call('HGET', P .. id, 'rjk')
        local scheduled = rjk and (redis.call('EXISTS', P .. 'repeat:' .. rjk) == 1
                                   or redis.call('ZSCORE', P .. 'repeat', rjk))
        if stalls > maxStalled and not scheduled then
          redis.call('HSET', P .. id, 'defa', 'job stalled more than allowable limit')
        end
        redis.call('RPUSH', P .. 'wait', id)
        wakeWorkers(P)
        emit(false, 'waiting', 'jobId', id, 'prev', 'active')
        emit(false, 'stalled', 'jobId', id)
        recovered[#recovered + 1] = id
      end
    end
  end
  local active = redis.call('LRANGE', P .. 'active', 0, -1)
  for first = 1, #active, 7000 do
    redis.call('SADD', P .. 'stalled', unpack(active, first, math.min(first + 6999, #active)))
  end
  return recovered
end
