package io.github.flinkdbt.project;

import io.github.flinkdbt.common.Problems;
import io.github.flinkdbt.common.SourcePosition;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * dbt's hooks rendered at load time: a model's {@code pre_hook}/{@code post_hook} with the model's
 * context ({@code {{ this }}}, refs), and dbt_project.yml's {@code on-run-start}/{@code on-run-end}
 * with the project's. What runs them is {@code run}.
 */
final class Hooks {

    private final JinjaEnvironment jinja;
    private final ProjectSymbols symbols;
    private final SqlAssembler assembler;
    private final Problems problems;

    Hooks(JinjaEnvironment jinja, ProjectSymbols symbols, SqlAssembler assembler, Problems problems) {
        this.jinja = jinja;
        this.symbols = symbols;
        this.assembler = assembler;
        this.problems = problems;
    }

    /** The model with its hooks rendered (under pre_hook and post_hook); as it is when it has none. */
    Model rendered(Model model) {
        List<String> pre = model.config().preHooks();
        List<String> post = model.config().postHooks();
        if (pre.isEmpty() && post.isEmpty()) {
            return model;
        }
        Map<String, Object> values = new TreeMap<>(model.config().values());
        values.keySet().removeAll(List.of("pre-hook", "post-hook"));
        values.put("pre_hook", render(pre, model.name(), model.relation(), model.position()));
        values.put("post_hook", render(post, model.name(), model.relation(), model.position()));
        return model.withConfig(model.config().withValues(values));
    }

    /** {@code on-run-start} / {@code on-run-end} statements, rendered. */
    List<String> project(List<String> statements, SourcePosition at) {
        return render(statements, symbols.projectName(), null, at);
    }

    private List<String> render(List<String> statements, String name, Relation relation, SourcePosition at) {
        List<String> rendered = new ArrayList<>();
        for (String statement : statements) {
            // placed at the node's line, so a problem in a hook points there
            SourceText text = SourceText.placedAt(at, statement);
            RenderedTemplate template = jinja.render(text, symbols, name, false, state -> relation);
            problems.addAll(template.state().problems());
            rendered.add(assembler.assemble(template).text().strip());
        }
        return rendered;
    }
}
