package io.switchyard.config;

import java.util.Objects;

/** A named vindex of a keyspace; tables refer to it by name from their column vindexes. */
public record Vindex(String name, VindexType type) {

    public Vindex {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        String problem = Checks.name(name);
        if (problem != null) {
            throw new ConfigException("", problem);
        }
    }
}
