package io.ebm.core.port;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** The JSON a port's message is kept as (in the outbox) and sent as. */
final class PortJson {

    static final ObjectMapper JSON = new ObjectMapper();

    private PortJson() {
    }

    static JsonNode read(String text, String what) {
        try {
            return JSON.readTree(text);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored " + what + " is not JSON: " + e.getOriginalMessage(), e);
        }
    }
}
