/**
 * The gateway's YAML configuration as immutable, validated records.
 *
 * <p>{@link io.switchyard.config.ConfigLoader} reads a file into a {@link io.switchyard.config.SwitchyardConfig}.
 * Every failure is a {@link io.switchyard.config.ConfigException} whose message lists all problems, one a line, as
 * {@code <key path>: <problem>}. Records validate in their constructors too, so a config built in code (tests, other
 * modules) obeys the same rules as one loaded from YAML. The reference for users is {@code docs/configuration.md}.
 */
package io.switchyard.config;
