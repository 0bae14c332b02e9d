-- Fixed window: one counter per clock-aligned window.
-- Reply: { allowed (1/0), remaining, retry-after ms, server time ms, count }
local key = KEYS[1]
local limit = tonumber(ARGV[1])   -- permits per window
local window = tonumber(ARGV[2])  -- window length in ms
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)

local count = redis.call('INCR', key)
if count == 1 then
  -- First request of this window: the key lives exactly until the window's end on Redis's clock.
  redis.call('PEXPIRE', key, window - (now % window))
end
local ttl = redis.call('PTTL', key)
if ttl < 0 then
  -- Never leave a counter without an expiry (it would block the client for ever).
  ttl = window - (now % window)
  redis.call('PEXPIRE', key, ttl)
end

if count <= limit then
  return { 1, limit - count, 0, now, count }
end
return { 0, 0, ttl, now, count }
