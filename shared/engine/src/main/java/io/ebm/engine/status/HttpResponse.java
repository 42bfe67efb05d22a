package io.ebm.engine.status;

import java.util.Map;

/** A response: status, headers (names as sent) and a text body. */
public record HttpResponse(int status, Map<String, String> headers, String body) {

    public HttpResponse {
        headers = Map.copyOf(headers);
    }
}
