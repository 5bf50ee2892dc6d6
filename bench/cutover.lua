-- sysbench workload for bench/cutover.sh that records every statement's wall-clock start and latency.
--
--   sysbench bench/cutover.lua --workload=write --latency-prefix=/tmp/x/w ... run
--
-- workload=write runs oltp_write_only's transaction (BEGIN, UPDATE index, UPDATE non-index, DELETE, INSERT, COMMIT);
-- workload=read runs oltp_point_select's (point SELECTs, autocommit). Both use sysbench's own oltp_common.lua, so the
-- statements, their parameters and the server-side prepared statements are exactly sysbench's.
--
-- Each thread writes PREFIX.<thread> with one line per statement: "<kind> <start_us> <latency_us>", start in
-- microseconds since the Unix epoch (CLOCK_REALTIME, the clock `date +%s%N` reads), so bench/cutover.sh can line the
-- statements up with the times its SWITCH and REVERSE commands ran. Kind "trx" is a whole write transaction.

require("oltp_common")

sysbench.cmdline.options.workload = {"write (oltp_write_only's transaction) or read (point selects)", "write"}
sysbench.cmdline.options.latency_prefix = {"write per-statement latencies to PREFIX.<thread>", ""}

local ffi = require("ffi")
ffi.cdef [[
typedef struct { long tv_sec; long tv_nsec; } cutover_timespec;
int clock_gettime(int clock_id, cutover_timespec *tp);
]]
local CLOCK_REALTIME = 0
local ts = ffi.new("cutover_timespec")

local function now_us()
   ffi.C.clock_gettime(CLOCK_REALTIME, ts)
   return tonumber(ts.tv_sec) * 1000000 + math.floor(tonumber(ts.tv_nsec) / 1000)
end

local out

-- Replaces a prepared statement by one that times each execute and logs it.
local function timed(kind, real)
   return {
      execute = function(_)
         local started = now_us()
         local result = real:execute()
         out:write(string.format("%s %d %d\n", kind, started, now_us() - started))
         return result
      end,
      close = function(_) return real:close() end,
   }
end

function prepare_statements()
   if sysbench.opt.latency_prefix == "" then
      error("--latency-prefix is required")
   end
   out = assert(io.open(string.format("%s.%d", sysbench.opt.latency_prefix, sysbench.tid), "w"))
   if sysbench.opt.workload == "read" then
      prepare_point_selects()
   elseif sysbench.opt.workload == "write" then
      prepare_begin()
      prepare_commit()
      prepare_index_updates()
      prepare_non_index_updates()
      prepare_delete_inserts()
      stmt.begin = timed("begin", stmt.begin)
      stmt.commit = timed("commit", stmt.commit)
   else
      error("--workload must be write or read, was " .. sysbench.opt.workload)
   end
   for t = 1, sysbench.opt.tables do
      for key, s in pairs(stmt[t]) do
         stmt[t][key] = timed(key, s)
      end
   end
end

function event()
   if sysbench.opt.workload == "read" then
      execute_point_selects()
      return
   end
   local started = now_us()
   begin()
   execute_index_updates()
   execute_non_index_updates()
   execute_delete_inserts()
   commit()
   out:write(string.format("trx %d %d\n", started, now_us() - started))
end

local base_thread_done = thread_done
function thread_done()
   base_thread_done()
   out:close()
end
