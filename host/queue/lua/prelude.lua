-- Warren's shared Lua helpers, prepended to every script of host/queue/lua.
-- Written from the facts of docs/bullmq-protocol (key layout, encodings, event fields); the
-- numbers in comments refer to its sections.
--
-- Each script defines its helpers and a `main` that does one call's work, so the same text runs
-- as an EVAL script (everything defined per call) and inside Warren's Redis function library
-- (defined once per FUNCTION LOAD). Top-level code therefore only defines; what belongs to one
-- call is set by beginCall and main.
local ARGV, P                     -- this call's arguments; P = ARGV[1] = "<prefix>:<queue>:"
local meta                        -- the queue's meta fields, read once per call
local promotedAll                 -- nothing more was due at this call's `now`
local markerDue                   -- a fetched job owes other workers a base marker (4.4)

local function beginCall(args)
  ARGV, P = args, args[1]
  meta, promotedAll, markerDue = nil, false, false
end

-- Runs fn(...) with `base` ("<prefix>:<queue>:") as the call's queue: the helpers below then
-- write another queue of the same slot (a dead letter, a replayed job). The call's own queue and
-- its per-call state come back afterwards, also when fn raises.
local function inQueue(base, fn, ...)
  local saved = {P, meta, promotedAll, markerDue}
  P, meta, promotedAll, markerDue = base, nil, false, false
  local ok, result = pcall(fn, ...)
  if markerDue then redis.call('ZADD', P .. 'marker', '0', '0') end
  P, meta, promotedAll, markerDue = saved[1], saved[2], saved[3], saved[4]
  if not ok then error(result, 0) end
  return result
end

local TWO32 = 4294967296

-- Numbers given to redis.call are printed with %.17g, which is slow; integers are passed as text.
local function int(n) return string.format('%d', n) end

local function queueMeta()        -- 4.2.1 and 4.2.2: one HMGET for the event cap and the gates
  if meta then return meta end
  local m = redis.call('HMGET', P .. 'meta', 'opts.maxLenEvents', 'paused', 'concurrency', 'max',
                       'duration')
  local maxEvents = m[1]
  if not tonumber(maxEvents) then
    redis.call('HSET', P .. 'meta', 'opts.maxLenEvents', '10000')
    maxEvents = '10000'
  elseif not string.match(maxEvents, '^%d+$') then
    maxEvents = int(tonumber(maxEvents))  -- e.g. "1e4": XADD takes digits only
  end
  meta = {maxEvents = maxEvents, paused = m[2], concurrency = m[3], max = m[4], duration = m[5]}
  return meta
end

local function eventsMax() return tonumber(queueMeta().maxEvents) end

local function emit(trim, ...)    -- an event; trim = true adds MAXLEN ~
  if trim then
    return redis.call('XADD', P .. 'events', 'MAXLEN', '~', queueMeta().maxEvents, '*', 'event', ...)
  end
  return redis.call('XADD', P .. 'events', '*', 'event', ...)
end

local function blockedAt(q)       -- 4.2.2 paused or at the global concurrency limit
  local m = redis.call('HMGET', q .. 'meta', 'paused', 'concurrency')
  if m[1] then return true end
  return m[2] and redis.call('LLEN', q .. 'active') >= tonumber(m[2]) or false
end

local function wakeWorkers(q)     -- 4.2.5 base marker, unless nobody may fetch anyway
  if not blockedAt(q) then redis.call('ZADD', q .. 'marker', 0, '0') end
end

local function markNextDelayed(q) -- 4.2.5 delay marker
  local first = redis.call('ZRANGE', q .. 'delayed', 0, 0, 'WITHSCORES')
  if first[2] then redis.call('ZADD', q .. 'marker', tonumber(first[2]) / 4096, '1') end
end

local function addPrioritized(q, id, priority, ahead)  -- 4.2.3
  local score = priority * TWO32
  if not ahead then score = score + (redis.call('INCR', q .. 'pc') % TWO32) end
  redis.call('ZADD', q .. 'prioritized', score, id)
end

