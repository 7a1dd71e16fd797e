package dev.adclicks.infra;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** File-tree helpers of the local backend and the lab. */
public final class Directories {

    private Directories() {
    }

    /** Deletes {@code dir} and everything in it, as far as it can (best effort). */
    public static void deleteRecursively(Path dir) {
        if (dir == null || !Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        }
        catch (IOException e) {
            // best effort: a temp dir left behind is not worth failing a run for
        }
    }
}
