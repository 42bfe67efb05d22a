package io.ebm.aws.policy;

import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import software.amazon.awssdk.core.SdkRequest;

/**
 * An SDK client interface answered by canned responses, one function per operation (keyed by the request
 * class), recording every request for exact assertions. What no emulator here speaks is tested this way.
 */
public final class Canned<C> {

    public final List<SdkRequest> requests = new ArrayList<>();
    public final C client;

    @SuppressWarnings("unchecked")
    public Canned(Class<C> type, Map<Class<? extends SdkRequest>, Function<SdkRequest, Object>> answers) {
        this.client = (C) Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, (proxy, method, args) -> {
            if (method.getName().equals("close")) {
                return null;
            }
            if (args != null && args.length == 1 && args[0] instanceof SdkRequest r) {
                requests.add(r);
                Function<SdkRequest, Object> answer = answers.get(r.getClass());
                if (answer == null) {
                    throw new IllegalStateException("the test gave no canned answer for " + method.getName());
                }
                return answer.apply(r);
            }
            throw new IllegalStateException("the test double does not answer " + method.getName());
        });
    }

    public <R extends SdkRequest> List<R> of(Class<R> type) {
        return requests.stream().filter(type::isInstance).map(type::cast).toList();
    }
}
