-- Put a failed job straight back to wait for another attempt (4.8.2).
-- ARGV: P, id, now, token, lifo ("1"/"0"), field, value, ...
local function main()
  local id, now, token = ARGV[2], tonumber(ARGV[3]), ARGV[4]
  promoteDue(now)
  local left = leaveActive(id, token, 6, #ARGV)
  if left ~= 0 then return left end
  local priority = tonumber(redis.call('HGET', P .. id, 'priority')) or 0
  if priority > 0 then addPrioritized(P, id, priority, false)
  elseif ARGV[5] == '1' then redis.call('RPUSH', P .. 'wait', id)
  else redis.call('LPUSH', P .. 'wait', id) end
  wakeWorkers(P)
  redis.call('HINCRBY', P .. id, 'atm', 1)
  emit(true, 'waiting', 'jobId', id, 'prev', 'active')
  return 0
end
