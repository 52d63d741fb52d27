package io.github.flinkdbt.planner;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.SupportsNamespaces;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.inmemory.InMemoryCatalog;

/**
 * The Iceberg catalog models are planned against: in memory, so compiling writes nothing outside
 * {@code target/}. Iceberg's Flink connector creates a new catalog instance for every table it
 * opens; they all share one {@link InMemoryCatalog} per compile session (the
 * {@value #SESSION_PROPERTY} catalog property), so a table created while planning one model is
 * found when the next model reads it.
 */
public final class IcebergCompileCatalog implements Catalog, SupportsNamespaces {

    static final String SESSION_PROPERTY = "flink-dbt.compile-session";

    private static final Map<String, InMemoryCatalog> SESSIONS = new ConcurrentHashMap<>();

    private InMemoryCatalog delegate;
    private String name;

    /** Forgets a session's tables. */
    static void close(String session) {
        SESSIONS.remove(session);
    }

    @Override
    public void initialize(String catalogName, Map<String, String> properties) {
        this.name = catalogName;
        String session = properties.getOrDefault(SESSION_PROPERTY, "default");
        this.delegate = SESSIONS.computeIfAbsent(session, key -> {
            InMemoryCatalog catalog = new InMemoryCatalog();
            catalog.initialize(catalogName, Map.of("warehouse", "memory://flink-dbt/" + key));
            return catalog;
        });
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public List<TableIdentifier> listTables(Namespace namespace) {
        return delegate.listTables(namespace);
    }

    @Override
    public TableBuilder buildTable(TableIdentifier identifier, Schema schema) {
        return delegate.buildTable(identifier, schema);
    }

    @Override
    public boolean dropTable(TableIdentifier identifier, boolean purge) {
        return delegate.dropTable(identifier, purge);
    }

    @Override
    public void renameTable(TableIdentifier from, TableIdentifier to) {
        delegate.renameTable(from, to);
    }

    @Override
    public Table loadTable(TableIdentifier identifier) {
        return delegate.loadTable(identifier);
    }

    @Override
    public boolean tableExists(TableIdentifier identifier) {
        return delegate.tableExists(identifier);
    }

    @Override
    public void createNamespace(Namespace namespace, Map<String, String> metadata) {
        delegate.createNamespace(namespace, metadata);
    }

    @Override
    public List<Namespace> listNamespaces(Namespace namespace) {
        return delegate.listNamespaces(namespace);
    }

    @Override
    public Map<String, String> loadNamespaceMetadata(Namespace namespace) {
        return delegate.loadNamespaceMetadata(namespace);
    }

    @Override
    public boolean dropNamespace(Namespace namespace) {
        return delegate.dropNamespace(namespace);
    }

    @Override
    public boolean setProperties(Namespace namespace, Map<String, String> properties) {
        return delegate.setProperties(namespace, properties);
    }

    @Override
    public boolean removeProperties(Namespace namespace, Set<String> properties) {
        return delegate.removeProperties(namespace, properties);
    }

    @Override
    public boolean namespaceExists(Namespace namespace) {
        return delegate.namespaceExists(namespace);
    }
}
