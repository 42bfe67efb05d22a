package io.ebm.core.yaml;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** Reading YAML files into trees, with exact decimals, and naming the files of a directory. */
public final class Yaml {

    /** Floats become BigDecimal so that 0.999 stays 0.999: thresholds are compared exactly. */
    public static final ObjectMapper MAPPER = new ObjectMapper(new YAMLFactory())
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .registerModule(new JavaTimeModule());

    private Yaml() {
    }

    /** One parsed document, numbered from 1 within its file. */
    public record Document(String file, int index, JsonNode node) {
    }

    /** The .yaml, .yml and .json files (JSON is YAML) of a file or directory, sorted; problems go to {@code problems}. */
    public static List<Path> files(Path fileOrDir, List<Problem> problems) {
        if (!Files.exists(fileOrDir)) {
            problems.add(new Problem(fileOrDir.toString(), null, null, "no such file or directory"));
            return List.of();
        }
        if (Files.isRegularFile(fileOrDir)) {
            return List.of(fileOrDir);
        }
        try (Stream<Path> walk = Files.walk(fileOrDir)) {
            List<Path> found = walk.filter(Files::isRegularFile)
                    .filter(p -> p.toString().endsWith(".yaml") || p.toString().endsWith(".yml")
                            || p.toString().endsWith(".json"))
                    .sorted().toList();
            if (found.isEmpty()) {
                problems.add(new Problem(fileOrDir.toString(), null, null, "expected .yaml, .yml or .json files; found none"));
            }
            return found;
        } catch (IOException e) {
            problems.add(new Problem(fileOrDir.toString(), null, null, "cannot read directory: " + e.getMessage()));
            return List.of();
        }
    }

    /** All documents of one file. A syntax error is one problem naming the line and column. */
    public static List<Document> documents(Path file, List<Problem> problems) {
        return documents(file.toString(), null, file, problems);
    }

    /** All documents of a text that came from elsewhere (a store), named {@code name} in problems. */
    public static List<Document> documents(String name, String text, List<Problem> problems) {
        return documents(name, text, null, problems);
    }

    private static List<Document> documents(String name, String text, Path file, List<Problem> problems) {
        List<Document> docs = new ArrayList<>();
        int index = 0;
        // one tree per YAML document; a document whose top level is a list is one tree too (readers may expand it)
        try (JsonParser parser = text != null ? MAPPER.getFactory().createParser(text)
                : MAPPER.getFactory().createParser(file.toFile())) {
            while (parser.nextToken() != null) {
                index++;
                JsonNode node = MAPPER.readTree(parser);
                if (node != null && !node.isNull() && !node.isMissingNode()) {
                    docs.add(new Document(name, index, node));
                }
            }
        } catch (JsonProcessingException e) {
            JsonLocation loc = e.getLocation();
            String where = loc == null ? "" : " at line " + loc.getLineNr() + ", column " + loc.getColumnNr();
            problems.add(new Problem(name, "document " + Math.max(index, 1), null,
                    "expected valid YAML; syntax error" + where + ": " + e.getOriginalMessage()));
        } catch (IOException e) {
            problems.add(new Problem(name, null, null, "cannot read file: " + e.getMessage()));
        } catch (RuntimeException e) {
            // the YAML reader reports some malformed input as unchecked exceptions
            problems.add(new Problem(name, "document " + Math.max(index, 1), null,
                    "expected valid YAML; " + e.getMessage()));
        }
        return docs;
    }
}
