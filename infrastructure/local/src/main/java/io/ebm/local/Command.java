package io.ebm.local;

import java.io.PrintStream;
import java.util.List;

/**
 * A command the CLI finds on its class path (java.util.ServiceLoader) rather than builds in: the commands that
 * talk to AWS ship in ebm-aws.jar, with the SDK, so that ebm.jar runs everything else without it.
 */
public interface Command {

    /** The command word, such as {@code backfill}. */
    String name();

    /** Runs the command on the arguments after its word; returns the exit status. Bad input: {@link UsageException}. */
    int run(List<String> args, PrintStream out, PrintStream err);
}
