-- Moving a job to completed or failed (4.6 steps 7-13), shared by finish.lua (a worker's job
-- leaving active) and cancel.lua (a job cancelled before it started).
--
-- This call's clock and metrics setting, and the job being finished: set by the script's main,
-- read by the helpers below.
local now, nowText, metricsPoints
local id, target, value, keepCount, keepAge, keepLimit, jobKey

local function deleteJob(key)     -- the hash and its sub-keys (1.3)
  redis.call('DEL', key, key .. ':logs', key .. ':dependencies', key .. ':processed',
             key .. ':failed', key .. ':unsuccessful')
end

-- The parent of a job: key, id and queue key ("<prefix>:<queue>", no colon), and its flags.
local function parentOf(parentKey, parentJson)
  if parentJson then
    local ok, parent = pcall(cjson.decode, parentJson)
    if ok and type(parent) == 'table' and parent.id and parent.queueKey then
      return parent.queueKey .. ':' .. parent.id, parent.id, parent.queueKey, parent
    end
  end
  if parentKey then
    local queueKey, parentId = string.match(parentKey, '^(.*):([^:]*)$')
    if queueKey then return parentKey, parentId, queueKey, {} end
  end
  return nil
end

-- Puts a parent that left waiting-children (or delayed) where it can run (8.3 steps 2-4).
local function placeParent(pq, pid)
  local fields = redis.call('HMGET', pq .. pid, 'priority', 'delay')
  local delay = tonumber(fields[2]) or 0
  if delay > 0 then
    local due = now + delay
    redis.call('ZADD', pq .. 'delayed', due * 4096, pid)
    redis.call('XADD', pq .. 'events', '*', 'event', 'delayed', 'jobId', pid, 'delay', due)
    markNextDelayed(pq)
    return
  end
  local priority = tonumber(fields[1]) or 0
  if priority > 0 then addPrioritized(pq, pid, priority, false)
  else redis.call('RPUSH', pq .. 'wait', pid) end
  wakeWorkers(pq)
  redis.call('XADD', pq .. 'events', '*', 'event', 'waiting', 'jobId', pid, 'prev', 'waiting-children')
end

local function releaseParent(pq, pid)  -- 8.3
  if redis.call('EXISTS', pq .. pid) == 0 then return end
  if redis.call('ZREM', pq .. 'waiting-children', pid) == 1 then placeParent(pq, pid) end
end

local function releaseIfNoDeps(parentKey, pq, pid)
  if redis.call('SCARD', parentKey .. ':dependencies') == 0 then releaseParent(pq, pid) end
end

-- A child removed by retention leaves its parent's dependencies (4.10, the simpler release).
local function dropDependency(childKey, parentKey, parentJson)
  local key, pid, queueKey = parentOf(parentKey, parentJson)
  if not key or redis.call('SREM', key .. ':dependencies', childKey) == 0 then return end
  local pq = queueKey .. ':'
  if redis.call('SCARD', key .. ':dependencies') == 0 and redis.call('EXISTS', key) == 1
      and redis.call('ZREM', pq .. 'waiting-children', pid) == 1 then
    redis.call('RPUSH', pq .. 'wait', pid)
    wakeWorkers(pq)
    redis.call('XADD', pq .. 'events', '*', 'event', 'waiting', 'jobId', pid, 'prev', 'waiting-children')
  end
end

local function failParent(parentKey, pq, pid, childKey)  -- fpof (8.4)
  redis.call('ZADD', parentKey .. ':unsuccessful', now, childKey)
  if redis.call('EXISTS', parentKey) == 0 then return end
  local reason = 'child ' .. childKey .. ' failed'
  if redis.call('ZREM', pq .. 'waiting-children', pid) == 1 then
    redis.call('HSET', parentKey, 'defa', reason)
    placeParent(pq, pid)
  elseif redis.call('ZREM', pq .. 'delayed', pid) == 1 then
    redis.call('HSET', parentKey, 'delay', 0, 'defa', reason)
    placeParent(pq, pid)
  elseif not redis.call('ZSCORE', pq .. 'failed', pid) then
    redis.call('HSET', parentKey, 'defa', reason)
  end
end

local function updateParent(parentKey, parentJson)  -- 8.2 and 8.4
  local key, pid, queueKey, flags = parentOf(parentKey, parentJson)
  if not key then return end
  local pq = queueKey .. ':'
  if target == 'completed' then
    if redis.call('SREM', key .. ':dependencies', jobKey) == 1 then
      redis.call('HSET', key .. ':processed', jobKey, value)
      releaseIfNoDeps(key, pq, pid)
    end
    return
  end
  if not (flags.fpof or flags.cpof or flags.idof or flags.rdof) then return end
  if redis.call('SREM', key .. ':dependencies', jobKey) == 0 then return end
  if flags.fpof then
    failParent(key, pq, pid, jobKey)
  elseif flags.cpof then
    redis.call('HSET', key .. ':failed', jobKey, value)
    releaseParent(pq, pid)
  elseif flags.idof then
    releaseIfNoDeps(key, pq, pid)
    redis.call('HSET', key .. ':failed', jobKey, value)
  else
    releaseIfNoDeps(key, pq, pid)
  end
