package dev.adclicks.lab;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.adclicks.infra.FreePorts;
import dev.adclicks.infra.PipelineInfrastructure;

/**
 * The three services as OS processes, wired to one {@link PipelineInfrastructure}: producer
 * (HTTP in, ad-clicks out), relay (ad-clicks to ad-events, transactional), sink (ad-events into
 * MySQL). Closing it stops the services, not the servers.
 */
public final class Pipeline implements AutoCloseable {

    /** System property: the folder holding the services' runnable jars (built by Maven). */
    public static final String SERVICES_DIR_PROPERTY = "lab.services.dir";

    private final PipelineInfrastructure infra;
    private final ServiceProcess producer;
    private final ServiceProcess relay;
    private final ServiceProcess sink;

    private Pipeline(PipelineInfrastructure infra, ServiceProcess producer, ServiceProcess relay, ServiceProcess sink) {
        this.infra = infra;
        this.producer = producer;
        this.relay = relay;
        this.sink = sink;
    }

    /** Starts the three services (in parallel) and waits until each reports UP. */
    public static Pipeline start(PipelineInfrastructure infra, Path logDir) {
        Path services = servicesDir();
        Map<String, String> kafka = Map.of("spring.kafka.bootstrap-servers", infra.kafkaBootstrapServers());

        Map<String, String> sinkProperties = new LinkedHashMap<>(kafka);
        sinkProperties.put("spring.datasource.url", infra.jdbcUrl());
        sinkProperties.put("spring.datasource.username", infra.jdbcUsername());
        sinkProperties.put("spring.datasource.password", infra.jdbcPassword());

        Map<String, String> relayProperties = new LinkedHashMap<>(kafka);
        relayProperties.put("relay.instance-id", "lab-relay-1");

        Pipeline pipeline = new Pipeline(infra,
                new ServiceProcess("ad-click-producer", jar(services, "ad-click-producer"), FreePorts.next(), kafka, logDir),
                new ServiceProcess("ad-event-relay", jar(services, "ad-event-relay"), FreePorts.next(), relayProperties,
                        logDir),
                new ServiceProcess("ad-event-sink", jar(services, "ad-event-sink"), FreePorts.next(), sinkProperties,
                        logDir));
        try {
            pipeline.services().forEach(ServiceProcess::start);
            pipeline.services().forEach(ServiceProcess::awaitHealthy);
            return pipeline;
        }
        catch (RuntimeException e) {
            pipeline.close();
            throw e;
        }
    }

    public PipelineInfrastructure infra() {
        return infra;
    }

    public ServiceProcess producer() {
        return producer;
    }

    public ServiceProcess relay() {
        return relay;
    }

    public ServiceProcess sink() {
        return sink;
    }

    public List<ServiceProcess> services() {
        return List.of(producer, relay, sink);
    }

    @Override
    public void close() {
        List<RuntimeException> failures = new ArrayList<>();
        for (ServiceProcess service : services()) {
            try {
                service.stop();
            }
            catch (RuntimeException e) {
                failures.add(e);
            }
        }
        if (!failures.isEmpty()) {
            throw failures.get(0);
        }
    }

    private static Path servicesDir() {
        Path dir = Paths.get(System.getProperty(SERVICES_DIR_PROPERTY, "pipeline-lab/target/services"));
        if (!Files.isDirectory(dir)) {
            throw new IllegalStateException("No service jars in " + dir.toAbsolutePath()
                    + ": build them first (./mvnw package -DskipTests) or set -D" + SERVICES_DIR_PROPERTY);
        }
        return dir;
    }

    private static Path jar(Path dir, String service) {
        Path jar = dir.resolve(service + ".jar");
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("Missing " + jar.toAbsolutePath() + ": build it with ./mvnw package -DskipTests");
        }
        return jar;
    }
}
