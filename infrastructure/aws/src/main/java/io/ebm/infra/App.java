package io.ebm.infra;

import software.amazon.awscdk.StackProps;

/** {@code cdk synth} / {@code cdk deploy}: one stack, its settings from context. */
public final class App {

    private App() {
    }

    public static void main(String[] args) {
        software.amazon.awscdk.App app = new software.amazon.awscdk.App();
        StackSettings settings = StackSettings.from(key -> app.getNode().tryGetContext(key));
        new ErrorBudgetStack(app, "ErrorBudgetManager", StackProps.builder()
                .description("Error Budget Manager: SLO budgets, burn-rate alerts, release gates").build(), settings);
        app.synth();
    }
}
