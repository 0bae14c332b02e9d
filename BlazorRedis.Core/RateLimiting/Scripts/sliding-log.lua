-- Sliding-window log: a sorted set holding one member per admitted request, scored by its time in microseconds.
-- Reply: { allowed (1/0), remaining, retry-after ms, server time ms, count }
local key = KEYS[1]
local limit = tonumber(ARGV[1])   -- permits per window
local window = tonumber(ARGV[2])  -- window length in ms
local t = redis.call('TIME')
local nowUs = tonumber(t[1]) * 1000000 + tonumber(t[2])
local now = math.floor(nowUs / 1000)

-- Forget requests older than one window, then count the rest.
redis.call('ZREMRANGEBYSCORE', key, '-inf', nowUs - window * 1000)
local count = redis.call('ZCARD', key)

if count < limit then
  -- Scripts run one at a time, so time plus the current count is a unique member even within one microsecond.
  redis.call('ZADD', key, nowUs, t[1] .. '.' .. t[2] .. '-' .. count)
  redis.call('PEXPIRE', key, window)
  return { 1, limit - count - 1, 0, now, count + 1 }
end

-- Full: the next slot opens when the oldest logged request leaves the window.
local oldest = redis.call('ZRANGE', key, 0, 0, 'WITHSCORES')
local retry = math.ceil((tonumber(oldest[2]) + window * 1000 - nowUs) / 1000)
return { 0, 0, math.max(retry, 1), now, count }
