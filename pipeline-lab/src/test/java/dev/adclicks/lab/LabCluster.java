package dev.adclicks.lab;

import dev.adclicks.infra.PipelineInfrastructure;

/**
 * The one authenticated three-broker cluster (and database) of this test JVM, shared by the test
 * classes that need the lab's servers, started on first use and stopped by a shutdown hook: its
 * four Kafka JVMs start once per build, not once per class.
 */
final class LabCluster {

    private static PipelineInfrastructure instance;

    private LabCluster() {
    }

    static synchronized PipelineInfrastructure get() {
        if (instance == null) {
            PipelineInfrastructure started = PipelineInfrastructure.startLocalCluster();
            Runtime.getRuntime().addShutdownHook(new Thread(started::close, "lab-cluster-shutdown"));
            instance = started;
        }
        return instance;
    }
}
