package io.switchyard.replication.workflow;

import io.switchyard.replication.apply.ApplyOptions;
import io.switchyard.replication.copy.CopyOptions;

import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.function.LongSupplier;

/**
 * What a workflow runs on, injected so that tests control time and threads (house style rule 9).
 *
 * @param executor      runs each workflow's driver (copy, then starting replication) and verifications, which last
 *                      long: give it enough threads (a cached pool) so one workflow never waits for another's;
 *                      owned by the caller
 * @param streamThreads makes the binlog stream threads (renamed after workflow and target shard)
 * @param serverIds     binlog client server ids, unique among the source's replicas
 * @param heartbeat     binlog heartbeat period; also bounds how fast a fast-forward notices an idle source
 */
public record WorkflowDependencies(ExecutorService executor, ThreadFactory streamThreads, Clock clock,
                                   LongSupplier serverIds, CopyOptions copyOptions, ApplyOptions applyOptions,
                                   Duration heartbeat) {
    public WorkflowDependencies {
        Objects.requireNonNull(executor, "executor");
        Objects.requireNonNull(streamThreads, "streamThreads");
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(serverIds, "serverIds");
        Objects.requireNonNull(copyOptions, "copyOptions");
        Objects.requireNonNull(applyOptions, "applyOptions");
        Objects.requireNonNull(heartbeat, "heartbeat");
    }
}
