package io.ebm.local;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code --name value} pairs after the command word, and {@code --name} flags without a value; unknown or repeated
 * options are errors.
 */
public final class Options {

    private final Map<String, String> values = new HashMap<>();
    private final String command;

    public Options(List<String> args, Set<String> allowed, String command) {
        this(args, allowed, Set.of(), command);
    }

    public Options(List<String> args, Set<String> allowed, Set<String> flags, String command) {
        this.command = command;
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            if (a.startsWith("--") && flags.contains(a.substring(2))) {
                if (values.put(a.substring(2), "true") != null) {
                    throw new UsageException(command + ": option " + a + " is given twice");
                }
                continue;
            }
            if (!a.startsWith("--") || !allowed.contains(a.substring(2))) {
                throw new UsageException(command + ": unknown option '" + a + "'; expected " + java.util.stream.Stream
                        .concat(allowed.stream(), flags.stream()).sorted().map(s -> "--" + s).toList());
            }
            if (i + 1 >= args.size()) {
                throw new UsageException(command + ": option " + a + " needs a value");
            }
            if (values.put(a.substring(2), args.get(++i)) != null) {
                throw new UsageException(command + ": option " + a + " is given twice");
            }
        }
    }

    /** A whole number in [min, max], or {@code fallback} when the option is not given. */
    public int integer(String name, int fallback, int min, int max) {
        String v = values.get(name);
        if (v == null) {
            return fallback;
        }
        try {
            int n = Integer.parseInt(v.strip());
            if (n >= min && n <= max) {
                return n;
            }
        } catch (NumberFormatException e) {
            // named below
        }
        throw new UsageException(command + ": --" + name + " expects a whole number from " + min + " to " + max
                + ", got '" + v + "'");
    }

    /** A duration in the OpenSLO shorthand (15m, 1h, 1d), or {@code fallback}. */
    public java.time.Duration duration(String name, java.time.Duration fallback) {
        String v = values.get(name);
        if (v == null) {
            return fallback;
        }
        try {
            java.time.Duration d = io.ebm.core.slo.DurationShorthand.parse(v.strip()).toDuration();
            if (!d.isNegative() && !d.isZero()) {
                return d;
            }
        } catch (RuntimeException e) {
            // named below
        }
        throw new UsageException(command + ": --" + name + " expects a duration such as 15m, 1h or 1d, got '" + v + "'");
    }

    /** An ISO-8601 instant such as 2026-11-01T00:00:00Z, or {@code fallback}. */
    public java.time.Instant instant(String name, java.time.Instant fallback) {
        String v = values.get(name);
        if (v == null) {
            return fallback;
        }
        try {
            return java.time.Instant.parse(v.strip());
        } catch (java.time.format.DateTimeParseException e) {
            throw new UsageException(command + ": --" + name + " expects an ISO-8601 instant such as "
                    + "2026-11-01T00:00:00Z, got '" + v + "'");
        }
    }

    /** Whether a flag was given. */
    public boolean flag(String name) {
        return values.containsKey(name);
    }

    public String get(String name) {
        return values.get(name);
    }

    public String required(String name, String command) {
        String v = values.get(name);
        if (v == null) {
            throw new UsageException(command + ": option --" + name + " is required");
        }
        return v;
    }
}
