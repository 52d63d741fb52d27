package io.github.flinkdbt.project;

import io.github.flinkdbt.common.SourcePosition;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Produces each model's final SQL: ref placeholders become qualified relations, and every
 * ephemeral model read (directly or through other ephemerals) is inlined as a CTE named
 * {@code __dbt__cte__<model>}, as dbt does.
 */
final class SqlAssembler {

    private final Map<String, Relation> relations;
    private final Set<String> ephemeral;
    private final Map<String, RenderedTemplate> ephemeralTemplates;
    private final Map<String, SqlText> bodies = new HashMap<>();
    private final Set<String> inProgress = new HashSet<>();

    /**
     * @param relations every enabled model's relation
     * @param ephemeralTemplates the rendered template of each ephemeral model
     */
    SqlAssembler(Map<String, Relation> relations, Map<String, RenderedTemplate> ephemeralTemplates) {
        this.relations = relations;
        this.ephemeral = ephemeralTemplates.keySet();
        this.ephemeralTemplates = ephemeralTemplates;
    }

    static String cteName(String model) {
        return "__dbt__cte__" + model;
    }

    /** The final SQL of a rendered template (a model's, or a test's). */
    SqlText assemble(RenderedTemplate template) {
        SqlText body = body(template);
        Map<String, SourcePosition> needed = new LinkedHashMap<>();
        collectEphemerals(template.state(), needed, new HashSet<>());
        if (needed.isEmpty()) {
            return body;
        }
        SqlText.Builder ctes = new SqlText.Builder();
        SourceText anchor = null;
        int i = 0;
        for (Map.Entry<String, SourcePosition> entry : needed.entrySet()) {
            SqlText cteBody = bodies.get(entry.getKey());
            if (cteBody == null) {
                continue;
            }
            SqlText.Builder cte = new SqlText.Builder();
            SourceText at = sourceOf(template);
            if (anchor == null) {
                anchor = at;
            }
            int offset = at.offset(entry.getValue().line(), entry.getValue().column());
            cte.appendGenerated(
                    (i++ == 0 ? "" : ",\n") + Relation.quote(cteName(entry.getKey())) + " AS (\n", at, offset);
            cte.append(cteBody);
            cte.appendGenerated("\n)", at, offset);
            ctes.append(cte.build());
        }
        SqlText cteList = ctes.build();
        int with = leadingWith(body.text());
        if (with >= 0) {
            SqlText.Builder inserted = cteList.toBuilder();
            inserted.appendGenerated(",\n", anchor, 0);
            return body.insert(with, inserted.build());
        }
        SqlText.Builder prefixed = new SqlText.Builder();
        prefixed.appendGenerated("WITH ", anchor, 0);
        prefixed.append(cteList);
        prefixed.appendGenerated("\n", anchor, 0);
        prefixed.append(body);
        return prefixed.build();
    }

    private static SourceText sourceOf(RenderedTemplate template) {
        return template.state().template().source();
    }

    /** Placeholders resolved, no CTEs. */
    private SqlText body(RenderedTemplate template) {
        Function<RenderState.RefCall, String> resolve = call -> {
            if (ephemeral.contains(call.model())) {
                return Relation.quote(cteName(call.model()));
            }
            Relation relation = relations.get(call.model());
            return relation == null ? Relation.quote(call.model()) : relation.quoted();
        };
        return template.toSql(resolve).trimTrailing().trimLeading();
    }

    /** Ephemerals in dependency order (an ephemeral's own ephemerals first). */
    private void collectEphemerals(RenderState state, Map<String, SourcePosition> out, Set<String> visiting) {
        for (RenderState.RefCall call : state.placeholders()) {
            String name = call.model();
            if (!ephemeral.contains(name) || out.containsKey(name) || !visiting.add(name)) {
                continue;
            }
            RenderedTemplate template = ephemeralTemplates.get(name);
            collectEphemerals(template.state(), out, visiting);
            if (!inProgress.contains(name)) {
                inProgress.add(name);
                bodies.computeIfAbsent(name, n -> body(template));
                inProgress.remove(name);
            }
            out.put(name, call.position());
        }
    }

    /** The offset just after a leading {@code WITH} keyword (comments skipped), or -1. */
    static int leadingWith(String sql) {
        int i = 0;
        while (i < sql.length()) {
            char c = sql.charAt(i);
            if (Character.isWhitespace(c)) {
                i++;
            } else if (sql.startsWith("--", i)) {
                int end = sql.indexOf('\n', i);
                i = end < 0 ? sql.length() : end + 1;
            } else if (sql.startsWith("/*", i)) {
                int end = sql.indexOf("*/", i + 2);
                i = end < 0 ? sql.length() : end + 2;
            } else {
                break;
            }
        }
        if (sql.regionMatches(true, i, "with", 0, 4)
                && i + 4 < sql.length()
                && Character.isWhitespace(sql.charAt(i + 4))) {
            int after = i + 4;
            while (after < sql.length() && Character.isWhitespace(sql.charAt(after)) && sql.charAt(after) != '\n') {
                after++;
            }
            return after;
        }
        return -1;
    }
}
