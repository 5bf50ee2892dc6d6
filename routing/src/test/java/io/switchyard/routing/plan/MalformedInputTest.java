package io.switchyard.routing.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Bad SQL gets a refusal, never an exception out of the planner. */
class MalformedInputTest {

    private final Planner planner = new Planner(DemoVSchema.snapshot());

    @Test
    void malformedStatementsAreRefusedNotThrown() {
        List<String> inputs = List.of("", " ;", "select", "select * from", "insert into", "update", "delete from",
                "))((", "select 'unterminated", "select `x", "select * from customer where customer_id in ()",
                "ALTER VSCHEMA", "ALTER VSCHEMA ON", "alter vschema on customer.t add vindex h(", "create",
                "drop table", "truncate", "select * from customer where customer_id = ? and ?", "insert into corder"
                + " (customer_id) values (?), (?)", "select * from customer limit -1", "select :v9 from customer",
                "select * from customer where customer_id = :s0", "-- only a comment", "/* c */", "select 1 #",
                "insert into customer (customer_id, email) values ('x', 'y')");
        for (String sql : inputs) {
            for (Optional<String> keyspace : List.of(Plans.CUSTOMER, Plans.COMMERCE, Plans.NONE)) {
                Plan plan = planner.plan(sql, keyspace, TabletType.PRIMARY);
                assertNoInternalError(plan, sql);
                if (plan instanceof Plan.Prepared prepared) {
                    assertNoInternalError(prepared.bind(Collections.nCopies(prepared.parameterCount(), "x")), sql);
                }
            }
        }
        assertEquals(new Plan.Refused(1064, "42000", "Query was empty"),
                planner.plan("  ", Plans.CUSTOMER, TabletType.PRIMARY));
    }

    @Test
    void randomTextNeverThrows() {
        Random random = new Random(42);
        String alphabet = "selct*frominsertwhere=()'\\\"`?,;:.-#/ 0123456789customer_idINVALUESlimitorder";
        for (int i = 0; i < 3000; i++) {
            StringBuilder sql = new StringBuilder(random.nextBoolean() ? "select " : "insert into customer ");
            int length = random.nextInt(40);
            for (int j = 0; j < length; j++) {
                sql.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            assertNoInternalError(planner.plan(sql.toString(), Plans.CUSTOMER, TabletType.PRIMARY), sql.toString());
        }
    }

    /** The planner's catch-all for unexpected exceptions must never be what answers. */
    private static void assertNoInternalError(Plan plan, String sql) {
        assertNotNull(plan, sql);
        if (plan instanceof Plan.Refused refused) {
            assertEquals(false, refused.message().contains("could not plan"), () -> sql + ": " + refused);
        }
    }
}
