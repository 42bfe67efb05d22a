package io.ebm.core.policy;

import java.util.Set;

/** Which budgets a rule or exclusion applies to: by service and/or by SLO name. Empty sets mean all. */
public record Scope(Set<String> services, Set<String> slos) {

    public static final Scope ALL = new Scope(Set.of(), Set.of());

    public Scope {
        // interned as the SLOs' service names are (see Slo): matched against every budget at every reconcile
        services = Set.copyOf(services.stream().map(String::intern).toList());
        slos = Set.copyOf(slos);
    }

    /** {@code budget} may be {@code slo/objective}: the SLO part matches too. */
    public boolean matches(String service, String budget) {
        boolean serviceOk = services.isEmpty() || services.contains(service);
        boolean sloOk = slos.isEmpty() || slos.contains(budget)
                || (budget.contains("/") && slos.contains(budget.substring(0, budget.indexOf('/'))));
        return serviceOk && sloOk;
    }
}
