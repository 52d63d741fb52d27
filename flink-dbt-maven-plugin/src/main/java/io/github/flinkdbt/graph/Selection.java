package io.github.flinkdbt.graph;

import java.util.List;
import java.util.Set;

/** The models a build works on, and what the selector syntax wants the user to know. */
public record Selection(Set<String> models, List<String> warnings, boolean everything) {}
