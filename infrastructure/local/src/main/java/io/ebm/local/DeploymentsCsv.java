package io.ebm.local;

import io.ebm.core.deploy.Deployment;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A deployments file for {@code evaluate --deployments}: {@code timestamp,service,pipeline,execution,revision},
 * one landed deployment a row (the revision may be empty). Checked whole before anything is evaluated; the first
 * bad row is named with its line.
 */
final class DeploymentsCsv {

    static final String HEADER = "timestamp,service,pipeline,execution,revision";
    static final int MAX_ROWS = 100_000;
    static final int MAX_FIELD = 128;

    private DeploymentsCsv() {
    }

    static List<Deployment> read(Path file, Set<String> services) {
        List<Deployment> out = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String header = r.readLine();
            if (header == null || !header.strip().equals(HEADER)) {
                throw new UsageException(file + ":1: expected the header " + HEADER);
            }
            String line;
            int n = 1;
            while ((line = r.readLine()) != null) {
                n++;
                if (line.isBlank()) {
                    continue;
                }
                if (out.size() >= MAX_ROWS) {
                    throw new UsageException(file + ":" + n + ": more than " + MAX_ROWS + " deployments");
                }
                String[] f = line.split(",", -1);
                if (f.length != 5) {
                    throw new UsageException(file + ":" + n + ": expected 5 fields (" + HEADER + "), got " + f.length);
                }
                Instant at;
                try {
                    at = Instant.parse(f[0].strip());
                } catch (DateTimeParseException e) {
                    throw new UsageException(file + ":" + n + ": timestamp: expected an ISO-8601 instant, got '"
                            + f[0].strip() + "'");
                }
                String service = field(file, n, "service", f[1], true);
                if (!services.contains(service)) {
                    throw new UsageException(file + ":" + n + ": service: no SLO belongs to '" + service + "'");
                }
                String pipeline = field(file, n, "pipeline", f[2], true);
                String execution = field(file, n, "execution", f[3], true);
                String revision = field(file, n, "revision", f[4], false);
                if (!seen.add(service + "#" + pipeline + "#" + execution)) {
                    throw new UsageException(file + ":" + n + ": execution " + execution + " of " + pipeline
                            + " is listed twice for " + service);
                }
                out.add(new Deployment(service, pipeline, execution, revision, null, at, at, at,
                        Deployment.Status.SUCCEEDED, "file"));
            }
        } catch (IOException e) {
            throw new UsageException(file + ": cannot read: " + e.getMessage());
        }
        return out;
    }

    private static String field(Path file, int line, String name, String raw, boolean required) {
        String v = raw.strip();
        if (v.isEmpty()) {
            if (required) {
                throw new UsageException(file + ":" + line + ": " + name + ": required");
            }
            return null;
        }
        if (v.length() > MAX_FIELD || !v.matches("[\\x21-\\x7E]+")) {
            throw new UsageException(file + ":" + line + ": " + name + ": expected up to " + MAX_FIELD
                    + " printable characters without spaces, got '" + (v.length() > 40 ? v.substring(0, 40) + "…" : v)
                    + "'");
        }
        return v;
    }
}
