package dev.adclicks.infra;

import java.lang.reflect.Method;
import java.util.Arrays;

/**
 * Main class for the processes the tests start (the Kafka broker, the services): runs the real
 * main class given as the first argument, and halts this JVM as soon as the JVM that started it
 * is gone — so a test run killed with SIGKILL leaves no server behind.
 *
 * <pre>java -Dadclicks.parent.pid=123 -cp ... dev.adclicks.infra.OrphanGuard kafka.Kafka server.properties</pre>
 */
public final class OrphanGuard {

    public static final String PARENT_PID_PROPERTY = "adclicks.parent.pid";

    private OrphanGuard() {
    }

    public static void main(String[] args) throws Exception {
        String parentPid = System.getProperty(PARENT_PID_PROPERTY);
        if (parentPid != null) {
            ProcessHandle.of(Long.parseLong(parentPid)).ifPresentOrElse(
                    parent -> parent.onExit().thenRun(() -> Runtime.getRuntime().halt(0)),
                    () -> Runtime.getRuntime().halt(0));
        }
        Method main = Class.forName(args[0]).getMethod("main", String[].class);
        main.invoke(null, (Object) Arrays.copyOfRange(args, 1, args.length));
    }
}
