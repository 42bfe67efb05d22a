package io.ebm.core.store;

import io.ebm.core.deploy.Deployment;

/** A stored deployment with its version: events about one execution merge into it under optimistic locking. */
public record DeploymentRecord(Deployment deployment, long version) {
}
