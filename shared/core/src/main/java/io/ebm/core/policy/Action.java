package io.ebm.core.policy;

/** What a rule asks for. A null service means the service of the SLO that triggered the rule. */
public sealed interface Action {

    String describe();

    /**
     * Stop releases of a service, or of one stage of it. With a {@code pipeline}, the policy function also
     * disables the transition into that CodePipeline stage (and enables it again once the gate allows).
     */
    record FreezeReleases(String service, String stage, String pipeline) implements Action {
        public FreezeReleases {
            service = service == null ? null : service.intern(); // as the SLOs' service names (see Slo)
        }

        public FreezeReleases(String service, String stage) {
            this(service, stage, null);
        }

        @Override
        public String describe() {
            return "freeze releases" + (stage == null ? "" : " at stage " + stage)
                    + (pipeline == null ? "" : " of pipeline " + pipeline);
        }
    }

    /** Let releases through, ahead of a later freezing rule. */
    record AllowReleases(String service, String stage, String pipeline) implements Action {
        public AllowReleases {
            service = service == null ? null : service.intern(); // as the SLOs' service names (see Slo)
        }

        public AllowReleases(String service, String stage) {
            this(service, stage, null);
        }

        @Override
        public String describe() {
            return "allow releases" + (stage == null ? "" : " at stage " + stage)
                    + (pipeline == null ? "" : " of pipeline " + pipeline);
        }
    }

    record SetFeatureFlag(String flag, boolean enabled) implements Action {
        @Override
        public String describe() {
            return "turn feature flag " + flag + (enabled ? " on" : " off");
        }
    }

    /** A notice to {@code target} (published as the SNS {@code target} attribute) with a routable severity. */
    record Notify(String target, String message, String severity) implements Action {
        public static final String DEFAULT_SEVERITY = "ticket";

        public Notify(String target, String message) {
            this(target, message, DEFAULT_SEVERITY);
        }

        @Override
        public String describe() {
            return "notify " + target + (message == null ? "" : ": " + message);
        }

        // written out: the record's generated pair runs through method handles, which C1 calls rather than
        // inlines, and every reconcile keys the rules' notices by their action
        @Override
        public boolean equals(Object o) {
            return o instanceof Notify n && java.util.Objects.equals(target, n.target)
                    && java.util.Objects.equals(message, n.message) && java.util.Objects.equals(severity, n.severity);
        }

        @Override
        public int hashCode() {
            return java.util.Objects.hash(target, message, severity);
        }
    }

    record RequireReliabilityWork(String note) implements Action {
        @Override
        public String describe() {
            return "require reliability work" + (note == null ? "" : ": " + note);
        }
    }
}
