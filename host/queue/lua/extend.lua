-- Extend the locks of running jobs (4.7), and report the cancel requests waiting on them
-- (cancel.lua), so that a worker that missed the cancel message still sees it.
-- ARGV: P, durationMs, id1, token1, id2, token2, ...
-- Returns {lost ids, {id, reason, id, reason, ...} of the jobs asked to cancel}.
local function main()
  local lost, cancels = {}, {}
  for i = 3, #ARGV, 2 do
    local id, token = ARGV[i], ARGV[i + 1]
    local key = P .. id .. ':lock'
    if redis.call('GET', key) == token then
      redis.call('SET', key, token, 'PX', ARGV[2])
      redis.call('SREM', P .. 'stalled', id)
      local reason = redis.call('HGET', P .. id, 'warren-cancel')
      if reason then
        cancels[#cancels + 1] = id
        cancels[#cancels + 1] = reason
      end
    else
      lost[#lost + 1] = id
    end
  end
  return {lost, cancels}
end
