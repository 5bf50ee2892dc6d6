package io.switchyard.proxy.server;

import io.switchyard.proxy.session.TabletType;

/** Which backend a session's lease serves: one shard of one keyspace, primary or replica. */
record LeaseKey(String keyspace, String shard, TabletType tabletType) {
    @Override
    public String toString() {
        return keyspace + ":" + shard + "@" + tabletType.label();
    }
}
