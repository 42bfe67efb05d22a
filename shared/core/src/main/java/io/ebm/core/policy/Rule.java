package io.ebm.core.policy;

import java.util.List;

/** One line of an error-budget policy: in {@code scope}, when {@code when} holds, do {@code then}. */
public record Rule(String name, String description, Scope scope, Condition when, List<Action> then) {

    public Rule {
        then = List.copyOf(then);
    }
}
