-- Add one job, as a BullMQ producer would (4.2.11): standard, prioritized, delayed or lifo, with
-- an optional custom id, deduplication and parent.
-- ARGV: P, customId, name, timestamp, data JSON, opts JSON (short keys), parentKey, parent JSON,
--       parent dependencies key

-- A job added again with its custom id and a parent becomes that parent's child (4.2.11 step 3):
-- unless it has another parent (-7); a job already completed hands its return value over.
local function attachExisting(id, parentKey, parentJson, parentDeps)
  local current = redis.call('HGET', P .. id, 'parentKey')
  if current then
    if current == parentKey then return 0 end
    return -7
  end
  redis.call('HSET', P .. id, 'parentKey', parentKey, 'parent', parentJson)
  if not redis.call('ZSCORE', P .. 'completed', id) then
    redis.call('SADD', parentDeps, P .. id)
    return 0
  end
  local value = redis.call('HGET', P .. id, 'returnvalue') or 'null'
  redis.call('HSET', parentKey .. ':processed', P .. id, value)
  local pq, pid = string.match(parentKey, '^(.*:)([^:]*)$')
  if redis.call('SCARD', parentDeps) == 0 and redis.call('ZREM', pq .. 'waiting-children', pid) == 1 then
    redis.call('RPUSH', pq .. 'wait', pid)
    wakeWorkers(pq)
    redis.call('XADD', pq .. 'events', '*', 'event', 'waiting', 'jobId', pid, 'prev', 'waiting-children')
  end
  return 0
end

local function main()
  local customId, name, timestamp = optional(ARGV[2]), ARGV[3], tonumber(ARGV[4])
  local data, opts = ARGV[5], cjson.decode(ARGV[6])
  local parentKey, parentJson, parentDeps = optional(ARGV[7]), optional(ARGV[8]), optional(ARGV[9])
  if parentKey and redis.call('EXISTS', parentKey) == 0 then return -5 end
  local counter = redis.call('INCR', P .. 'id')
  eventsMax()
  local id = customId or tostring(counter)
  if redis.call('EXISTS', P .. id) == 1 then
    if parentKey then
      local attached = attachExisting(id, parentKey, parentJson, parentDeps)
      if attached ~= 0 then return attached end
    end
    emit(true, 'duplicated', 'jobId', id)
    return id
  end
  local de = type(opts.de) == 'table' and opts.de or nil
  if de and de.id then
    local key = P .. 'de:' .. de.id
    local ttl = tonumber(de.ttl)
    local nextKey = P .. 'dn:' .. de.id
    local owner = redis.call('GET', key)
    -- A key without expiry should vanish when its job finishes; if that job is gone (removed, or
    -- lost in an outage) the key is stale and would refuse every later job: start afresh.
    if owner and redis.call('PTTL', key) == -1 and redis.call('EXISTS', P .. owner) == 0 then
      redis.call('DEL', key, nextKey)
      owner = nil
    end
    if owner and de.replace and redis.call('ZREM', P .. 'delayed', owner) == 1 then
      local old = P .. owner
      redis.call('DEL', old, old .. ':logs', old .. ':dependencies', old .. ':processed',
                 old .. ':failed', old .. ':unsuccessful')
      redis.call('DEL', nextKey)  -- a pending "next" job belonged to the replaced one
      emit(true, 'removed', 'jobId', owner, 'prev', 'delayed')
      emit(true, 'deduplicated', 'jobId', id, 'deduplicationId', de.id, 'deduplicatedJobId', owner)
      owner = nil
    end
    if owner then
      if de.extend and ttl and ttl > 0 then redis.call('PEXPIRE', key, ttl) end
      if de.keepLastIfActive and redis.call('LPOS', P .. 'active', owner) then
        -- Replace, not merge: a "jid" left by an earlier add must not survive.
        redis.call('DEL', nextKey)
        redis.call('HSET', nextKey, 'name', name, 'data', data, 'opts', ARGV[6])
        if customId then redis.call('HSET', nextKey, 'jid', customId) end
        redis.call('PERSIST', key)
      end
      emit(true, 'deduplicated', 'jobId', owner, 'deduplicationId', de.id, 'deduplicatedJobId', id)
      return owner
    end
    if ttl and ttl > 0 and not de.keepLastIfActive then redis.call('SET', key, id, 'PX', ttl)
    else redis.call('SET', key, id) end
  end
  storeAndEnqueue(id, name, data, opts, timestamp, parentKey, parentJson, nil)
  if parentDeps then redis.call('SADD', parentDeps, P .. id) end
  return id
end
