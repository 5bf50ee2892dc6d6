package io.switchyard.routing.plan;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.util.Optional;

/** Test helpers: plan a statement and expect a plan kind. */
final class Plans {

    static final Optional<String> COMMERCE = Optional.of("commerce");
    static final Optional<String> CUSTOMER = Optional.of("customer");
    static final Optional<String> NONE = Optional.empty();

    private Plans() {
    }

    static <T extends Plan> T plan(Planner planner, Class<T> kind, String sql, Optional<String> keyspace) {
        return plan(planner, kind, sql, keyspace, TabletType.PRIMARY);
    }

    static <T extends Plan> T plan(Planner planner, Class<T> kind, String sql, Optional<String> keyspace,
                                   TabletType tabletType) {
        Plan plan = planner.plan(sql, keyspace, tabletType);
        return assertInstanceOf(kind, plan, () -> sql + " planned as " + plan);
    }
}
