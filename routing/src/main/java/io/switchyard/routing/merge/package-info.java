/**
 * Scatter-gather merging: turns the text rows that several shards returned for one query into the rows one unsharded
 * table would have returned, following a {@link io.switchyard.routing.merge.MergeSpec} the planner wrote when it
 * rewrote the per-shard SQL.
 *
 * <p>Rows are decoded text-protocol rows: one {@code byte[]} a cell, {@code null} for SQL {@code NULL}. Everything
 * here is immutable or confined to one call, so it is safe from any thread; merging is CPU-only and never blocks.
 */
package io.switchyard.routing.merge;
