package io.ebm.local;

import io.ebm.core.yaml.DefinitionException;
import java.io.PrintStream;
import java.util.Arrays;
import java.util.List;

/** The local runtime's command line. */
public final class Main {

    static final String USAGE = """
            usage:
              ebm evaluate --slo <file|dir> --data <csv> [--policy <file>] [--deployments <csv>] [--at <ISO-8601 instant>] [--format json|text]
              ebm validate --slo <file|dir> [--policy <file>] [--allow-external-refs]
              ebm series --slo <file|dir> --data <csv> --out <csv> [--policy <file>] [--from/--to <instant>] [--every 1m]
              ebm replay --slo <file|dir> (--data <csv> | --db <file>) [--policy <file>] [--compare <file>] [--every 5m]
              ebm review --slo <file|dir> (--data <csv> | --db <file>) [--policy <file>] [--from/--to <instant>] [--format text|json]
              ebm sample-data --out <csv> [--days N] [--start <ISO-8601 instant>] [--slos N --slo-out <dir>]
              ebm seed --slo <file|dir> --data <csv> [--policy <file>] [--db <file>] [--every 1h] [--copies N]
              ebm demo [--db <file>] [--out <report.html>] [--slos 50] [--days 30] [--every 5m] [--burning 0.5]
              ebm serve [--db <file>] [--port 8080]
              ebm backfill --slo <file|dir> --from <instant> [--to <instant>] [--db <file> | --table <name>] [--region <r>]
              ebm <command> --help     the command's options, defaults and an example
              ebm --version
            """;

