-- sysbench's oltp_write_only transaction (one index update, one non-index update, one delete and re-insert of the
-- same id) on the demo's commerce.customer table, whose key is customer_id instead of sysbench's id: the demo
-- config shards customer by hash(customer_id), so bench/replication.sh moves this table. Used by that script.
sysbench.cmdline.options = {
  table_size = {"Rows in the table (ids 1..table_size)", 100000},
}

local C = "###########-###########-###########-###########-###########-###########-###########-###########-" ..
          "###########-###########"
local PAD = "###########-###########-###########-###########-###########"

function thread_init()
  drv = sysbench.sql.driver()
  con = drv:connect()
end

function thread_done()
  con:disconnect()
end

-- A deadlock (ignored and retried by sysbench, as for oltp_write_only) must not leave the transaction open.
sysbench.hooks.before_restart_event = function(err)
  con:query("ROLLBACK")
end

function event()
  local n = sysbench.opt.table_size
  con:query("BEGIN")
  con:query(string.format("UPDATE customer SET k = k + 1 WHERE customer_id = %d", sysbench.rand.default(1, n)))
  con:query(string.format("UPDATE customer SET c = '%s' WHERE customer_id = %d", sysbench.rand.string(C),
                          sysbench.rand.default(1, n)))
  local id = sysbench.rand.default(1, n)
  con:query(string.format("DELETE FROM customer WHERE customer_id = %d", id))
  con:query(string.format("INSERT INTO customer (customer_id, k, c, pad) VALUES (%d, %d, '%s', '%s')", id,
                          sysbench.rand.default(1, n), sysbench.rand.string(C), sysbench.rand.string(PAD)))
  con:query("COMMIT")
end
