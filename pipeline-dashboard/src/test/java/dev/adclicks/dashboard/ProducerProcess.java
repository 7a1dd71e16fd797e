package dev.adclicks.dashboard;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

import dev.adclicks.infra.ChildProcesses;
import dev.adclicks.infra.FreePorts;
import dev.adclicks.infra.KafkaConnection;
import dev.adclicks.infra.OrphanGuard;

import static org.awaitility.Awaitility.await;

/**
 * The real ad-click-producer, started from its runnable jar as its own process (its own JVM, its own
 * {@code application.yml}), on a free port, against the given broker, as the given principal (its
 * credentials through the environment, not the command line): what the dashboard's demo
 * button talks to over HTTP in every environment. The jar is copied to {@code target/services} by
 * this module's build; {@link OrphanGuard} ends the process if this JVM dies first.
 */
final class ProducerProcess implements AutoCloseable {

    static final String JAR_PROPERTY = "dashboard.test.producer-jar";

    private final int port = FreePorts.next();
    private final int managementPort = FreePorts.next();
    private final Path log = Path.of("target", "producer-process", "ad-click-producer-" + port + ".log");
    private final Process process;

    private ProducerProcess(Path jar, KafkaConnection kafka) {
        List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xms64m", "-Xmx384m", "-XX:+UseSerialGC", "-XX:MetaspaceSize=128m",
                "-D" + OrphanGuard.PARENT_PID_PROPERTY + "=" + ProcessHandle.current().pid(),
                "-cp", jar + File.pathSeparator + codeSourceOf(OrphanGuard.class),
                OrphanGuard.class.getName(), "org.springframework.boot.loader.launch.JarLauncher",
                "--server.port=" + port, "--management.server.port=" + managementPort, "--spring.kafka.bootstrap-servers=" + kafka.bootstrapServers());
        try {
            Files.createDirectories(log.getParent());
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.to(log.toFile()));
            // spring.kafka.security.protocol -> SPRING_KAFKA_SECURITY_PROTOCOL (Spring Boot's relaxed binding)
            kafka.springProperties().forEach((property, value) -> {
                if (!property.equals("spring.kafka.bootstrap-servers")) {
                    builder.environment().put(property.replace('.', '_').replace("-", "").toUpperCase(Locale.ROOT), value);
                }
            });
            process = builder.start();
        }
        catch (IOException e) {
            throw new UncheckedIOException("Cannot start the producer from " + jar, e);
        }
    }

    /** Starts the producer and returns once its {@code /actuator/health} is UP (Kafka included). */
    static ProducerProcess start(KafkaConnection kafka) {
        String jar = System.getProperty(JAR_PROPERTY);
        if (jar == null || !Files.isRegularFile(Path.of(jar))) {
            throw new IllegalStateException("No producer jar at -D" + JAR_PROPERTY + "=" + jar
                    + ": run the test through Maven (./mvnw -pl pipeline-dashboard -am verify), which packages "
                    + "ad-click-producer and copies its jar to pipeline-dashboard/target/services");
        }
        ProducerProcess producer = new ProducerProcess(Path.of(jar), kafka);
        try {
            producer.awaitHealthy();
        }
        catch (RuntimeException e) {
            producer.close();
            throw e;
        }
        return producer;
    }

    URI url() {
        return URI.create("http://127.0.0.1:" + port);
    }

    /** Its actuator, on a port of its own. */
    URI managementUrl() {
        return URI.create("http://127.0.0.1:" + managementPort);
    }

    private void awaitHealthy() {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        HttpRequest health = HttpRequest.newBuilder(managementUrl().resolve("/actuator/health")).timeout(Duration.ofSeconds(2))
                .GET().build();
        await("ad-click-producer healthy (log: " + log.toAbsolutePath() + ")").atMost(Duration.ofMinutes(2))
                .pollInterval(Duration.ofMillis(250)).ignoreExceptionsInstanceOf(IOException.class).until(() -> {
                    if (!process.isAlive()) {
                        throw new IllegalStateException("ad-click-producer exited with " + process.exitValue()
                                + "; its log ends with:\n" + ChildProcesses.tail(log));
                    }
                    HttpResponse<String> response = http.send(health, HttpResponse.BodyHandlers.ofString());
                    return response.statusCode() == 200 && response.body().contains("\"UP\"");
                });
    }

    @Override
    public void close() {
        ChildProcesses.terminate(process, 30);
    }

    private static String codeSourceOf(Class<?> type) {
        try {
            return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        }
        catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
