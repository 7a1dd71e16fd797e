package dev.adclicks.infra;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;

/**
 * Kafka's command-line tools as a {@code bin} directory of scripts ({@code kafka-topics.sh},
 * {@code kafka-configs.sh}, {@code kafka-acls.sh}), each running its tool's main class from the jars
 * the local backend's brokers run from, so that a shell script written for the apache/kafka image
 * (its tools in {@code /opt/kafka/bin}) runs against a local broker. Hand-written because Kafka's
 * distribution, which holds these scripts, is not published to Maven Central; its jars are, and the
 * scripts only start a JVM on them.
 */
public final class KafkaCommandLineTools {

    /** Each script and the main class Kafka 4.3's own script of that name runs. */
    static final Map<String, String> MAIN_CLASSES = Map.of(
            "kafka-topics.sh", "org.apache.kafka.tools.TopicCommand",
            "kafka-configs.sh", "kafka.admin.ConfigCommand",
            "kafka-acls.sh", "org.apache.kafka.tools.AclCommand");

    private KafkaCommandLineTools() {
    }

    /**
     * Writes the scripts into {@code binDir} (created if absent) and returns it. Each tool runs on
     * this JVM's java with C1 only and a small heap: they are short-lived clients.
     */
    public static Path writeTo(Path binDir) {
        String java = Paths.get(System.getProperty("java.home"), "bin", "java").toString();
        String classpath = LocalKafkaNode.brokerClasspath();
        try {
            Files.createDirectories(binDir);
            for (Map.Entry<String, String> tool : MAIN_CLASSES.entrySet()) {
                Path script = binDir.resolve(tool.getKey());
                Files.writeString(script, "#!/bin/sh\nexec '" + java + "' -Xmx128m -XX:+UseSerialGC"
                        + " -XX:TieredStopAtLevel=1 -cp '" + classpath + "' " + tool.getValue() + " \"$@\"\n",
                        StandardCharsets.UTF_8);
                Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
            }
            return binDir;
        }
        catch (IOException e) {
            throw new UncheckedIOException("Cannot write Kafka's command-line tools to " + binDir, e);
        }
    }
}
