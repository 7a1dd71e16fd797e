package dev.adclicks.infra;

import java.util.function.Supplier;

/** Holder of the shared {@link PipelineInfrastructure}s of this JVM, each stopped by a shutdown hook. */
final class SharedInfrastructure {

    private static PipelineInfrastructure instance;
    private static PipelineInfrastructure cluster;

    private SharedInfrastructure() {
    }

    static synchronized PipelineInfrastructure get() {
        instance = startOnce(instance, PipelineInfrastructure::start);
        return instance;
    }

    static synchronized PipelineInfrastructure cluster() {
        cluster = startOnce(cluster, PipelineInfrastructure::startLocalCluster);
        return cluster;
    }

    private static PipelineInfrastructure startOnce(PipelineInfrastructure current, Supplier<PipelineInfrastructure> start) {
        if (current != null) {
            return current;
        }
        PipelineInfrastructure started = start.get();
        Runtime.getRuntime().addShutdownHook(new Thread(started::close, "pipeline-infra-shutdown"));
        return started;
    }
}