end

local function finishDeduplication(deid)  -- 4.13
  local key = P .. 'de:' .. deid
  local ttl = redis.call('PTTL', key)
  if ttl == 0 or (ttl == -1 and redis.call('GET', key) == id) then redis.call('DEL', key) end
  local nextKey = P .. 'dn:' .. deid
  if redis.call('EXISTS', nextKey) == 0 then return end
  local n = redis.call('HMGET', nextKey, 'jid', 'name', 'data', 'opts', 'pk', 'pd', 'pdk', 'rjk')
  local counter = redis.call('INCR', P .. 'id')
  local newId = n[1] or tostring(counter)
  local opts = cjson.decode(n[4] or '{}')
  local de = opts.de or {}
  if de.keepLastIfActive then redis.call('SET', key, newId)
  elseif tonumber(de.ttl) and tonumber(de.ttl) > 0 then redis.call('SET', key, newId, 'PX', de.ttl)
  else redis.call('SET', key, newId) end
  storeAndEnqueue(newId, n[2] or "", n[3] or "{}", opts, now, n[5] or nil, n[6] or nil, n[8] or nil)
  if n[7] then redis.call('SADD', n[7], P .. newId) end
  redis.call('DEL', nextKey)
end

local function dropFinished(set, ids)  -- jobs trimmed from completed/failed
  for _, old in ipairs(ids) do
    local f = redis.call('HMGET', P .. old, 'parentKey', 'parent')
    deleteJob(P .. old)
    dropDependency(P .. old, f[1] or nil, f[2] or nil)
  end
  if #ids > 0 then redis.call('ZREM', set, unpack(ids)) end
end

local function trimFinished(set)  -- 4.10 age and count trimming of completed/failed
  if keepAge and keepAge >= 0 then
    local limit = (keepLimit and keepLimit > 0) and keepLimit or 1000
    dropFinished(set, redis.call('ZREVRANGEBYSCORE', set, now - keepAge * 1000, '-inf', 'LIMIT', 0, limit))
  end
  if keepCount > 0 then dropFinished(set, redis.call('ZREVRANGE', set, keepCount, -1)) end
end

local function collectMetrics()   -- 7
  local key = P .. 'metrics:' .. target
  local count = redis.call('HINCRBY', key, 'count', 1) - 1
  local prev = redis.call('HMGET', key, 'prevTS', 'prevCount')
  if not prev[1] then
    redis.call('HSET', key, 'prevTS', now, 'prevCount', 0)
    return
  end
  local points = math.min(math.floor(now / 60000) - math.floor(tonumber(prev[1]) / 60000),
                          metricsPoints)
  if points <= 0 then return end
  local values = {count - (tonumber(prev[2]) or 0)}
  for i = 2, points do values[i] = 0 end
  for first = 1, #values, 7000 do
    redis.call('LPUSH', key .. ':data', unpack(values, first, math.min(first + 6999, #values)))
  end
  redis.call('LTRIM', key .. ':data', 0, metricsPoints - 1)
  redis.call('HSET', key, 'prevCount', count, 'prevTS', now)
end

-- 4.6 steps 7-13 for the job `id` that has just left `prev` (its list or set) for `target`:
-- deduplication, its parent, retention, the event and metrics. `links` = {parentKey, parent,
-- deid} as read before it left; `made` is its attempts made from now on.
local function settleJob(links, made, prev)
  if links[3] then finishDeduplication(links[3]) end
  if links[1] or links[2] then updateParent(links[1] or nil, links[2] or nil) end
  local set = P .. target
  if keepCount == 0 then
    deleteJob(jobKey)
    if links[1] or links[2] then dropDependency(jobKey, links[1] or nil, links[2] or nil) end
  else
    redis.call('ZADD', set, nowText, id)
    if target == 'completed' then
      redis.call('HSET', jobKey, 'returnvalue', value, 'finishedOn', nowText, 'atm', int(made))
    else
      redis.call('HSET', jobKey, 'failedReason', value, 'finishedOn', nowText, 'atm', int(made))
      redis.call('HDEL', jobKey, 'defa')
    end
    trimFinished(set)
  end
  if target == 'completed' then
    emit(true, 'completed', 'jobId', id, 'returnvalue', value, 'prev', prev)
  else
    emit(true, 'failed', 'jobId', id, 'failedReason', value, 'prev', prev)
  end
  if metricsPoints and metricsPoints > 0 then collectMetrics() end
end
