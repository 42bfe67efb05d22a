package io.ebm.engine.status;

import java.util.Map;

/**
 * A request as the status API sees it, whatever carried it (API Gateway HTTP API or REST proxy, or the local
 * server). {@code caller} is the authenticated principal (the IAM ARN API Gateway verified), or null.
 */
public record HttpRequest(String method, String path, Map<String, String> query, Map<String, String> headers,
                          String body, String caller) {

    public HttpRequest {
        query = query == null ? Map.of() : Map.copyOf(query);
        headers = headers == null ? Map.of() : Map.copyOf(headers);
    }

    public String header(String name) {
        return headers.get(name.toLowerCase(java.util.Locale.ROOT));
    }
}
