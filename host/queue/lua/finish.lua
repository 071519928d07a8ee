-- Move active jobs to completed or failed (4.6), each then optionally fetching the next job; a
-- job failed for good may also leave its dead letter in the worker's dead-letter queue.
-- ARGV: P, now, metricsPoints, lockMs, limiterMax, limiterDuration, workerName, deadLetterBase
-- ("<prefix>:<queue>:" of the dead-letter queue, or ""), and then one group per job: id, target,
-- value, token, keepCount, keepAge, keepLimit, attempts, fetchNext, nextToken, deadLetter (the
-- dead letter's data, JSON text, or ""), n, followed by n texts (field, value, ...) written to the
-- job before it leaves active.
-- Returns one result per job: 0, a negative code as BullMQ's scripts return, a fetched job
-- ({hash, id, limitDelay, nextDelayed}), or an error reply for that job alone.
-- The helpers of the move and the state they read are in finished.lua.
local token, attempts

-- The dead letter of a job failed for good: an ordinary job of the dead-letter queue (ARGV[8]),
-- named as the failed job, whose data the worker wrote (docs/reliability.md). Written in the same
-- call as the move to failed, so there is no failed job without it and none twice: a second call
-- for the same failure finds the job's lock gone and changes nothing.
local function addDeadLetter(name, data)
  inQueue(ARGV[8], function()
    local letter = tostring(redis.call('INCR', P .. 'id'))
    storeAndEnqueue(letter, name or '', data, {}, nowText, nil, nil, nil)
  end)
end

-- Finishes the job whose group starts at ARGV[at].
local function finishOne(at)
  id, target, value, token = ARGV[at], ARGV[at + 1], ARGV[at + 2], ARGV[at + 3]
  keepCount, keepAge, keepLimit = tonumber(ARGV[at + 4]), tonumber(ARGV[at + 5]), tonumber(ARGV[at + 6])
  attempts = tonumber(ARGV[at + 7])
  local fetchNext, deadLetter, fieldCount = ARGV[at + 8] == '1', ARGV[at + 10], tonumber(ARGV[at + 11])
  jobKey = P .. id
  -- 1-6: a job that exists, has no pending or failed children, and is ours leaves active. Empty
  -- sets do not exist in Redis, so one EXISTS tells whether either set has members.
  if target == 'completed' and redis.call('EXISTS', jobKey .. ':dependencies', jobKey .. ':unsuccessful') ~= 0 then
    if redis.call('SCARD', jobKey .. ':dependencies') ~= 0 then return -4 end
    return -9
  end
  -- Every job hash has a timestamp and a name, and ours also the processedOn of its start; a hash
  -- with none of them is not a job (this read stands in for an EXISTS).
  local job = redis.call('HMGET', jobKey, 'parentKey', 'parent', 'deid', 'atm', 'timestamp', 'name',
                         'processedOn', 'warren-cancel')
  local links = {job[1], job[2], job[3]}
  local left = leaveActive(id, token, at + 12, at + 11 + fieldCount, (job[5] or job[6] or job[7]) and true or false)
  if left ~= 0 then return left end
  -- A cancel request (cancel.lua) ends with the job.
  if job[8] then redis.call('HDEL', jobKey, 'warren-cancel') end
  if deadLetter ~= '' and ARGV[8] ~= '' then addDeadLetter(job[6], deadLetter) end
  -- 7-13 (the events stream is trimmed by the completed/failed event)
  local made = (tonumber(job[4]) or 0) + 1
  settleJob(links, made, 'active')
  if target == 'failed' and made >= attempts then
    emit(false, 'retries-exhausted', 'jobId', id, 'attemptsMade', made)
  end
  -- 14-16
  if fetchNext then
    local next, blocked = fetchJob(now, fetchOptions(ARGV[at + 9], ARGV[4], ARGV[5], ARGV[6], ARGV[7]))
    if blocked or next[2] ~= 0 or next[4] ~= 0 then return next end
  end
  if redis.call('LLEN', P .. 'wait') == 0 and redis.call('LLEN', P .. 'active') == 0
      and redis.call('ZCARD', P .. 'prioritized') == 0 then
    emit(false, 'drained')
  end
  return 0
end

-- A job whose finish raises an error gets that error as its result; the others go on.
local function main()
  now, nowText, metricsPoints = tonumber(ARGV[2]), ARGV[2], tonumber(ARGV[3])
  local results = {}
  local at = 9
  while at <= #ARGV do
    local ok, result = pcall(finishOne, at)
    if not ok then
      result = type(result) == 'table' and result or {err = tostring(result)}
    end
    results[#results + 1] = result
    at = at + 12 + tonumber(ARGV[at + 11])
  end
  flushMarker()
  return results
end
