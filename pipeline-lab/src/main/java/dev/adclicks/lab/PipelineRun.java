package dev.adclicks.lab;

import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;

import dev.adclicks.infra.PipelineInfrastructure;

/**
 * The README's run command. Starts a real Kafka cluster (three brokers and a controller, every
 * broker behind its fault proxies; RF 3, min ISR 2) and a real MySQL-compatible database without
 * Docker, runs the three services as processes and:
 *
 * <pre>
 *   ./run-pipeline                 exactly-once under faults, then a verdict   (default)
 *   ./run-pipeline compare         the same faults under at-most-once, at-least-once, exactly-once
 *   ./run-pipeline kills [clicks]  relay and sink killed in turn, 4 times each: what a kill costs
 *   ./run-pipeline halts [clicks]  the relay halted inside its transaction, 4 times: what its successor's fencing costs
 *   ./run-pipeline zombies [clicks] relay 2 frozen past its session timeout, 4 times: what a zombie costs
 *   ./run-pipeline soak            100,000 clicks, 10+ kills of relay and sink, every broker hard-bounced
 *   ./run-pipeline plain [clicks]  no faults: N clicks in, N rows out
 *
 *   --group-protocol=consumer      (any mode) relay and sink use the KIP-848 consumer group
 *                                  protocol instead of the classic one
 * </pre>
 *
 * Every mode but plain also writes pipeline-lab/target/run/lab-report.{json,html}.
 */
public final class PipelineRun {

    private PipelineRun() {
    }

    public static void main(String[] arguments) {
        // --group-protocol=classic|consumer: the consumer group protocol of relay and sink
        String[] args = java.util.Arrays.stream(arguments).filter(arg -> {
            if (arg.startsWith("--group-protocol=")) {
                System.setProperty(Pipeline.GROUP_PROTOCOL_PROPERTY, arg.substring("--group-protocol=".length()));
                return false;
            }
            return true;
        }).toArray(String[]::new);
        String mode = args.length > 0 ? args[0] : "faults";
        say("Consumer group protocol of relay and sink: %s", Pipeline.Options.defaultGroupProtocol());
        Path workDir = Paths.get(System.getProperty("lab.work.dir", "pipeline-lab/target/run"));
        boolean ok;
        say("Starting Kafka (3 brokers + a controller, each broker behind its fault proxies) and MySQL ...");
        try (PipelineInfrastructure infra = PipelineInfrastructure.startLocalCluster()) {
            say("  Kafka %s, MySQL %s; service logs in %s", infra.kafkaBootstrapServers(), infra.jdbcUrl(),
                    workDir.toAbsolutePath());
            ok = switch (mode) {
                case "faults" -> faults(infra, workDir, List.of("exactly-once"), FaultScenario.Plan.demo(
                        args.length > 1 ? Integer.parseInt(args[1]) : 20_000).withRandomKills(2, System.nanoTime()));
                case "compare" -> faults(infra, workDir, List.of("at-most-once", "at-least-once", "exactly-once"),
                        FaultScenario.Plan.demo(args.length > 1 ? Integer.parseInt(args[1]) : 20_000));
                case "kills" -> faults(infra, workDir, List.of("exactly-once"), FaultScenario.Plan.kills(
                        args.length > 1 ? Integer.parseInt(args[1]) : 36_000));
                case "halts" -> faults(infra, workDir, List.of("exactly-once"), FaultScenario.Plan.halts(
                        args.length > 1 ? Integer.parseInt(args[1]) : 20_000));
                case "zombies" -> faults(infra, workDir, List.of("exactly-once"), FaultScenario.Plan.zombies(
                        args.length > 1 ? Integer.parseInt(args[1]) : 20_000));
                case "soak" -> faults(infra, workDir, List.of("exactly-once"), FaultScenario.Plan.soak());
                case "plain" -> plain(infra, workDir, args.length > 1 ? Integer.parseInt(args[1]) : 2_000);
                default -> throw new IllegalArgumentException("Unknown mode '" + mode
                        + "': faults, compare, kills, halts, zombies, soak or plain");
            };
        }
        System.exit(ok ? 0 : 1);
    }

    private static boolean faults(PipelineInfrastructure infra, Path workDir, List<String> semantics,
            FaultScenario.Plan plan) {
        List<FaultScenario.Outcome> outcomes = new ArrayList<>();
        for (String profile : semantics) {
            FaultScenario.Outcome outcome = FaultScenario.run(infra, workDir, profile, plan, PipelineRun::say);
            outcomes.add(outcome);
            System.out.println();
            System.out.println("== " + profile + " ==");
            System.out.print(outcome.report().table());
            System.out.println();
            System.out.print(FaultCost.table(outcome.faultCosts()));
            long slow = outcome.report().slowClicksBySecond().values().stream().mapToLong(Long::longValue).sum();
            long accepted = outcome.load().distinctAcknowledged();
            System.out.printf("clicks over %d s from 202 to row in the whole run: %,d of %,d (%.2f%%)%n",
                    FaultCost.SLOW_MILLIS / 1000, slow, accepted, accepted == 0 ? 0.0 : 100.0 * slow / accepted);
            System.out.println();
        }
        LabReport.write(workDir, outcomes);
        System.out.print(LabReport.comparisonTable(outcomes));
        say("Report: %s and lab-report.json", workDir.resolve("lab-report.html").toAbsolutePath());
        FaultScenario.Outcome exactlyOnce = outcomes.get(outcomes.size() - 1);
        boolean verdict = exactlyOnce.exactlyOnce();
        System.out.println();
        System.out.println(verdict
                ? String.format("VERDICT: exactly once under %d faults. %,d clicks acknowledged -> %,d rows, nothing "
                        + "lost, nothing doubled or out of order, no aborted read, counters exact.",
                        exactlyOnce.faults().size(), exactlyOnce.load().distinctAcknowledged(),
                        exactlyOnce.report().rows())
                : "VERDICT: NOT exactly once - see the table above and the logs in " + workDir);
        return verdict;
    }

    private static boolean plain(PipelineInfrastructure infra, Path workDir, int clicks) {
        FaultScenario.Plan plan = new FaultScenario.Plan("plain", clicks, Integer.MAX_VALUE, 0.05, List.of());
        FaultScenario.Outcome outcome = FaultScenario.run(infra, workDir, "exactly-once", plan, PipelineRun::say);
        System.out.println();
        System.out.print(outcome.report().table());
        boolean verdict = outcome.exactlyOnce();
        System.out.println(verdict
                ? String.format("VERDICT: exactly once. %,d distinct clicks acknowledged -> %,d rows in MySQL.",
                        outcome.load().distinctAcknowledged(), outcome.report().rows())
                : "VERDICT: NOT exactly once - see the table above and the service logs in " + workDir);
        return verdict;
    }

    private static void say(String format, Object... args) {
        System.out.println(String.format(format, args));
    }
}
