package io.switchyard.admin.workflow;

import io.switchyard.replication.workflow.CreateCheck;
import io.switchyard.replication.workflow.MoveTablesSpec;
import io.switchyard.replication.workflow.MoveTablesWorkflow;
import io.switchyard.routing.topo.TopologyStore;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What {@code CREATE WORKFLOW} checks before anything is recorded, and {@code VALIDATE WORKFLOW} shows as rows:
 * for an import, the external database's validation and the table selection ({@link ImportChecks}); for every
 * workflow, keyspaces, vschema, tables and storage ({@link MoveTablesWorkflow#check}).
 */
final class WorkflowCreateChecks {
    /** The spec to create, and a line for the workflow's log when the import took every table. */
    record Decision(MoveTablesSpec spec, Optional<String> logLine) {
    }

    private final ExternalServing externals;
    private final ImportChecks imports;
    private final TopologyStore topology;

    WorkflowCreateChecks(ExternalServing externals, ImportChecks imports, TopologyStore topology) {
        this.externals = externals;
        this.imports = imports;
        this.topology = topology;
    }

    /**
     * @param importSyntax whether it was asked for as {@code IMPORT ... FROM EXTERNAL}
     * @param checkStorage false to pass even where a target shard seems short of disk space
     * @throws IllegalArgumentException saying what fails and what to do
     */
    Decision check(MoveTablesSpec spec, boolean importSyntax, boolean checkStorage) throws SQLException {
        Optional<ImportChecks.Prepared> imported = prepareImport(spec, importSyntax);
        if (imported.isPresent() && imported.get().refusal().isPresent()) {
            throw new IllegalArgumentException("workflow " + spec.name() + ": " + imported.get().refusal().get());
        }
        MoveTablesSpec checked = imported.map(ImportChecks.Prepared::spec).orElse(spec);
        refuseFailed(spec.name(), MoveTablesWorkflow.check(checked, externals.config(), topology), checkStorage);
        return new Decision(checked, imported.flatMap(ImportChecks.Prepared::allTablesBecause)
                .map(why -> "importing every table: " + why));
    }

    /** Every check as a row, creating nothing. */
    List<CreateCheck> report(MoveTablesSpec spec, boolean importSyntax) throws SQLException {
        List<CreateCheck> rows = new ArrayList<>();
        MoveTablesSpec checked = spec;
        Optional<ImportChecks.Prepared> imported = prepareImport(spec, importSyntax);
        if (imported.isPresent()) {
            rows.addAll(ImportChecks.rows(imported.get()));
            checked = imported.get().spec();
        }
        rows.addAll(MoveTablesWorkflow.check(checked, externals.config(), topology));
        return rows;
    }

    /**
     * The import's preparation when the workflow imports: asked for with IMPORT, or MOVE TABLES from a keyspace
     * that is attached as external. Empty for a MoveTables workflow, whose unknown source the create checks name.
     */
    private Optional<ImportChecks.Prepared> prepareImport(MoveTablesSpec spec, boolean importSyntax)
            throws SQLException {
        String source = spec.sourceKeyspace();
        if (!externals.isExternal(source)) {
            if (importSyntax) {
                throw new IllegalArgumentException("workflow " + spec.name() + ": keyspace " + source + " is in the"
                        + " config, not an external keyspace; CREATE WORKFLOW " + spec.name() + " MOVE TABLES ... FROM "
                        + source + " TO ... moves its tables");
            }
            return Optional.empty();
        }
        if (!importSyntax && !externals.exists(source)) {
            return Optional.empty();
        }
        return Optional.of(imports.prepare(spec));
    }

    private static void refuseFailed(String name, List<CreateCheck> checks, boolean checkStorage) {
        List<String> failed = checks.stream().filter(c -> c.status() == CreateCheck.Status.FAIL)
                .filter(c -> checkStorage || !c.check().equals(CreateCheck.STORAGE))
                .map(CreateCheck::message).toList();
        if (failed.isEmpty()) {
            return;
        }
        String joined = String.join("; ", failed);
        // The schema checks' messages already name the workflow.
        throw new IllegalArgumentException(joined.startsWith("workflow " + name) ? joined
                : "workflow " + name + ": " + joined);
    }
}
