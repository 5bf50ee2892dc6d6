package io.switchyard.admin.workflow;

import io.switchyard.replication.external.ExternalKeyspace;
import io.switchyard.replication.external.ExternalValidator;
import io.switchyard.replication.external.ValidationReport;
import io.switchyard.replication.external.ValidationResult;
import io.switchyard.replication.workflow.CreateCheck;
import io.switchyard.replication.workflow.MoveTablesSpec;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * What an import adds to a workflow's checks (seed 003, steps 3 to 5). The external database is validated again
 * at create, since it may have changed since {@code CREATE EXTERNAL KEYSPACE}:
 * <ul>
 *   <li>a failure that cannot be skipped (connectivity, server configuration, grants) refuses the import;</li>
 *   <li>skippable failures (schema) may be skipped, and skipping them imports every table: an import of a subset
 *       is refused with what to do ("If you choose to skip validation errors and proceed, all tables will be
 *       imported automatically");</li>
 *   <li>with foreign keys every table is imported, whatever the list says;</li>
 *   <li>the copy never opens more connections to the external database than its IMPORT CONNECTIONS.</li>
 * </ul>
 */
final class ImportChecks {
    static final String EXTERNAL = "external_keyspace";
    static final String SELECTION = "table_selection";

    /** The spec the import runs with, the validation it was decided on, and why every table was taken, if so. */
    record Prepared(MoveTablesSpec spec, ValidationReport validation, Optional<String> allTablesBecause,
                    Optional<String> refusal) {
    }

    private final ExternalServing externals;
    private final ExternalValidator validator;

    ImportChecks(ExternalServing externals, ExternalValidator validator) {
        this.externals = externals;
        this.validator = validator;
    }

    /** Validates the external keyspace and decides the import's tables and copy parallelism. */
    Prepared prepare(MoveTablesSpec spec) throws SQLException {
        String source = spec.sourceKeyspace();
        ExternalKeyspace external = externals.keyspace(source);
        ValidationReport report = validator.validate(external);
        MoveTablesSpec prepared = spec;
        Optional<String> because = Optional.empty();
        Optional<String> refusal = Optional.empty();
        if (report.hasFailures()) {
            refusal = Optional.of("external keyspace " + source + " fails " + report.failures().size()
                    + " check(s) an import cannot skip: " + list(report.failures()) + ". Fix them; VALIDATE"
                    + " EXTERNAL KEYSPACE " + source + " runs the checks again");
        } else if (report.foreignKeys()) {
            because = Optional.of("foreign keys found: all tables will be replicated due to foreign key"
                    + " constraints usage");
        } else if (!report.skippable().isEmpty()) {
            if (!spec.tables().isEmpty()) {
                refusal = Optional.of("external keyspace " + source + " has " + report.skippable().size()
                        + " validation failure(s): " + list(report.skippable()) + ". Fix them, or skip them and"
                        + " continue with IMPORT ALL: an import that skips validation failures takes every table");
            } else {
                because = Optional.of("skipping " + report.skippable().size() + " validation failure(s), which"
                        + " imports every table: " + list(report.skippable()));
            }
        }
        if (because.isPresent()) {
            prepared = new MoveTablesSpec(spec.name(), spec.sourceKeyspace(), spec.targetKeyspace(), List.of(),
                    spec.options());
        }
        int limit = external.importConnections();
        if (prepared.options().copyParallelism() > limit) {
            prepared = prepared.withOptions(prepared.options().withCopyParallelism(limit));
        }
        return new Prepared(prepared, report, because, refusal);
    }

    /** The rows {@code VALIDATE WORKFLOW} shows for the import part: the external validation and the selection. */
    static List<CreateCheck> rows(Prepared prepared) {
        List<CreateCheck> rows = new ArrayList<>();
        ValidationReport report = prepared.validation();
        rows.add(report.hasFailures()
                ? new CreateCheck(EXTERNAL, CreateCheck.Status.FAIL, prepared.refusal().orElseThrow())
                : new CreateCheck(EXTERNAL, CreateCheck.Status.PASS, report.results().size() + " checks of "
                        + prepared.spec().sourceKeyspace() + " (" + report.flavor() + ") ran; none fails that an"
                        + " import cannot skip"));
        if (!report.hasFailures()) {
            rows.add(prepared.refusal().map(why -> new CreateCheck(SELECTION, CreateCheck.Status.FAIL, why))
                    .orElseGet(() -> new CreateCheck(SELECTION, CreateCheck.Status.PASS, prepared.allTablesBecause()
                            .orElse(prepared.spec().tables().isEmpty() ? "all tables, as asked"
                                    : "the tables asked for"))));
        }
        return rows;
    }

    private static String list(List<ValidationResult> results) {
        return results.stream().map(r -> "[" + r.check() + r.table().map(t -> " " + t).orElse("") + "] "
                + r.message()).collect(Collectors.joining(" | "));
    }
}
