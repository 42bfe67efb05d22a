package io.ebm.functions.status;

import io.ebm.engine.status.HttpRequest;
import io.ebm.engine.status.HttpResponse;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** API Gateway events to and from the status API: HTTP API (payload 2.0) and REST proxy (1.0). */
public final class ApiGatewayEvents {

    private ApiGatewayEvents() {
    }

    @SuppressWarnings("unchecked")
    public static HttpRequest toRequest(Map<String, Object> event) {
        Map<String, Object> ctx = map(event.get("requestContext"));
        boolean v2 = "2.0".equals(event.get("version"));
        String method = v2 ? String.valueOf(map(ctx.get("http")).get("method")) : String.valueOf(event.get("httpMethod"));
        String path = v2 ? String.valueOf(event.get("rawPath")) : String.valueOf(event.get("path"));
        Map<String, String> query = strings(event.get("queryStringParameters"));
        Map<String, String> headers = new LinkedHashMap<>();
        strings(event.get("headers")).forEach((k, v) -> headers.put(k.toLowerCase(Locale.ROOT), v));
        Object arn = v2 ? map(map(ctx.get("authorizer")).get("iam")).get("userArn") : map(ctx.get("identity")).get("userArn");
        // an identity is a string API Gateway put there; anything else is no identity
        String caller = arn instanceof String a && !a.isBlank() ? a : null;
        Object body = event.get("body");
        String text = body == null ? null : body.toString();
        if (text != null && Boolean.TRUE.equals(event.get("isBase64Encoded"))) {
            try {
                text = new String(java.util.Base64.getDecoder().decode(text), java.nio.charset.StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                throw new BadEvent("the body is marked base64 but is not base64");
            }
        }
        return new HttpRequest(method, path, query, headers, text, caller);
    }

    /** An event the status API cannot read as a request: answered 400, never thrown out of the handler. */
    public static final class BadEvent extends RuntimeException {
        public BadEvent(String message) {
            super(message);
        }
    }

    public static Map<String, Object> toEvent(HttpResponse r) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("statusCode", r.status());
        out.put("headers", r.headers());
        out.put("body", r.body());
        out.put("isBase64Encoded", false);
        return out;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object o) {
        return o instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
    }

    private static Map<String, String> strings(Object o) {
        Map<String, String> out = new LinkedHashMap<>();
        if (o instanceof Map<?, ?> m) {
            m.forEach((k, v) -> {
                if (k != null && v != null) {
                    out.put(k.toString(), v.toString());
                }
            });
        }
        return out;
    }
}
