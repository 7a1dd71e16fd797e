package dev.adclicks.infra;

/**
 * Main class of the local broker's JVM: runs {@code kafka.Kafka} and halts as soon as the JVM
 * that started it is gone, so a test run killed with SIGKILL leaves no broker behind.
 */
public final class BrokerMain {

    static final String PARENT_PID_PROPERTY = "adclicks.parent.pid";

    private BrokerMain() {
    }

    public static void main(String[] args) throws Exception {
        String parentPid = System.getProperty(PARENT_PID_PROPERTY);
        if (parentPid != null) {
            ProcessHandle.of(Long.parseLong(parentPid)).ifPresentOrElse(
                    parent -> parent.onExit().thenRun(() -> Runtime.getRuntime().halt(0)),
                    () -> Runtime.getRuntime().halt(0));
        }
        System.setProperty("log4j2.configurationFile",
                java.nio.file.Path.of(args[0]).resolveSibling("log4j2.properties").toUri().toString());
        kafka.Kafka.main(args);
    }
}
