package dev.adclicks.lab;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The containers start their services with the JVM options the lab measured the first minute with:
 * the Dockerfile's entry point holds the metaspace threshold and
 * {@link ServiceProcess#COMPILERS_AT_LOWER_PRIORITY}, as {@link ServiceProcess}'s defaults do. Not
 * checked: the heap and the collector, which the entry point leaves to the container's memory limit
 * ({@code -XX:MaxRAMPercentage}) and the JVM's ergonomics. Checked on the file itself (no Docker
 * engine needed).
 */
class DockerfileEntryPointTest {

    private static final Path DOCKERFILE = Path.of("../Dockerfile");

    @Test
    void theEntryPointRunsTheLabsJvmOptions() throws IOException {
        List<String> entryPoint = entryPoint();
        assertThat(entryPoint).startsWith("java").endsWith("-jar", "/app/extracted/app.jar");
        assertThat(entryPoint).contains("-XX:MetaspaceSize=128m");
        assertThat(entryPoint).containsSubsequence(ServiceProcess.COMPILERS_AT_LOWER_PRIORITY.split(" "));
        assertThat(ServiceProcess.jvmOptions()).contains("-XX:MetaspaceSize=128m")
                .containsSubsequence(ServiceProcess.COMPILERS_AT_LOWER_PRIORITY.split(" "));
    }

    /** The exec form {@code ENTRYPOINT ["java", ...]}, continuation lines joined. */
    private static List<String> entryPoint() throws IOException {
        String dockerfile = Files.readString(DOCKERFILE).replace("\\\n", " ");
        Matcher instruction = Pattern.compile("(?m)^ENTRYPOINT\\s*\\[(.*)]\\s*$").matcher(dockerfile);
        assertThat(instruction.find()).as("an exec-form ENTRYPOINT in %s", DOCKERFILE).isTrue();
        List<String> arguments = new ArrayList<>();
        Matcher argument = Pattern.compile("\"([^\"]*)\"").matcher(instruction.group(1));
        while (argument.find()) {
            arguments.add(argument.group(1));
        }
        return arguments;
    }
}
