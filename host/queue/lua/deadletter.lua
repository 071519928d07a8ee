-- Replay or purge one dead letter of a dead-letter queue (warren dlq; docs/reliability.md).
-- ARGV: P (the dead-letter queue), mode ("purge" or "replay"), the dead letter's id, and for a
--       replay: the original queue's key base, the original job's id, name, data (JSON text),
--       stored options (JSON object text, short keys) and timestamp.
-- A replay adds the job again to the original queue under its id and timestamp (the id may still
-- be held by the job's failed record, which it replaces, logs kept), then removes the dead letter.
-- Returns {'done', the state the dead letter left}, {'missing'}, {'active'} (a worker of the
-- dead-letter queue holds it), or {'exists', state} (the original id is held by a job that is not
-- failed: nothing changed).

local function deleteKeys(key, keepLogs)
  redis.call('DEL', key, key .. ':dependencies', key .. ':processed', key .. ':failed',
             key .. ':unsuccessful', key .. ':lock')
  if not keepLogs then redis.call('DEL', key .. ':logs') end
end

-- getState (4.1) of the call's queue's job `id`.
local function stateOf(id)
  for _, set in ipairs({'completed', 'failed', 'delayed', 'prioritized'}) do
    if redis.call('ZSCORE', P .. set, id) then return set end
  end
  if redis.call('LPOS', P .. 'active', id) then return 'active' end
  if redis.call('LPOS', P .. 'wait', id) then return 'waiting' end
  if redis.call('ZSCORE', P .. 'waiting-children', id) then return 'waiting-children' end
  return 'unknown'
end

-- The dead letter leaves its queue as Queue.remove would: out of its state, keys deleted, a
-- `removed` event.
local function dropLetter(letter, state)
  if state == 'waiting' then redis.call('LREM', P .. 'wait', 0, letter)
  elseif state ~= 'unknown' then redis.call('ZREM', P .. state, letter) end
  deleteKeys(P .. letter, false)
  emit(true, 'removed', 'jobId', letter, 'prev', state)
end

-- In the original queue: the job again, unless its id is held by a job that is not failed
-- (returns that job's state).
local function placeOriginal(id, name, data, optsText, timestamp)
  if redis.call('EXISTS', P .. id) == 1 then
    local state = stateOf(id)
    if state ~= 'failed' then return state end
    redis.call('ZREM', P .. 'failed', id)
    deleteKeys(P .. id, true)
    emit(true, 'removed', 'jobId', id, 'prev', 'failed')
  end
  redis.call('INCR', P .. 'id')  -- as every add does, custom ids included (3)
  storeAndEnqueue(id, name, data, cjson.decode(optsText), timestamp, nil, nil, nil)
  return nil
end

local function main()
  local mode, letter = ARGV[2], ARGV[3]
  if redis.call('EXISTS', P .. letter) == 0 then return {'missing'} end
  local state = stateOf(letter)
  if state == 'active' then return {'active'} end
  if mode == 'replay' then
    local held = inQueue(ARGV[4], placeOriginal, ARGV[5], ARGV[6], ARGV[7], ARGV[8], ARGV[9])
    if held then return {'exists', held} end
  end
  dropLetter(letter, state)
  return {'done', state}
end
