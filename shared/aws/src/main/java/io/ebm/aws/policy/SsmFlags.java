package io.ebm.aws.policy;

import io.ebm.core.port.FeatureFlags;
import software.amazon.awssdk.services.ssm.SsmClient;
import software.amazon.awssdk.services.ssm.model.ParameterNotFoundException;
import software.amazon.awssdk.services.ssm.model.ParameterType;

/** Flags as SSM parameters {@code prefix + flag} holding {@code true} or {@code false}: for teams without AppConfig. */
public final class SsmFlags implements FeatureFlags {

    private final SsmClient ssm;
    private final String prefix;

    public SsmFlags(SsmClient ssm, String prefix) {
        this.ssm = ssm;
        this.prefix = prefix.endsWith("/") ? prefix : prefix + "/";
    }

    @Override
    public Result set(String flag, boolean enabled, String reason) {
        String name = prefix + flag;
        String value = Boolean.toString(enabled);
        try {
            if (value.equals(ssm.getParameter(b -> b.name(name)).parameter().value())) {
                return new Result(false, name, false);
            }
        } catch (ParameterNotFoundException absent) {
            // first time this flag is set
        }
        long version = ssm.putParameter(b -> b.name(name).value(value).type(ParameterType.STRING).overwrite(true))
                .version();
        return new Result(true, name + ":" + version, false);
    }

    @Override
    public java.util.Optional<Boolean> get(String flag) {
        try {
            return java.util.Optional.of(Boolean.parseBoolean(ssm.getParameter(b -> b.name(prefix + flag)).parameter()
                    .value().strip()));
        } catch (ParameterNotFoundException absent) {
            return java.util.Optional.empty();
        }
    }
}
