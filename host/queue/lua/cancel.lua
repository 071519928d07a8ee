-- Cancel one job by its id (warren cancel, POST /admin/cancel; docs/reliability.md).
-- A job that has not started (waiting, prioritized, delayed) fails at once with "cancelled:
-- <reason>", as a final failure (4.6 steps 7-13, prev = the state it left; no attempt is spent
-- and no dead letter written). An active job is marked with the hash field `warren-cancel`
-- (read by the fetch and lock-renewal scripts, cleared by its finish) and its worker is told on
-- the channel "<prefix>:<queue>:cancel" ({"jobId", "reason"}): Warren nodes subscribe to it.
-- ARGV: P, id, reason, now, removeOnFail default of the worker (JSON text, or "")
-- Returns {'failed', prev}, {'active', subscribers reached}, {'finished', 'completed'|'failed'},
-- {'waiting-children'} or {'missing'}.

-- Retention of the cancelled job: its removeOnFail option, else the default (as JobRecord's
-- keepJobs does in the worker).
local function keepOf(optsText, default)
  local ok, opts = pcall(cjson.decode, optsText or '{}')
  local option = ok and type(opts) == 'table' and opts.removeOnFail or nil
  if option == nil and default ~= '' then
    local parsed, value = pcall(cjson.decode, default)
    if parsed then option = value end
  end
  if option == true then return 0, -1, 0 end
  if type(option) == 'number' then return option, -1, 0 end
  if type(option) == 'table' then
    return tonumber(option.count) or -1, tonumber(option.age) or -1, tonumber(option.limit) or 0
  end
  return -1, -1, 0
end

-- Takes the job out of the list or set where it waits to start; the state it left, or nil.
local function takeWaiting()
  if redis.call('LREM', P .. 'wait', 0, id) > 0 then return 'waiting' end
  if redis.call('ZREM', P .. 'prioritized', id) == 1 then return 'prioritized' end
  if redis.call('ZREM', P .. 'delayed', id) == 1 then return 'delayed' end
  return nil
end

local function main()
  id, target = ARGV[2], 'failed'
  jobKey = P .. id
  now, nowText, metricsPoints = tonumber(ARGV[4]), ARGV[4], 0
  local reason = ARGV[3]
  if redis.call('EXISTS', jobKey) == 0 then return {'missing'} end
  for _, set in ipairs({'completed', 'failed'}) do
    if redis.call('ZSCORE', P .. set, id) then return {'finished', set} end
  end
  if redis.call('LPOS', P .. 'active', id) then
    redis.call('HSET', jobKey, 'warren-cancel', reason)
    local reached = redis.call('PUBLISH', P .. 'cancel', cjson.encode({jobId = id, reason = reason}))
    return {'active', reached}
  end
  local job = redis.call('HMGET', jobKey, 'parentKey', 'parent', 'deid', 'atm', 'opts')
  local prev = takeWaiting()
  if not prev then
    if redis.call('ZSCORE', P .. 'waiting-children', id) then return {'waiting-children'} end
    return {'missing'}
  end
  value = 'cancelled: ' .. reason
  keepCount, keepAge, keepLimit = keepOf(job[5], ARGV[5])
  settleJob({job[1], job[2], job[3]}, tonumber(job[4]) or 0, prev)
  return {'failed', prev}
end
