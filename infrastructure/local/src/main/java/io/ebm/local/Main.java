package io.ebm.local;

import io.ebm.core.yaml.DefinitionException;
import java.io.PrintStream;
import java.util.Arrays;
import java.util.List;

/** The local runtime's command line. */
public final class Main {

    static final String USAGE = """
            usage:
              ebm evaluate --slo <file|dir> --data <csv> [--policy <file>] [--at <ISO-8601 instant>] [--format json|text]
              ebm validate --slo <file|dir> [--policy <file>] [--allow-external-refs]
              ebm sample-data --out <csv> [--days N] [--start <ISO-8601 instant>]
              ebm seed --slo <file|dir> --data <csv> [--policy <file>] [--db <file>] [--every 1h] [--copies N]
              ebm demo [--db <file>] [--out <report.html>] [--slos 50] [--days 30] [--every 15m] [--lanes 2]
              ebm serve [--db <file>] [--port 8080]
              ebm backfill --slo <file|dir> --from <instant> [--to <instant>] [--db <file> | --table <name>] [--region <r>]
            """;

    /** The embedded store the commands read and write unless told otherwise. */
    public static final java.nio.file.Path DEFAULT_DB =
            java.nio.file.Path.of(System.getProperty("user.home"), ".ebm", "ebm.db");

    private Main() {
    }

    public static void main(String[] args) {
        // sqlite-jdbc logs through SLF4J; the CLI has no logging backend and wants no warning about it
        System.setProperty("slf4j.internal.verbosity", "ERROR");
        System.setProperty("slf4j.provider", "org.slf4j.helpers.NOP_FallbackServiceProvider");
        System.exit(run(args, System.out, System.err));
    }

    /** Runs one command; returns the exit status (0 fine, 2 bad input or usage). */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        if (args.length == 0) {
            err.print(USAGE);
            return 2;
        }
        List<String> rest = Arrays.asList(args).subList(1, args.length);
        try {
            return switch (args[0]) {
                case "evaluate" -> EvaluateCommand.run(rest, out);
                case "validate" -> ValidateCommand.run(rest, out, err);
                case "sample-data" -> SampleData.run(rest, out);
                case "seed" -> ServeCommands.seed(rest, out);
                case "serve" -> ServeCommands.serve(rest, out, err);
                case "demo" -> DemoCommand.run(rest, out, err);
                case "help", "--help", "-h" -> {
                    out.print(USAGE);
                    yield 0;
                }
                default -> onClassPath(args[0]).run(rest, out, err);
            };
        } catch (UsageException e) {
            err.println(e.getMessage());
            return 2;
        } catch (DefinitionException e) {
            err.println(e.getMessage());
            return 2;
        }
    }

    /** Commands that AWS clients serve (backfill) are in ebm-aws.jar, found on the class path when it is there. */
    static final java.util.Set<String> AWS_COMMANDS = java.util.Set.of("backfill");

    private static Command onClassPath(String name) {
        for (Command c : java.util.ServiceLoader.load(Command.class)) {
            if (c.name().equals(name)) {
                return c;
            }
        }
        if (AWS_COMMANDS.contains(name)) {
            throw new UsageException(name + " talks to AWS and needs the AWS SDK, which ebm.jar leaves out: run it "
                    + "with infrastructure/local/ebm, which uses infrastructure/local-aws/target/ebm-aws.jar for it");
        }
        throw new UsageException("unknown command '" + name + "'\n" + USAGE.strip());
    }
}
