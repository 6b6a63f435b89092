/**
 * The Lua scripts of the shared store: each reads and writes a session in one step, so that two instances
 * never both act on it. A session's `epoch` fences its writers: it grows when another instance takes the
 * session over, and every write of an older epoch is refused.
 */
import { LuaScript } from './redis-link.js';

/** Redis's clock in ms, inside a script. */
const NOW_MS = `local clock = redis.call('TIME'); local now = clock[1] * 1000 + math.floor(clock[2] / 1000)`;

/**
 * A fresh session. KEYS: session, log, replies, ended. ARGV: ttl, owner, endpoint, user (JSON), params
 * (JSON), authenticated (1/0), handler key ('' for the endpoint's own handler). The log is made empty at
 * once so that it carries its time to live from the start.
 */
export const CREATE = new LuaScript(`
${NOW_MS}
redis.call('DEL', KEYS[1], KEYS[2], KEYS[3], KEYS[4])
redis.call('HSET', KEYS[1], 'ep', ARGV[3], 'uid', ARGV[4], 'params', ARGV[5], 'auth', ARGV[6],
  'epoch', '1', 'owner', ARGV[2], 'att', '1', 'state', '{}', 'st', now, 'h', ARGV[7])
redis.call('XADD', KEYS[2], 'MAXLEN', '0', '0-1', 'f', '')
redis.call('PEXPIRE', KEYS[1], ARGV[1])
redis.call('PEXPIRE', KEYS[2], ARGV[1])
return 1
`);

/**
 * What a resume needs: `{1, fields of the session, first log id, last log id}`, or `{0, why it ended}`.
 * KEYS: session, log, ended.
 */
export const LOOKUP = new LuaScript(`
local fields = redis.call('HGETALL', KEYS[1])
if #fields == 0 then return {0, redis.call('GET', KEYS[3])} end
local first = redis.call('XRANGE', KEYS[2], '-', '+', 'COUNT', 1)
local last = redis.call('XREVRANGE', KEYS[2], '+', '-', 'COUNT', 1)
return {1, fields, first[1] and first[1][1] or '', last[1] and last[1][1] or ''}
`);

/**
 * Moves a session to instance ARGV[2] unless its epoch is no longer ARGV[1] (`{0}`: another instance got
 * there first). The epoch grows unless the instance keeps a session it already holds (ARGV[3] = '1').
 * KEYS: session, log, replies. ARGV: epoch, instance, keeps, ttl, instance key prefix.
 * Returns `{1, epoch, previous owner, was attached, previous owner alive, fields}`.
 */
export const CLAIM = new LuaScript(`
local epoch = redis.call('HGET', KEYS[1], 'epoch')
if epoch ~= ARGV[1] then return {0} end
local owner = redis.call('HGET', KEYS[1], 'owner')
local attached = redis.call('HGET', KEYS[1], 'att')
local next = epoch
if not (ARGV[3] == '1' and owner == ARGV[2]) then next = tostring(tonumber(epoch) + 1) end
redis.call('HSET', KEYS[1], 'epoch', next, 'owner', ARGV[2], 'att', '1')
for k = 1, 3 do redis.call('PEXPIRE', KEYS[k], ARGV[4]) end
local alive = redis.call('EXISTS', ARGV[5] .. owner)
return {1, next, owner, attached, alive, redis.call('HGETALL', KEYS[1])}
`);

/**
 * Data messages of many sessions in one step (one fan-out). ARGV[1]: key prefix of sessions, ARGV[2]: log
 * length kept (about), ARGV[3]: bytes of frames kept. Then groups: count, head, stamp, topic, topic id,
 * then `count` entries `epoch:seq:session`. With a stamp, the frame is the head (a body up to its closing
 * brace) with `seq` and `timestamp` spliced in; without one, the head is the whole frame. A message from a
 * topic moves the session's cursor there.
 *
 * The byte bound: each log entry carries `b`, the bytes of the session's frames up to and including it
 * (the session's `bytes` field is the total so far), so the bytes kept are the newest total less what came
 * before the oldest entry; the oldest entries go while that is over the bound, the newest always stays.
 * Returns the (1-based) indexes of the entries refused: session gone, or moved to another instance.
 */
export const APPEND = new LuaScript(`
local prefix = ARGV[1]
local maxlen = ARGV[2]
local maxbytes = tonumber(ARGV[3])
local refused = {}
local index = 0
local i = 4
while i <= #ARGV do
  local count = tonumber(ARGV[i])
  local head, stamp, topic, tid = ARGV[i + 1], ARGV[i + 2], ARGV[i + 3], ARGV[i + 4]
  i = i + 5
  for k = 1, count do
    index = index + 1
    local epoch, seq, sid = string.match(ARGV[i], '^(%d+):(%d+):(.*)$')
    i = i + 1
    local session = prefix .. sid
    if redis.call('HGET', session, 'epoch') ~= epoch then
      refused[#refused + 1] = index
    else
      local frame = head
      if stamp ~= '' then frame = head .. '"seq":' .. seq .. ',"timestamp":"' .. stamp .. '"}' end
      local log = session .. ':log'
      local total = tonumber(redis.call('HGET', session, 'bytes') or '0') + #frame
      local added = redis.pcall('XADD', log, 'MAXLEN', '~', maxlen, seq .. '-0', 'f', frame, 'b', total)
      if type(added) == 'table' and added.err then
        refused[#refused + 1] = index
      else
        if topic ~= '' then
          redis.call('HSET', session, 'bytes', total, 'c:' .. topic, tid)
        else
          redis.call('HSET', session, 'bytes', total)
        end
        while true do
          local oldest = redis.call('XRANGE', log, '-', '+', 'COUNT', 1)[1]
          if oldest == nil or oldest[1] == added or oldest[2][4] == nil then break end
          if total - (tonumber(oldest[2][4]) - #oldest[2][2]) <= maxbytes then break end
          redis.call('XDEL', log, oldest[1])
        end
      end
    end
  end
end
return refused
`);

