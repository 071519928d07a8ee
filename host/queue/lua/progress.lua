-- Record a job's progress (4.14). ARGV: P, id, progress JSON
local function main()
  local id = ARGV[2]
  if redis.call('EXISTS', P .. id) == 0 then return -1 end
  redis.call('HSET', P .. id, 'progress', ARGV[3])
  emit(true, 'progress', 'jobId', id, 'data', ARGV[3])
  return 0
end
