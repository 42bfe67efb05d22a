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

    public Options(List<String> args, Set<String> allowed, String command) {
        this(args, allowed, Set.of(), command);
    }

    public Options(List<String> args, Set<String> allowed, Set<String> flags, String command) {
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
