package io.github.flinkdbt.project;

import io.github.flinkdbt.api.Hints;
import java.util.Map;
import java.util.Set;

/**
 * What Jinja functions resolve against while models render: the model names, the declared
 * sources, the variables and the environment.
 *
 * @param modelNames every model name (enabled or not)
 * @param sources source tables by {@code source_name.table_name}
 * @param vars resolved variables (CLI over POM over dbt_project.yml)
 * @param environment environment variables visible to {@code env_var()}
 * @param target what {@code target} exposes
 * @param hints how messages name the options that fix them
 * @param packages names of the local packages, whose models {@code ref('package', 'model')} names too
 */
public record ProjectSymbols(
        String projectName,
        Set<String> modelNames,
        Map<String, SourceTable> sources,
        Map<String, Object> vars,
        Map<String, String> environment,
        Map<String, Object> target,
        Hints hints,
        Set<String> packages) {

    /** Env vars whose values must never be written anywhere (dbt's convention, and ours). */
    public static boolean isSecretEnvVar(String name) {
        return name.startsWith("DBT_ENV_SECRET_") || name.startsWith("FLINK_DBT_SECRET_");
    }
}
