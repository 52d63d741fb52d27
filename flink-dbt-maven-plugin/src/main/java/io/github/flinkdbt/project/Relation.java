package io.github.flinkdbt.project;

/**
 * A fully qualified Flink table or view: catalog, database, object name. Rendered in models as
 * {@code `catalog`.`database`.`name`}, so compiled SQL runs in any session.
 */
public record Relation(String catalog, String database, String name) {

    public String quoted() {
        return quote(catalog) + "." + quote(database) + "." + quote(name);
    }

    /** {@code catalog.database.name} without quotes, for messages. */
    public String display() {
        return catalog + "." + database + "." + name;
    }

    public static String quote(String identifier) {
        return "`" + identifier.replace("`", "``") + "`";
    }

    @Override
    public String toString() {
        return quoted();
    }
}