    /** {@code ebm <command> --help}: the command's options, their defaults, and an example. */
    static final java.util.Map<String, String> HELP = java.util.Map.of(
            "evaluate", """
                    ebm evaluate: evaluates every SLO over exported counts at one instant, and the policy's decisions
                      --slo <file|dir>       OpenSLO v1 definitions (.yaml, .yml, .json)        required
                      --data <csv>           counts: timestamp,slo,good,total                   required
                      --policy <file>        an error-budget policy; decisions and gates too    none
                      --deployments <csv>    timestamp,service,pipeline,execution,revision:     none
                                             the ledger of who spent each budget
                      --at <instant>         when to evaluate (ISO-8601)                         the minute after the last row
                      --format json|text     the report's form                                  json
                    example: ebm evaluate --slo events/slos --data events/data/sample-30d.csv --format text
                    """,
            "validate", """
                    ebm validate: checks definitions (and a policy) as CI would; every problem, then exit 2
                      --slo <file|dir>        OpenSLO v1 definitions                            required
                      --policy <file>         an error-budget policy                            none
                      --allow-external-refs   references to files not given are warnings        off
                    example: ebm validate --slo events/slos --policy events/policies/default-policy.yaml
                    """,
            "series", """
                    ebm series: every SLO at every step of a span of exported counts, one CSV row each
                      --slo <file|dir>       OpenSLO v1 definitions                              required
                      --data <csv>           counts in time order: timestamp,slo,good,total      required
                      --out <csv>            where the series goes (written whole, or not at all) required
                      --policy <file>        the error-budget policy (exclusions, tiers)         none
                      --from, --to <instant> the span: steps at from, from + every, ... < to      the data's last day
                      --every <duration>     the step, 1m to 1d                                  1m
                    columns: timestamp,slo,status,sli,budget_remaining,burn_5m ... burn_3d,burn_window
                    example: ebm series --slo events/slos --data events/data/sample-30d.csv --out /tmp/series.csv
                    """,
            "replay", """
                    ebm replay: the incidents and notices a policy's alerting would have produced over past counts
                      --slo <file|dir>       OpenSLO v1 definitions                              required
                      --data <csv>           counts in time order: timestamp,slo,good,total      (or --db)
                      --db <file>            the embedded store's counts instead                 (or --data)
                      --policy <file>        the error-budget policy (tiers, holds, grouping)    Workbook tiers
                      --compare <file>       a second policy, replayed side by side (A/B)        none
                      --every <duration>     the calculator's tick, 1m to 1h                     5m
                      --from, --to <instant> the span replayed                                   all the data
                      --format text|json     the report's form                                   text
                    example: ebm replay --slo events/slos --data events/data/sample-30d.csv \
                               --policy events/policies/default-policy.yaml --compare my-policy.yaml
                    """,
            "review", """
                    ebm review: each SLO's target against what users got, month by month, and what to change
                      --slo <file|dir>       OpenSLO v1 definitions                              required
                      --data <csv>           counts in time order (pages from a 5-minute replay) (or --db)
                      --db <file>            the embedded store (pages from its incidents)      (or --data)
                      --policy <file>        the error-budget policy (exclusions, tiers)         Workbook tiers
                      --from, --to <instant> the span reviewed (with --db: the last 92 days)     all the data
                      --format text|json     the report's form                                   text
                    it never edits a file: it prints the YAML change to make
                    example: ebm review --slo events/slos --data events/data/sample-30d.csv \
                               --policy events/policies/default-policy.yaml
                    """,
            "sample-data", """
                    ebm sample-data: writes the sample month of counts the examples use
                      --out <csv>            where to write                                      required
                      --days N               how many days, 1 to 3660                            30
                      --start <instant>      the first minute (ISO-8601)                         2026-11-01T00:00:00Z
                      --slos N               the fleet: the samples and generated SLOs, 5+      5 (the samples)
                      --slo-out <dir>        where the fleet's definitions go (with --slos)     none
                    example: ebm sample-data --out /tmp/month.csv --days 7
                             ebm sample-data --out /tmp/fleet.csv --slos 50 --slo-out /tmp/fleet
                    """,
            "seed", """
                    ebm seed: evaluates exported counts into the embedded store, a snapshot every step
                      --slo <file|dir>       OpenSLO v1 definitions                              required
                      --data <csv>           counts: timestamp,slo,good,total                    required
                      --policy <file>        an error-budget policy                              none
                      --db <file>            the embedded store                                  ~/.ebm/ebm.db
                      --every <duration>     one snapshot per step (15m, 1h, 1d)                 1h
                      --copies N             copies of each last snapshot, 0 to 10000 (load)     0
                    example: ebm seed --slo events/slos --data events/data/sample-30d.csv --every 1h
                    """,
            "demo", """
                    ebm demo: replays a month of a generated fleet through the real calculator and policy
                      --db <file>            the embedded store it writes (an old one is kept)  ~/.ebm/ebm.db
                      --out <file>           the HTML report                                     ~/.ebm/demo-report.html
                      --slos N               SLOs in the fleet, 1 to 10000                       50
                      --days N               days replayed, 1 to 90                              30
                      --every <duration>     the calculator's tick, 1m to 1h                     5m
                      --burning <share>      and the burning mode: SLOs past this share          off
                                             of a page factor evaluated every minute (0 to 1]
                      --lanes N              parallel lanes, 1 to 16                             1
                    example: ebm demo --slos 20 --days 7
                    """,
            "serve", """
                    ebm serve: the status API, pages and badges over the embedded store, on loopback
                      --db <file>            the embedded store                                  ~/.ebm/ebm.db
                      --port N               the port, 0 to 65535 (0: any free port)             8080
                    example: ebm serve --port 8080   (then open http://127.0.0.1:8080/)
                    """,
            "backfill", """
                    ebm backfill: reads history from CloudWatch into a store (needs ebm-aws.jar: run infrastructure/local/ebm)
                      --slo <file|dir>       OpenSLO v1 definitions                              required
                      --from <instant>       the first minute (ISO-8601)                         required
                      --to <instant>         the end                                             now
                      --db <file> | --table <name>   the embedded store, or a DynamoDB table     ~/.ebm/ebm.db
                      --region <region>      the AWS region                                      the SDK's default
                    example: infrastructure/local/ebm backfill --slo events/slos --from 2026-11-01T00:00:00Z
                    """);

    /** The version of this build, from the jar's manifest. */
    static String version() {
        String v = Main.class.getPackage().getImplementationVersion();
        return "ebm " + (v == null ? "(development build)" : v);
    }

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
        if (args[0].equals("--version") || args[0].equals("version")) {
            out.println(version());
            return 0;
        }
        List<String> rest = Arrays.asList(args).subList(1, args.length);
        if (HELP.containsKey(args[0]) && (rest.contains("--help") || rest.contains("-h"))) {
            out.print(HELP.get(args[0]));
            return 0;
        }
        try {
            return switch (args[0]) {
                case "evaluate" -> EvaluateCommand.run(rest, out);
                case "validate" -> ValidateCommand.run(rest, out, err);
                case "replay" -> ReplayCommand.run(rest, out);
                case "series" -> SeriesCommand.run(rest, out);
                case "review" -> ReviewCommand.run(rest, out);
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
