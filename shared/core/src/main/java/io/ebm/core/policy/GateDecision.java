package io.ebm.core.policy;

import java.util.List;

/** The answer to "may this service release now (at this stage)?", with every reason behind it. */
public record GateDecision(String service, String stage, Verdict verdict, List<String> reasons,
                           List<ReleaseOverride> activeOverrides) {

    public enum Verdict { ALLOW, DENY }

    public GateDecision {
        reasons = List.copyOf(reasons);
        activeOverrides = List.copyOf(activeOverrides);
    }
}
