package io.github.flinkdbt.project;

import java.util.List;
import java.util.Map;
import java.util.Set;

/** Everything the schema (.yml) files of a project declare. */
public record SchemaDefinitions(
        List<SourceTable> sources,
        Map<String, ModelProperties> models,
        List<DataTest> dataTests,
        List<UnitTest> unitTests,
        List<FunctionDefinition> functions,
        List<Exposure> exposures,
        Set<String> brokenSources) {}
