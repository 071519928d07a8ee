-- Create a job scheduler's next iteration when the current one is activated (9.3 step 8).
-- ARGV: P, schedulerId, nextMillis (cron; "" for every), next job's opts JSON, now, producerId
-- Returns the new job's id, or nil when the scheduler is gone, the producer is stale or the
-- iteration already exists.
local function main()
  local rjk, now, producer = ARGV[2], tonumber(ARGV[5]), ARGV[6]
  local prev = redis.call('ZSCORE', P .. 'repeat', rjk)
  if not prev then return nil end
  prev = tonumber(prev)
  local s = redis.call('HMGET', P .. 'repeat:' .. rjk, 'name', 'data', 'every', 'offset')
  local opts = cjson.decode(ARGV[4])
  local repeatOpts = type(opts['repeat']) == 'table' and opts['repeat'] or {}
  local every = tonumber(s[3]) or tonumber(repeatOpts.every)
  local nextMillis = number(ARGV[3])
  if every then
    nextMillis = prev + every
    if nextMillis < now then
      local offset = tonumber(s[4]) or tonumber(repeatOpts.offset) or 0
      local aligned = math.floor(now / every) * every + offset
      nextMillis = aligned > now and aligned or aligned + every
    end
  end
  if not nextMillis then return nil end
  if producer ~= 'repeat:' .. rjk .. ':' .. string.format('%d', prev) then return nil end
  local nextId = 'repeat:' .. rjk .. ':' .. string.format('%d', nextMillis)
  if redis.call('EXISTS', P .. nextId) == 1 then
    emit(true, 'duplicated', 'jobId', nextId)
    return nil
  end
  redis.call('ZADD', P .. 'repeat', nextMillis, rjk)
  redis.call('HINCRBY', P .. 'repeat:' .. rjk, 'ic', 1)
  redis.call('INCR', P .. 'id')
  opts.delay = math.max(nextMillis - now, 0)
  opts.jobId = nextId
  opts.prevMillis = nextMillis
  opts.repeatJobKey = rjk
  storeAndEnqueue(nextId, s[1] or '', s[2] or '{}', opts, now, nil, nil, rjk)
  return nextId
end
