-- Append a line to a job's log (4.14). ARGV: P, id, line, keepLogs ("" for all)
local function main()
  local id = ARGV[2]
  if redis.call('EXISTS', P .. id) == 0 then return -1 end
  local length = redis.call('RPUSH', P .. id .. ':logs', ARGV[3])
  local keep = number(ARGV[4])
  if keep then
    redis.call('LTRIM', P .. id .. ':logs', -keep, -1)
    return math.min(keep, length)
  end
  return length
end
