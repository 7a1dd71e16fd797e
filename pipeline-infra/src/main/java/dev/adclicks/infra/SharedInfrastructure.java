package dev.adclicks.infra;

/** Holder of the one {@link PipelineInfrastructure} of this JVM, stopped by a shutdown hook. */
final class SharedInfrastructure {

    private static PipelineInfrastructure instance;

    private SharedInfrastructure() {
    }

    static synchronized PipelineInfrastructure get() {
        if (instance == null) {
            PipelineInfrastructure started = PipelineInfrastructure.start();
            Runtime.getRuntime().addShutdownHook(new Thread(started::close, "pipeline-infra-shutdown"));
            instance = started;
        }
        return instance;
    }
}
