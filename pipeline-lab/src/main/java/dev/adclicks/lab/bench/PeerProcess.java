package dev.adclicks.lab.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.common.config.SaslConfigs;

import dev.adclicks.infra.KafkaConnection;
import dev.adclicks.lab.ServiceLaunch;
import dev.adclicks.lab.ServiceProcess;

/**
 * A peer of the benchmark's relay race (the plain copy, Kafka Streams) in a JVM of its own, on the
 * same JDK and with the same JVM options as the relay processes ({@link ServiceLaunch#javaHome()},
 * {@link ServiceProcess#jvmOptions()}): a fair race. The class path is the benchmark's own; the
 * peer's {@code main} runs until this process is told to stop (SIGTERM, which runs its shutdown
 * hook). It connects to Kafka as the benchmark tells it: the servers as its first argument, the
 * credentials through its environment ({@link #clientProperties}), never on the command line.
 */
final class PeerProcess implements AutoCloseable {

    private final Process process;

    private PeerProcess(Process process) {
        this.process = process;
    }

    /** Starts {@code mainClass} with {@code kafka}'s servers as its first argument, then {@code args}. */
    static PeerProcess start(String name, Class<?> mainClass, Path logDir, KafkaConnection kafka, String... args)
            throws IOException {
        Files.createDirectories(logDir);
        List<String> command = new ArrayList<>();
        command.add(ServiceLaunch.javaHome().resolve("bin").resolve("java").toString());
        command.addAll(ServiceProcess.jvmOptions());
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(mainClass.getName());
        command.add(kafka.bootstrapServers());
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(logDir.resolve(name + ".log").toFile()));
        kafka.securityProperties().forEach((property, value) -> builder.environment().put(environmentVariable(property), value));
        return new PeerProcess(builder.start());
    }

    /**
     * In the peer: the properties of a Kafka client connecting to {@code bootstrapServers} with the
     * security settings its parent put into its environment (none on a plaintext broker).
     */
    static Map<String, Object> clientProperties(String bootstrapServers) {
        Map<String, Object> properties = new HashMap<>();
        properties.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        for (String property : List.of(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, SaslConfigs.SASL_MECHANISM,
                SaslConfigs.SASL_JAAS_CONFIG)) {
            String value = System.getenv(environmentVariable(property));
            if (value != null) {
                properties.put(property, value);
            }
        }
        return properties;
    }

    private static String environmentVariable(String property) {
        return "BENCH_PEER_KAFKA_" + property.toUpperCase(Locale.ROOT).replace('.', '_');
    }

    /** What every peer and relay process runs with, for the table. */
    static String launchDescription() {
        return ServiceLaunch.javaHome().getFileName() + " " + String.join(" ", ServiceProcess.jvmOptions());
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }
}
