package io.ebm.core.yaml;

import java.util.List;
import java.util.stream.Collectors;

/** A load that found problems. Nothing of the load is kept: definitions are all or nothing. */
public final class DefinitionException extends RuntimeException {

    private final transient List<Problem> problems;

    public DefinitionException(List<Problem> problems) {
        super(problems.stream().map(Problem::toString).collect(Collectors.joining("\n")));
        this.problems = List.copyOf(problems);
    }

    public List<Problem> problems() {
        return problems;
    }
}
