-- Sliding-window counter: the counts of the current and the previous clock-aligned window in one hash.
-- The previous window counts in proportion to how much of it still overlaps the sliding window.
-- Reply: { allowed (1/0), remaining, retry-after ms, server time ms, weighted count (rounded up) }
local key = KEYS[1]
local limit = tonumber(ARGV[1])   -- permits per window
local window = tonumber(ARGV[2])  -- window length in ms
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local index = math.floor(now / window)
local elapsed = now - index * window

local state = redis.call('HMGET', key, 'window', 'current', 'previous')
local stored = tonumber(state[1])
local current = tonumber(state[2]) or 0
local previous = tonumber(state[3]) or 0
if stored == nil then
  current, previous = 0, 0
elseif stored == index - 1 then
  previous, current = current, 0
elseif stored < index - 1 then
  current, previous = 0, 0
end

local estimate = previous * (window - elapsed) / window + current
if estimate + 1 <= limit then
  current = current + 1
  redis.call('HSET', key, 'window', index, 'current', current, 'previous', previous)
  -- Needed until the end of the next window, when this window stops counting as "previous".
  redis.call('PEXPIRE', key, 2 * window - elapsed)
  return { 1, math.floor(limit - estimate - 1), 0, now, math.ceil(estimate + 1) }
end

redis.call('HSET', key, 'window', index, 'current', current, 'previous', previous)
redis.call('PEXPIRE', key, 2 * window - elapsed)
local retry
if current + 1 <= limit then
  -- The previous window's weight must fall far enough: solve previous * (window - e) / window + current + 1 <= limit.
  retry = window - (limit - 1 - current) * window / previous - elapsed
else
  -- Wait for the next window, where this window's count becomes the weighted "previous".
  retry = window - elapsed + math.max(0, window - (limit - 1) * window / current)
end
return { 0, 0, math.max(math.ceil(retry), 1), now, math.ceil(estimate) }
