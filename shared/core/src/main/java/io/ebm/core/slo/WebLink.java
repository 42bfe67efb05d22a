package io.ebm.core.slo;

/** Addresses a definition may hand on as links (a runbook in a notice or on a page): absolute http(s) only. */
public final class WebLink {

    private WebLink() {
    }

    /** An absolute http(s) address with a host; {@code javascript:}, {@code data:} and relative ones are not. */
    public static boolean isValid(String text) {
        if (text == null) {
            return false;
        }
        try {
            java.net.URI u = new java.net.URI(text.strip());
            return ("https".equalsIgnoreCase(u.getScheme()) || "http".equalsIgnoreCase(u.getScheme()))
                    && u.getHost() != null && !u.getHost().isEmpty();
        } catch (java.net.URISyntaxException e) {
            return false;
        }
    }
}
