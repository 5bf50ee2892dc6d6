package io.switchyard.routing.plan;

import static io.switchyard.routing.plan.Plans.COMMERCE;
import static io.switchyard.routing.plan.Plans.CUSTOMER;
import static io.switchyard.routing.plan.Plans.NONE;
import static io.switchyard.routing.plan.Plans.plan;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.switchyard.config.AutoIncrement;
import io.switchyard.config.ColumnVindex;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** ALTER VSCHEMA: parsing, validation against a snapshot, and applying it as a new version. */
class VSchemaChangeTest {

    private final RoutingSnapshot snapshot = DemoVSchema.snapshot();

    @Test
    void parsesEveryForm() {
        assertEquals(new VSchemaChange.AddVindex("customer", "audit", "hash", "id", Optional.of("hash")),
                VSchemaParser.parse("ALTER VSCHEMA ON customer.audit ADD VINDEX hash(id) USING hash", NONE));
        assertEquals(new VSchemaChange.AddVindex("customer", "audit", "by_email", "email", Optional.empty()),
                VSchemaParser.parse("alter vschema on `audit` add vindex `by_email` (`email`);", CUSTOMER));
        assertEquals(new VSchemaChange.DropVindex("customer", "corder", "hash"),
                VSchemaParser.parse("ALTER VSCHEMA ON customer.corder DROP VINDEX hash", NONE));
        assertEquals(new VSchemaChange.AddTable("commerce", "audit"),
                VSchemaParser.parse("ALTER VSCHEMA ADD TABLE commerce.audit", NONE));
        assertEquals(new VSchemaChange.DropTable("commerce", "product"),
                VSchemaParser.parse("ALTER VSCHEMA DROP TABLE product", COMMERCE));
        assertEquals(new VSchemaChange.AddSequence("commerce", "audit_seq"),
                VSchemaParser.parse("ALTER VSCHEMA ADD SEQUENCE commerce.audit_seq", NONE));
        assertEquals(new VSchemaChange.AddAutoIncrement("customer", "tagged", "id", "commerce.order_seq"),
                VSchemaParser.parse("ALTER VSCHEMA ON customer.tagged ADD AUTO_INCREMENT id USING commerce.order_seq",
                        NONE));
        assertEquals(new VSchemaChange.DropAutoIncrement("customer", "corder"),
                VSchemaParser.parse("ALTER VSCHEMA ON corder DROP AUTO_INCREMENT", CUSTOMER));
        assertEquals(new VSchemaChange.CreateVindex("customer", "xx", "xxhash"),
                VSchemaParser.parse("alter vschema create vindex customer.xx using XXHASH", NONE));
    }

    @Test
    void syntaxErrorsSayWhatWasExpected() {
        var error = assertThrows(RoutingException.class,
                () -> VSchemaParser.parse("ALTER VSCHEMA ON customer.t ADD VINDEX hash col USING hash", NONE));
        assertEquals(1064, error.errorCode());
        assertTrue(error.getMessage().startsWith("ALTER VSCHEMA syntax error: expected '(' near 'col'; the forms"
                + " are: ALTER VSCHEMA ON ks.t ADD VINDEX name(column) USING hash"), error.getMessage());
        var noKeyspace = assertThrows(RoutingException.class,
                () -> VSchemaParser.parse("ALTER VSCHEMA ADD TABLE t", NONE));
        assertEquals(1046, noKeyspace.errorCode());
    }

    @Test
    void addVindexMakesATableRoutable() {
        Planner planner = new Planner(snapshot);
        String query = "select * from audit where id = 4";
        plan(planner, Plan.Refused.class, query, CUSTOMER);
        var alter = plan(planner, Plan.AlterVSchema.class,
                "ALTER VSCHEMA ON customer.audit ADD VINDEX hash(id) USING hash", CUSTOMER);
        RoutingSnapshot next = planner.snapshot().apply(alter.change());
        assertEquals(snapshot.version() + 1, next.version());
        assertEquals(List.of(new ColumnVindex("id", "hash")), next.keyspace("customer").orElseThrow()
                .table("audit").orElseThrow().columnVindexes());
        planner.update(next);
        assertEquals("80-", plan(planner, Plan.SingleShard.class, query, CUSTOMER).shard());
    }

