-- Create or update a job scheduler and its first iteration, as Queue.upsertJobScheduler (9.1):
-- the scheduler's hash and its entry in the repeat set, then the iteration job
-- repeat:<id>:<millis> (delayed until its time) carrying rjk. An iteration still waiting from the
-- scheduler's previous definition is replaced; one already started is left to finish.
-- ARGV: P, schedulerId, name, now, nextMillis (pattern; "" for every), every, offset, startDate,
--       iteration opts JSON (short keys, with repeat; jobId, delay, timestamp, prevMillis and
--       repeatJobKey are set here), data JSON, then the hash's fields and values
-- Returns {jobId, delay}, -10 (pattern: the iteration's id is taken) or -11 (every: this slot
-- and the next are taken).

-- Removes an iteration that has not started; returns whether there was one.
local function removeWaiting(jobId)
  local state
  if redis.call('ZREM', P .. 'delayed', jobId) == 1 then state = 'delayed'
  elseif redis.call('ZREM', P .. 'prioritized', jobId) == 1 then state = 'prioritized'
  elseif redis.call('LREM', P .. 'wait', 0, jobId) > 0 then state = 'waiting'
  else return false end
  local key = P .. jobId
  redis.call('DEL', key, key .. ':logs', key .. ':dependencies', key .. ':processed',
             key .. ':failed', key .. ':unsuccessful')
  emit(true, 'removed', 'jobId', jobId, 'prev', state)
  return true
end

-- An `every` scheduler's next run: the slot it has (prev), or the one after it (realigned to the
-- grid when that is past), or for a new or changed interval startDate, the offset's slot, or now.
local function everyNext(prev, replaced, every, offset, startDate, now)
  if prev and replaced then return prev end
  if prev then
    local next = prev + every
    if next >= now then return next end
    local aligned = math.floor(now / every) * every + (offset or 0)
    return aligned > now and aligned or aligned + every
  end
  if startDate then return math.max(startDate, now) end
  if offset and offset > 0 then
    local aligned = math.floor(now / every) * every + offset
    return aligned > now and aligned or aligned + every
  end
  return now
end

local function main()
  local id, name, now = ARGV[2], ARGV[3], tonumber(ARGV[4])
  local every, offset, startDate = number(ARGV[6]), number(ARGV[7]), number(ARGV[8])
  local schedulerKey = P .. 'repeat:' .. id
  eventsMax()
  local prev = tonumber(redis.call('ZSCORE', P .. 'repeat', id))
  local replaced = prev and removeWaiting('repeat:' .. id .. ':' .. int(prev)) or false
  local nextMillis = number(ARGV[5])
  if every then
    local sameEvery = prev and tonumber(redis.call('HGET', schedulerKey, 'every')) == every
    if not sameEvery then prev = nil end
    nextMillis = everyNext(prev, replaced, every, offset, startDate, now)
    if not offset or offset == 0 then offset = nextMillis % every end
  end
  local jobId = 'repeat:' .. id .. ':' .. int(nextMillis)
  if redis.call('EXISTS', P .. jobId) == 1 then
    if not every then return -10 end
    nextMillis = nextMillis + every
    jobId = 'repeat:' .. id .. ':' .. int(nextMillis)
    if redis.call('EXISTS', P .. jobId) == 1 then return -11 end
  end
  local ic = redis.call('HGET', schedulerKey, 'ic') or '1'
  local fields = {'name', name}
  for i = 11, #ARGV do fields[#fields + 1] = ARGV[i] end
  if offset then fields[#fields + 1] = 'offset'; fields[#fields + 1] = int(offset) end
  fields[#fields + 1] = 'ic'; fields[#fields + 1] = ic
  redis.call('DEL', schedulerKey)
  redis.call('HSET', schedulerKey, unpack(fields))
  redis.call('ZADD', P .. 'repeat', nextMillis, id)
  redis.call('INCR', P .. 'id')
  local opts = cjson.decode(ARGV[9])
  local delay = math.max(nextMillis - now, 0)
  opts.jobId = jobId
  opts.delay = delay
  opts.timestamp = now
  opts.prevMillis = nextMillis
  opts.repeatJobKey = id
  storeAndEnqueue(jobId, name, ARGV[10], opts, now, nil, nil, id)
  return {jobId, delay}
end
