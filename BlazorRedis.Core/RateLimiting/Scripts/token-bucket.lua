-- Token bucket: a hash with the tokens left and when they were last counted (microseconds).
-- Refill is computed lazily from the elapsed time, so nothing has to tick in the background.
-- Reply: { allowed (1/0), remaining, retry-after ms, server time ms, tokens taken (capacity - tokens left, rounded up) }
local key = KEYS[1]
local capacity = tonumber(ARGV[1])            -- the most tokens the bucket holds
local refillPerMs = tonumber(ARGV[2]) / 1000  -- ARGV[2]: tokens added per second
local t = redis.call('TIME')
local nowUs = tonumber(t[1]) * 1000000 + tonumber(t[2])
local now = math.floor(nowUs / 1000)

local state = redis.call('HMGET', key, 'tokens', 'updated')
local tokens = tonumber(state[1])
local updated = tonumber(state[2])
if tokens == nil or updated == nil then
  tokens, updated = capacity, nowUs
end
tokens = math.min(capacity, tokens + math.max(0, nowUs - updated) / 1000 * refillPerMs)

local allowed, retry = 0, 0
if tokens >= 1 then
  tokens = tokens - 1
  allowed = 1
else
  retry = math.max(math.ceil((1 - tokens) / refillPerMs), 1)
end

redis.call('HSET', key, 'tokens', string.format('%.6f', tokens), 'updated', t[1] .. string.format('%06d', tonumber(t[2])))
-- Once the bucket would be full again the key can go: a missing bucket is a full bucket.
redis.call('PEXPIRE', key, math.ceil((capacity - tokens) / refillPerMs) + 1000)
return { allowed, math.floor(tokens), retry, now, math.ceil(capacity - tokens) }
