-- Extend the locks of running jobs (4.7). Returns the ids whose lock was lost.
-- ARGV: P, durationMs, id1, token1, id2, token2, ...
local function main()
  local lost = {}
  for i = 3, #ARGV, 2 do
    local id, token = ARGV[i], ARGV[i + 1]
    local key = P .. id .. ':lock'
    if redis.call('GET', key) == token then
      redis.call('SET', key, token, 'PX', ARGV[2])
      redis.call('SREM', P .. 'stalled', id)
    else
      lost[#lost + 1] = id
    end
  end
  return lost
end
