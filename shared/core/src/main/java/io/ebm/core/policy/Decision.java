package io.ebm.core.policy;

import java.util.List;

/**
 * One action a rule asks for because of one budget, with the reasons in words. {@code overriddenBy} names the
 * active override that sets a release action aside, if any.
 */
public record Decision(String rule, String budget, String service, Action action, List<String> reasons,
                       String overriddenBy) {

    public Decision {
        reasons = List.copyOf(reasons);
    }
}