    @Test
    void sequencesAndAutoIncrementsChain() {
        RoutingSnapshot next = snapshot
                .apply(new VSchemaChange.AddSequence("commerce", "tagged_seq"))
                .apply(new VSchemaChange.AddAutoIncrement("customer", "tagged", "tag", "tagged_seq"));
        assertEquals(Optional.of(new AutoIncrement("tag", "commerce.tagged_seq")),
                next.keyspace("customer").orElseThrow().table("tagged").orElseThrow().autoIncrement());
        Planner planner = new Planner(next);
        var pending = plan(planner, Plan.NeedsSequence.class, "insert into tagged (name) values ('x')", CUSTOMER);
        assertEquals("commerce.tagged_seq", pending.sequence());
        var dropped = next.apply(new VSchemaChange.DropAutoIncrement("customer", "tagged"));
        assertEquals(Optional.empty(), dropped.keyspace("customer").orElseThrow().table("tagged").orElseThrow()
                .autoIncrement());
    }

    @Test
    void dropVindexLeavesTheTableUnroutable() {
        RoutingSnapshot next = snapshot.apply(new VSchemaChange.DropVindex("customer", "tagged", "hash"));
        Planner planner = new Planner(next);
        assertEquals("table customer.tagged has no vindex, so sharded keyspace customer cannot route it; add one:"
                + " ALTER VSCHEMA ON customer.tagged ADD VINDEX hash(<column>) USING hash",
                plan(planner, Plan.Refused.class, "select * from tagged", CUSTOMER).message());
    }

    @Test
    void invalidChangesAreRefusedWithTheReason() {
        assertEquals("keyspace commerce is unsharded; vindexes place rows in sharded keyspaces only",
                failure(new VSchemaChange.AddVindex("commerce", "product", "hash", "id", Optional.of("hash"))));
        assertEquals("unknown vindex type 'md5'; known types: hash, xxhash",
                failure(new VSchemaChange.AddVindex("customer", "audit", "md", "id", Optional.of("md5"))));
        assertEquals("vindex by_id does not exist in keyspace customer; add USING hash (or xxhash) to create it",
                failure(new VSchemaChange.AddVindex("customer", "audit", "by_id", "id", Optional.empty())));
        assertEquals("table customer.corder already has vindex hash",
                failure(new VSchemaChange.AddVindex("customer", "corder", "hash", "sku", Optional.of("hash"))));
        assertEquals("keyspace customer is sharded, so its tables need a vindex: ALTER VSCHEMA ON customer.audit"
                + " ADD VINDEX hash(<column>) USING hash", failure(new VSchemaChange.AddTable("customer", "audit")));
        assertEquals("table commerce.product is already in the vschema",
                failure(new VSchemaChange.AddTable("commerce", "product")));
        assertEquals("keyspace customer is sharded; sequence tables live in an unsharded keyspace",
                failure(new VSchemaChange.AddSequence("customer", "s")));
        assertEquals("nope_seq is not a sequence table in any unsharded keyspace; create it with ALTER VSCHEMA ADD"
                + " SEQUENCE ks.nope_seq",
                failure(new VSchemaChange.AddAutoIncrement("customer", "tagged", "id", "nope_seq")));
        assertEquals("table customer.corder already has auto-increment column order_id; DROP AUTO_INCREMENT first",
                failure(new VSchemaChange.AddAutoIncrement("customer", "corder", "id", "commerce.order_seq")));
        assertEquals("auto-increment of customer.customer uses commerce.customer_seq, which is not a sequence"
                + " table of an unsharded keyspace", failure(new VSchemaChange.DropTable("commerce", "customer_seq")));
        var unknown = assertThrows(RoutingException.class,
                () -> snapshot.apply(new VSchemaChange.AddTable("nosuch", "t")));
        assertEquals(1049, unknown.errorCode());
    }

    @Test
    void plannerValidatesAlterVSchemaBeforeReturningIt() {
        Planner planner = new Planner(snapshot);
        assertEquals(new Plan.Refused(1105, "HY000", "keyspace commerce is unsharded; vindexes place rows in"
                + " sharded keyspaces only"), planner.plan("ALTER VSCHEMA ON commerce.product ADD VINDEX hash(id)"
                + " USING hash", NONE, TabletType.PRIMARY));
    }

    private String failure(VSchemaChange change) {
        return assertThrows(RoutingException.class, () -> snapshot.apply(change)).getMessage();
    }
}
