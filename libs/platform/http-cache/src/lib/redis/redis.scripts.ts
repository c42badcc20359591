// Key layout under a prefix P: P e:<key> the encoded record, P g:<key> the set of tag keys the record is filed
// under, P t:<tag> the set of entry keys filed under a tag. The g: set lets a replaced or deleted record leave the
// tag sets it no longer belongs to, so a purge of an old tag never removes the replacement.

/** Lua: unfile entry KEYS[1] (tags of it in KEYS[2]) from its tag sets and delete both. */
const UNFILE = `
local function unfile(entry, filed)
  local tags = redis.call('SMEMBERS', filed)
  for j = 1, #tags do redis.call('SREM', tags[j], entry) end
  redis.call('DEL', filed)
  return redis.call('DEL', entry)
end
`;

/**
 * KEYS[1] the entry, KEYS[2] its g: set, KEYS[3..] its tag sets; ARGV[1] TTL in ms, ARGV[2] the encoded record.
 * A tag set lives as long as its longest-lived entry, so a purge always finds every live entry.
 */
export const SET_SCRIPT = `${UNFILE}
local ttl = tonumber(ARGV[1])
unfile(KEYS[1], KEYS[2])
redis.call('SET', KEYS[1], ARGV[2], 'PX', ttl)
for i = 3, #KEYS do
  redis.call('SADD', KEYS[i], KEYS[1])
  if redis.call('PTTL', KEYS[i]) < ttl then redis.call('PEXPIRE', KEYS[i], ttl) end
  redis.call('SADD', KEYS[2], KEYS[i])
end
if #KEYS > 2 then redis.call('PEXPIRE', KEYS[2], ttl) end
return 1
`;

/** KEYS[1] the entry, KEYS[2] its g: set. Returns 1 when the entry existed. */
export const DELETE_SCRIPT = `${UNFILE}
return unfile(KEYS[1], KEYS[2])
`;

/**
 * KEYS: tag sets; ARGV[1] the entry key prefix (P e:), ARGV[2] the g: prefix (P g:). Deletes every entry the sets
 * name, and the sets; returns how many entries existed.
 */
export const PURGE_SCRIPT = `${UNFILE}
local removed = 0
local skip = string.len(ARGV[1])
for i = 1, #KEYS do
  local entries = redis.call('SMEMBERS', KEYS[i])
  for j = 1, #entries do removed = removed + unfile(entries[j], ARGV[2] .. string.sub(entries[j], skip + 1)) end
  redis.call('DEL', KEYS[i])
end
return removed
`;
