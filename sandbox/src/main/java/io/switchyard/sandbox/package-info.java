/**
 * Local MariaDB clusters for the demo and for every integration test: {@link io.switchyard.sandbox.Sandbox} starts
 * real {@code mariadbd} processes described by a {@link io.switchyard.sandbox.SandboxSpec}, wires replicas with
 * GTID replication, and removes everything on close (or, if the JVM dies, a watchdog does).
 * {@link io.switchyard.sandbox.Sandboxed} gives a JUnit 5 test class one sandbox.
 */
package io.switchyard.sandbox;
