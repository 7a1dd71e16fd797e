package dev.adclicks.infra;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** What the lab and the local backend do with the processes they start. */
public final class ChildProcesses {

    private ChildProcesses() {
    }

    /** SIGTERM, then SIGKILL if the process has not exited within {@code graceSeconds}. */
    public static void terminate(Process process, int graceSeconds) {
        process.destroy();
        try {
            if (!process.waitFor(graceSeconds, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
        catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    /** The last 40 lines of a log, for error messages. */
    public static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        }
        catch (IOException e) {
            return "(unreadable: " + e.getMessage() + ")";
        }
    }
}