/** Saves the handler's state of a session (fenced). KEYS: session. ARGV: epoch, state (JSON). */
export const SAVE_STATE = new LuaScript(`
if redis.call('HGET', KEYS[1], 'epoch') ~= ARGV[1] then return 0 end
${NOW_MS}
redis.call('HSET', KEYS[1], 'state', ARGV[2], 'st', now)
return 1
`);

/** Forgets where a session was in a topic it no longer follows (fenced). KEYS: session. ARGV: epoch, topic. */
export const FORGET_CURSOR = new LuaScript(`
if redis.call('HGET', KEYS[1], 'epoch') ~= ARGV[1] then return 0 end
redis.call('HDEL', KEYS[1], 'c:' .. ARGV[2])
return 1
`);

/** The connection dropped: keep the session for the resume window (fenced). KEYS: session, log, replies. ARGV: epoch, ttl. */
export const DETACH = new LuaScript(`
if redis.call('HGET', KEYS[1], 'epoch') ~= ARGV[1] then return 0 end
redis.call('HSET', KEYS[1], 'att', '0')
for k = 1, 3 do redis.call('PEXPIRE', KEYS[k], ARGV[2]) end
return 1
`);

/** Ends a session for good (fenced). KEYS: session, log, replies, ended. ARGV: epoch, reason, how long the reason is kept. */
export const END = new LuaScript(`
if redis.call('HGET', KEYS[1], 'epoch') ~= ARGV[1] then return 0 end
redis.call('DEL', KEYS[1], KEYS[2], KEYS[3])
redis.call('SET', KEYS[4], ARGV[2], 'PX', ARGV[3])
return 1
`);

/** Renews a lease held by ARGV[1] for ARGV[2] ms; 0 when another holds it now. KEYS: lease. */
export const RENEW_LEASE = new LuaScript(`
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
redis.call('PEXPIRE', KEYS[1], ARGV[2])
return 1
`);

/** Gives a lease up if ARGV[1] still holds it. KEYS: lease. */
export const DROP_LEASE = new LuaScript(`
if redis.call('GET', KEYS[1]) == ARGV[1] then redis.call('DEL', KEYS[1]) end
return 1
`);

/**
 * Adds this instance's new messages to a limit window (RL-009) and tells every instance the window's
 * counts (`[key, ttl, fields, window ms]`). KEYS: window. ARGV: instance, messages, window ms, channel,
 * limit key. The first count of a window sets its time to live, so every instance agrees on when it
 * started. Returns `{ttl, fields}`.
 */
export const COUNT_MESSAGES = new LuaScript(`
redis.call('HINCRBY', KEYS[1], ARGV[1], ARGV[2])
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then
  ttl = tonumber(ARGV[3])
  redis.call('PEXPIRE', KEYS[1], ttl)
end
local fields = redis.call('HGETALL', KEYS[1])
redis.call('PUBLISH', ARGV[4], cjson.encode({ARGV[5], ttl, fields, tonumber(ARGV[3])}))
return {ttl, fields}
`);

/**
 * Sets this instance's value of a gauge (SEC-004) and returns the sum over the instances still alive,
 * forgetting the others'. KEYS: gauge. ARGV: instance, value, ttl, instance key prefix.
 */
export const SET_GAUGE = new LuaScript(`
if ARGV[2] == '0' then
  redis.call('HDEL', KEYS[1], ARGV[1])
else
  redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
end
local fields = redis.call('HGETALL', KEYS[1])
local total = 0
for i = 1, #fields, 2 do
  if fields[i] == ARGV[1] or redis.call('EXISTS', ARGV[4] .. fields[i]) == 1 then
    total = total + tonumber(fields[i + 1])
  else
    redis.call('HDEL', KEYS[1], fields[i])
  end
end
if #fields > 0 then redis.call('PEXPIRE', KEYS[1], ARGV[3]) end
return total
`);

/** Bars a key for ARGV[1] ms unless it is barred longer already. KEYS: bar. */
export const BAR = new LuaScript(`
if redis.call('PTTL', KEYS[1]) < tonumber(ARGV[1]) then
  redis.call('SET', KEYS[1], '1', 'PX', ARGV[1])
end
return 1
`);

/** How long a key stays barred, and its message window: `{bar ttl, window ttl, window fields}`. KEYS: bar, window. */
export const BARRED = new LuaScript(`
return {redis.call('PTTL', KEYS[1]), redis.call('PTTL', KEYS[2]), redis.call('HGETALL', KEYS[2])}
`);
