package io.switchyard.config;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Reads a keyspace's {@code vschema} section; see {@link ConfigBinder} for how problems are collected. */
final class VSchemaBinder {

    private static final List<String> VSCHEMA_KEYS = List.of("vindexes", "tables");
    private static final List<String> VINDEX_KEYS = List.of("type");
    private static final List<String> TABLE_KEYS = List.of("type", "column_vindexes", "auto_increment");
    private static final List<String> COLUMN_VINDEX_KEYS = List.of("column", "name");
    private static final List<String> AUTO_INCREMENT_KEYS = List.of("column", "sequence");

    private VSchemaBinder() {
    }

    /** Returns the vschema, or {@code null} when problems were reported. */
    static VSchema bind(YamlNode node, Problems at) {
        int before = at.count();
        MappingReader r = MappingReader.of(node, at, VSCHEMA_KEYS);
        if (r == null) {
            return null;
        }
        Map<String, Vindex> vindexes = new LinkedHashMap<>();
        boolean ok = true;
        YamlNode.Mapping vindexNodes = r.namedEntries("vindexes");
        if (vindexNodes != null) {
            for (Map.Entry<String, YamlNode> entry : vindexNodes.entries().entrySet()) {
                Vindex vindex = vindex(entry.getKey(), entry.getValue(), at.at("vindexes." + entry.getKey()));
                ok &= vindex != null;
                vindexes.put(entry.getKey(), vindex);
            }
        }
        Map<String, Table> tables = new LinkedHashMap<>();
        YamlNode.Mapping tableNodes = r.namedEntries("tables");
        if (tableNodes != null) {
            for (Map.Entry<String, YamlNode> entry : tableNodes.entries().entrySet()) {
                Table table = table(entry.getKey(), entry.getValue(), at.at("tables." + entry.getKey()));
                ok &= table != null;
                tables.put(entry.getKey(), table);
            }
        }
        return ok ? ConfigBinder.build(at, before, () -> new VSchema(vindexes, tables)) : null;
    }

    private static Vindex vindex(String name, YamlNode node, Problems at) {
        int before = at.count();
        Checks.add(at, "", Checks.name(name));
        MappingReader r = MappingReader.of(node, at, VINDEX_KEYS);
        if (r == null) {
            return null;
        }
        VindexType type = r.enumValue("type", VindexType.class, "vindex type", null);
        return ConfigBinder.build(at, before, () -> new Vindex(name, type), type);
    }

    /** A table with nothing to say ({@code corder:} or {@code corder: {}}) is an ordinary table. */
    private static Table table(String name, YamlNode node, Problems at) {
        int before = at.count();
        Checks.add(at, "", Checks.name(name));
        if (node instanceof YamlNode.Scalar s && s.isNull()) {
            return ConfigBinder.build(at, before, () -> new Table(name, TableType.NORMAL, List.of(), Optional.empty()));
        }
        MappingReader r = MappingReader.of(node, at, TABLE_KEYS);
        if (r == null) {
            return null;
        }
        TableType type = r.enumValue("type", TableType.class, "table type", TableType.NORMAL);
        List<ColumnVindex> columnVindexes = new ArrayList<>();
        List<YamlNode> items = r.list("column_vindexes");
        if (items != null) {
            for (YamlNode item : items) {
                columnVindexes.add(columnVindex(item, at.at("column_vindexes[" + columnVindexes.size() + "]")));
            }
        }
        Optional<AutoIncrement> autoIncrement = r.node("auto_increment") == null ? Optional.empty()
                : Optional.ofNullable(autoIncrement(r.node("auto_increment"), at.at("auto_increment")));
        Table.check(at, type, !columnVindexes.isEmpty(), r.node("auto_increment") != null);
        return ConfigBinder.build(at, before, () -> new Table(name, type, columnVindexes, autoIncrement),
                type, columnVindexes);
    }

    private static ColumnVindex columnVindex(YamlNode node, Problems at) {
        int before = at.count();
        MappingReader r = MappingReader.of(node, at, COLUMN_VINDEX_KEYS);
        if (r == null) {
            return null;
        }
        String column = r.requiredString("column", "the column whose value is hashed");
        String vindex = r.requiredString("name", "the vindex to use, from vschema.vindexes");
        ColumnVindex.check(at, column, vindex);
        return ConfigBinder.build(at, before, () -> new ColumnVindex(column, vindex), column, vindex);
    }

    private static AutoIncrement autoIncrement(YamlNode node, Problems at) {
        int before = at.count();
        MappingReader r = MappingReader.of(node, at, AUTO_INCREMENT_KEYS);
        if (r == null) {
            return null;
        }
        String column = r.requiredString("column", "the column filled from the sequence");
        String sequence = r.requiredString("sequence", "a table of type sequence in an unsharded keyspace (ks.table)");
        AutoIncrement.check(at, column, sequence);
        return ConfigBinder.build(at, before, () -> new AutoIncrement(column, sequence), column, sequence);
    }
}
