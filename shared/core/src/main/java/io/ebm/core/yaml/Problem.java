package io.ebm.core.yaml;

/**
 * One thing wrong with an input file: where (file, document, field path) and what was expected.
 * {@code document} reads like {@code document 2 (SLO api-availability)}; {@code field} like
 * {@code spec.objectives[0].target}.
 */
public record Problem(String file, String document, String field, String message) {

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(file);
        if (document != null) {
            sb.append(": ").append(document);
        }
        if (field != null && !field.isEmpty()) {
            sb.append(": ").append(field);
        }
        return sb.append(": ").append(message).toString();
    }
}