local function delayedScore(q, due)  -- 4.2.4: due ms and a per-ms sequence in 12 bits
  local low = due * 4096
  local high = low + 4095
  local top = redis.call('ZREVRANGEBYSCORE', q .. 'delayed', high, low, 'WITHSCORES', 'LIMIT', 0, 1)
  if not top[2] then return low end
  local last = tonumber(top[2])
  if last >= high then return high end
  return last + 1
end

local function promoteDue(now)    -- 4.2.7
  if promotedAll then return end
  local due = redis.call('ZRANGEBYSCORE', P .. 'delayed', '0', int((now + 1) * 4096 - 1), 'LIMIT', '0', '1000')
  promotedAll = #due < 1000
  if #due == 0 then return end
  redis.call('ZREM', P .. 'delayed', unpack(due))
  for _, id in ipairs(due) do
    local priority = tonumber(redis.call('HGET', P .. id, 'priority')) or 0
    if priority > 0 then addPrioritized(P, id, priority, false)
    else redis.call('LPUSH', P .. 'wait', id) end
    emit(false, 'waiting', 'jobId', id, 'prev', 'delayed')
    redis.call('HSET', P .. id, 'delay', 0)
  end
  wakeWorkers(P)
end

local function unlock(id, token)  -- 4.2.8: 0, or -2 (no lock) / -6 (someone else's)
  if token == '0' then return 0 end
  local held = redis.call('GET', P .. id .. ':lock')
  if held == token then
    redis.call('DEL', P .. id .. ':lock')
    redis.call('SREM', P .. 'stalled', id)
    return 0
  end
  if held then return -6 end
  return -2
end

local function setFields(id, list)  -- 4.2.9: list = {field, value, ...}
  if #list > 0 then redis.call('HSET', P .. id, unpack(list)) end
end

-- Takes a job out of active on behalf of its worker (4.6 steps 1-6, 4.8.2, 4.8.3): the job must
-- exist and be locked by `token`; the fields ARGV[fieldsFrom..fieldsTo] are written first.
-- `exists`: whether the caller already knows that the hash exists (nil: look).
-- Returns 0, or -1 / -2 / -6 / -3 as BullMQ's scripts do.
local function leaveActive(id, token, fieldsFrom, fieldsTo, exists)
  if exists == nil then exists = redis.call('EXISTS', P .. id) == 1 end
  if not exists then return -1 end
  local locked = unlock(id, token)
  if locked ~= 0 then return locked end
  local updates = {}
  for i = fieldsFrom, fieldsTo do updates[#updates + 1] = ARGV[i] end
  setFields(id, updates)
  if redis.call('LREM', P .. 'active', '-1', id) == 0 then return -3 end
  return 0
end

-- A fetched job leaves a base marker for other workers (4.4); one per call is enough.
local function flushMarker()
  if markerDue then redis.call('ZADD', P .. 'marker', '0', '0') end
  markerDue = false
end

-- Fetch one job (4.4). opts: token, lockMs, max, duration, name (worker limiter and name).
-- Returns {hash, id, limitDelay, nextDelayed}, and as second value true when the answer means
-- "paused, maxed or rate limited" rather than "nothing to do".
local function fetchJob(now, o)
  local m = queueMeta()
  local blocked = m.paused and true or (m.concurrency and redis.call('LLEN', P .. 'active') >= tonumber(m.concurrency))
  promoteDue(now)
  local maxJobs = tonumber(m.max) or o.max
  if maxJobs then
    local used = tonumber(redis.call('GET', P .. 'limiter') or '0')
    if used >= maxJobs then
      local ttl = redis.call('PTTL', P .. 'limiter')
      if ttl == 0 then redis.call('DEL', P .. 'limiter')
      elseif ttl > 0 then return {0, 0, ttl, 0}, true end
    end
  end
  if blocked then return {0, 0, 0, 0}, true end
  local window = o.duration or tonumber(m.duration)
  for _ = 1, 100 do  -- ids whose hash is gone are dropped, as BullMQ would fail to load them
    local id = redis.call('RPOPLPUSH', P .. 'wait', P .. 'active')
    if id and string.sub(id, 1, 2) == '0:' then  -- a pre-5.0 marker id: drop it
      redis.call('LREM', P .. 'active', 1, id)
    else
      if not id then
        local top = redis.call('ZPOPMIN', P .. 'prioritized')
        if top[1] then
          id = top[1]
          redis.call('LPUSH', P .. 'active', id)
        else
          redis.call('DEL', P .. 'pc')
        end
      end
      if not id then break end
      local hash = redis.call('HGETALL', P .. id)
      if #hash > 0 then
        if maxJobs then
          if redis.call('INCR', P .. 'limiter') == 1 and window then
            redis.call('PEXPIRE', P .. 'limiter', math.floor(math.abs(window)))
          end
        end
        if o.token ~= '0' then redis.call('SET', P .. id .. ':lock', o.token, 'PX', int(o.lockMs)) end
        emit(false, 'active', 'jobId', id, 'prev', 'waiting')
        -- One HSET for the start stamp; the returned hash shows the new attempts-started count.
        local started = #hash + 2
        for i = 1, #hash, 2 do
          if hash[i] == 'ats' then started = i + 1 break end
        end
        hash[started - 1] = 'ats'
        hash[started] = int((tonumber(hash[started]) or 0) + 1)
        if o.name then redis.call('HSET', P .. id, 'processedOn', int(now), 'pb', o.name, 'ats', hash[started])
        else redis.call('HSET', P .. id, 'processedOn', int(now), 'ats', hash[started]) end
        markerDue = true
        return {hash, id, 0, 0}, false
      end
      redis.call('LREM', P .. 'active', -1, id)
    end
  end
  local first = redis.call('ZRANGE', P .. 'delayed', 0, 0, 'WITHSCORES')
  if first[2] then return {0, 0, 0, tonumber(first[2]) / 4096}, false end
  return {0, 0, 0, 0}, false
end

local function optional(text)     -- "" means absent
  if text == nil or text == '' then return nil end
  return text
end

local function number(text)       -- "" or nil means absent
  local t = optional(text)
  if t then return tonumber(t) end
  return nil
end

-- Worker options as the C++ side passes them: token, lockMs, max, duration, name.
local function fetchOptions(token, lockMs, max, duration, name)
  return {token = token, lockMs = tonumber(lockMs), max = number(max),
          duration = number(duration), name = optional(name)}
end

-- 4.2.10: stores a job hash and puts the job where it can run. `opts` is a decoded table with
-- short keys; `timestamp` is the job's creation time.
local function storeAndEnqueue(id, name, data, opts, timestamp, parentKey, parentJson, rjk)
  local delay = tonumber(opts.delay) or 0
  local priority = tonumber(opts.priority) or 0
  local fields = {'name', name, 'data', data, 'opts', cjson.encode(opts), 'timestamp', timestamp,
                  'delay', delay, 'priority', priority}
  if parentKey then
    fields[#fields + 1] = 'parentKey'; fields[#fields + 1] = parentKey
    fields[#fields + 1] = 'parent'; fields[#fields + 1] = parentJson
  end
  if rjk then fields[#fields + 1] = 'rjk'; fields[#fields + 1] = rjk end
  if type(opts.de) == 'table' and opts.de.id then
    fields[#fields + 1] = 'deid'; fields[#fields + 1] = tostring(opts.de.id)
  end
  redis.call('HSET', P .. id, unpack(fields))
  emit(false, 'added', 'jobId', id, 'name', name)
  if delay > 0 then
    local due = timestamp + delay
    redis.call('ZADD', P .. 'delayed', delayedScore(P, due), id)
    emit(true, 'delayed', 'jobId', id, 'delay', due)
    markNextDelayed(P)
    return
  end
  if priority > 0 then addPrioritized(P, id, priority, false)
  elseif opts.lifo then redis.call('RPUSH', P .. 'wait', id)
  else redis.call('LPUSH', P .. 'wait', id) end
  wakeWorkers(P)
  emit(true, 'waiting', 'jobId', id)
end
