package io.ebm.core.yaml;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParseException;
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

    /** The largest definition file or text read: larger ones are refused before parsing (split them). */
    public static final int MAX_BYTES = 256 * 1024;
    /** The longest single value (a description, a query). */
    public static final int MAX_SCALAR = 64 * 1024;
    /** The deepest nesting of mappings and lists. */
    public static final int MAX_DEPTH = 64;

    /**
     * Floats become BigDecimal so that 0.999 stays 0.999: thresholds are compared exactly. The reader's own limits
     * bound a document (code points, nesting, value length) so that hostile input fails in milliseconds.
     */
    public static final ObjectMapper MAPPER = new ObjectMapper(boundedFactory())
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .registerModule(new JavaTimeModule());

    private static YAMLFactory boundedFactory() {
        org.yaml.snakeyaml.LoaderOptions loader = new org.yaml.snakeyaml.LoaderOptions();
        loader.setCodePointLimit(MAX_BYTES);
        loader.setNestingDepthLimit(MAX_DEPTH);
        loader.setMaxAliasesForCollections(0);
        return YAMLFactory.builder().loaderOptions(loader)
                .streamReadConstraints(com.fasterxml.jackson.core.StreamReadConstraints.builder()
                        .maxStringLength(MAX_SCALAR).maxNestingDepth(MAX_DEPTH).build())
                .build();
    }

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
        try {
            long size = Files.size(file);
            if (size > MAX_BYTES) {
                problems.add(new Problem(file.toString(), null, null, tooLarge(size)));
                return List.of();
            }
        } catch (IOException e) {
            problems.add(new Problem(file.toString(), null, null, "cannot read file: " + e.getMessage()));
            return List.of();
        }
        return documents(file.toString(), null, file, problems);
    }

    private static String tooLarge(long bytes) {
        return "expected a definition file of at most " + MAX_BYTES / 1024 + " KiB (" + MAX_BYTES
                + " bytes), got " + bytes + " bytes: split it into several files";
    }

    /** All documents of a text that came from elsewhere (a store), named {@code name} in problems. */
    public static List<Document> documents(String name, String text, List<Problem> problems) {
        if (text.length() > MAX_BYTES) {
            problems.add(new Problem(name, null, null, tooLarge(text.getBytes(java.nio.charset.StandardCharsets.UTF_8).length)));
            return List.of();
        }
        return documents(name, text, null, problems);
    }

    private static List<Document> documents(String name, String text, Path file, List<Problem> problems) {
        List<Document> docs = new ArrayList<>();
        int index = 0;
        // one tree per YAML document; a document whose top level is a list is one tree too (readers may expand it)
        try (JsonParser raw = text != null ? MAPPER.getFactory().createParser(text)
                : MAPPER.getFactory().createParser(file.toFile());
             JsonParser parser = new NoAliases(raw)) {
            while (parser.nextToken() != null) {
                index++;
                JsonNode node = MAPPER.readTree(parser);
                if (node != null && !node.isNull() && !node.isMissingNode()) {
                    docs.add(new Document(name, index, node));
                }
            }
        } catch (com.fasterxml.jackson.core.exc.StreamConstraintsException e) {
            problems.add(new Problem(name, "document " + Math.max(index, 1), null, "expected a document within the "
                    + "definition reader's limits (values of at most " + MAX_SCALAR + " characters, nesting at most "
                    + MAX_DEPTH + " deep): " + e.getOriginalMessage()));
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

    /**
     * The YAML reader turns an alias into the anchor's name, silently: a definition using {@code *name} would
     * read a wrong value. Aliases are refused, with where they are; so are values longer than {@link #MAX_SCALAR}
     * (the YAML reader does not apply Jackson's string limit).
     */
    private static final class NoAliases extends com.fasterxml.jackson.core.util.JsonParserDelegate {
        NoAliases(JsonParser d) {
            super(d);
        }

        @Override
        public com.fasterxml.jackson.core.JsonToken nextToken() throws IOException {
            com.fasterxml.jackson.core.JsonToken t = super.nextToken();
            if ((t == com.fasterxml.jackson.core.JsonToken.VALUE_STRING || t == com.fasterxml.jackson.core.JsonToken.FIELD_NAME)
                    && getTextLength() > MAX_SCALAR) {
                throw new com.fasterxml.jackson.core.exc.StreamConstraintsException("a value of " + getTextLength()
                        + " characters");
            }
            if (delegate() instanceof com.fasterxml.jackson.dataformat.yaml.YAMLParser y && y.isCurrentAlias()) {
                throw new JsonParseException(this, "YAML aliases (*" + y.getText() + ") are not accepted in "
                        + "definitions: write the value out");
            }
            return t;
        }
    }
}
