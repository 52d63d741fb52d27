package io.github.flinkdbt.project;

import io.github.flinkdbt.common.SourcePosition;
import java.util.List;

/** A test written as SQL in the test path: it passes when the query returns no rows. */
public record SingularTest(
        String name,
        String path,
        String displayPath,
        String checksum,
        SqlText sql,
        List<String> refs,
        List<String> sources,
        SourcePosition position) {}
