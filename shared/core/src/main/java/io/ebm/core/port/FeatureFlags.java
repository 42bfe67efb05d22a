package io.ebm.core.port;

/** A place where feature flags are switched. Setting a flag to the value it has is a no-op. */
public interface FeatureFlags {

    /** What setting a flag did. {@code version} names the configuration now holding the value. */
    record Result(boolean changed, String version, boolean deploymentStarted) {
    }

    Result set(String flag, boolean enabled, String reason);

    /** The flag's value now (the latest stored one); empty when the flag is not set anywhere yet. */
    java.util.Optional<Boolean> get(String flag);
}
