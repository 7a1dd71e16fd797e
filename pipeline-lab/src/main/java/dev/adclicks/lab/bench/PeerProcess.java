package dev.adclicks.lab.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import dev.adclicks.lab.ServiceLaunch;
import dev.adclicks.lab.ServiceProcess;

/**
 * A peer of the benchmark's relay race (the plain copy, Kafka Streams) in a JVM of its own, on the
 * same JDK and with the same JVM options as the relay processes ({@link ServiceLaunch#javaHome()},
 * {@link ServiceProcess#jvmOptions()}): a fair race. The class path is the benchmark's own; the
 * peer's {@code main} runs until this process is told to stop (SIGTERM, which runs its shutdown
 * hook).
 */
final class PeerProcess implements AutoCloseable {

    private final Process process;

    private PeerProcess(Process process) {
        this.process = process;
    }

    static PeerProcess start(String name, Class<?> mainClass, Path logDir, String... args) throws IOException {
        Files.createDirectories(logDir);
        List<String> command = new ArrayList<>();
        command.add(ServiceLaunch.javaHome().resolve("bin").resolve("java").toString());
        command.addAll(ServiceProcess.jvmOptions());
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(mainClass.getName());
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(logDir.resolve(name + ".log").toFile())).start();
        return new PeerProcess(process);
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
