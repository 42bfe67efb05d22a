package io.ebm.core.port;

/** Where burn-rate notices go. A failure is an exception: the notice is then not recorded as sent. */
@FunctionalInterface
public interface AlertNotifier {

    void publish(AlertNotice notice);
}
