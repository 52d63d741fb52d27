package io.github.flinkdbt.common;

import java.util.List;

/** The project has problems; every one of them is listed, each at its file and line. */
public final class ProblemsException extends FlinkDbtException {

    private static final long serialVersionUID = 1L;

    private final transient List<Problem> problems;

    public ProblemsException(List<Problem> problems) {
        super(summary(problems) + "\n"
                + String.join("\n", problems.stream().map(Problem::format).toList()));
        this.problems = List.copyOf(problems);
    }

    public List<Problem> problems() {
        return problems;
    }

    /** "3 problems in 2 files". */
    public static String summary(List<Problem> problems) {
        long files = problems.stream().map(p -> p.position().file()).distinct().count();
        return problems.size()
                + (problems.size() == 1 ? " problem" : " problems")
                + " in "
                + files
                + (files == 1 ? " file" : " files");
    }
}
