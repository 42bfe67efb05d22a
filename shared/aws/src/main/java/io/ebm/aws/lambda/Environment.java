package io.ebm.aws.lambda;

import java.time.Duration;

/** A function's settings from its environment variables, with their defaults when unset. */
public final class Environment {

    private Environment() {
    }

    /** {@code name} holds whole minutes; {@code otherwise} when it is unset or blank. */
    public static Duration minutes(String name, Duration otherwise) {
        String v = System.getenv(name);
        return v == null || v.isBlank() ? otherwise : Duration.ofMinutes(parse(name, v));
    }

    /** {@code name} holds whole hours; {@code otherwise} when it is unset or blank. */
    public static Duration hours(String name, Duration otherwise) {
        String v = System.getenv(name);
        return v == null || v.isBlank() ? otherwise : Duration.ofHours(parse(name, v));
    }

    private static long parse(String name, String value) {
        try {
            return Long.parseLong(value.strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("environment variable " + name + " must be a whole number, got '"
                    + value + "'", e);
        }
    }
}
