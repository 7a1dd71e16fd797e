package dev.adclicks.lab;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import dev.adclicks.infra.PipelineInfrastructure;

/**
 * One run of the lab: the services under a steady load of clicks while faults are injected at
 * planned points of the load, then a drain and the verifier's report.
 */
public final class FaultScenario {

    private FaultScenario() {
    }

    /** A fault and the share of the load (0..1) acknowledged when it is injected. */
    public record Step(double atProgress, Fault fault) {
    }

    public record Plan(String name, int clicks, int clicksPerSecond, double resendShare, List<Step> steps) {

        /** This plan plus {@code count} kills of relay or sink at random points of the load. */
        public Plan withRandomKills(int count, long seed) {
            java.util.Random random = new java.util.Random(seed);
            List<Step> all = new ArrayList<>(steps);
            for (int i = 0; i < count; i++) {
                all.add(new Step(0.05 + random.nextDouble() * 0.8, random.nextBoolean() ? Fault.RELAY_KILL
                        : Fault.SINK_KILL));
            }
            all.sort((a, b) -> Double.compare(a.atProgress(), b.atProgress()));
            return new Plan(name, clicks, clicksPerSecond, resendShare, List.copyOf(all));
        }

        /**
         * The short scenario of {@code ./mvnw verify}, on the three-broker cluster: every kind of
         * service fault once, a leader killed, a MySQL outage. (Each service restart costs 6-18 s of
         * JVM start here under load, with the build's C1-only services: kept to what covers each
         * window once, at 160 clicks/s, so that the build stays within 15 minutes. The coordinator
         * kill is in the demo and soak plans and in {@code RelayFailoverIT}, which {@code .ci/run}
         * runs.)
         */
        public static Plan ci() {
            return new Plan("ci", 20_000, 160, 0.02, List.of(
                    new Step(0.03, Fault.ACK_LOSS),
                    new Step(0.06, Fault.RELAY_HALT_IN_TRANSACTION),
                    new Step(0.15, Fault.SINK_HALT_AFTER_DB_COMMIT),
                    new Step(0.30, Fault.LEADER_KILL_CLICKS),
                    new Step(0.40, Fault.RELAY_KILL),
                    new Step(0.48, Fault.ZOMBIE_RELAY),
                    new Step(0.65, Fault.SINK_KILL),
                    new Step(0.72, Fault.MYSQL_OUTAGE)));
        }

        /**
         * The faults that tell the three semantics apart, on a smaller load: lost acks (duplicates
         * without idempotence), a relay halted inside its window (duplicates without a transaction,
         * losses with offsets committed first), a leader killed before its followers had its
         * latest records (acks=1 and acks=0 lose what only the leader had), a sink halted after its
         * DB commit (double counts when aggregates add every delivered event instead of only
         * inserted rows) and a MySQL outage (losses without retries).
         */
        public static Plan contrast() {
            return new Plan("contrast", 6_000, 150, 0.02, List.of(
                    new Step(0.05, Fault.ACK_LOSS),
                    new Step(0.10, Fault.RELAY_HALT_IN_TRANSACTION),
                    new Step(0.25, Fault.UNREPLICATED_LEADER_KILL),
                    new Step(0.40, Fault.SINK_HALT_AFTER_DB_COMMIT),
                    new Step(0.60, Fault.MYSQL_OUTAGE)));
        }

        /**
         * What {@code ./run-pipeline} shows: every kind of service fault once, a leader killed before
         * replication, the transaction coordinator killed, two brokers down, a rolling bounce of
         * the brokers and a MySQL outage.
         */
        public static Plan demo(int clicks) {
            return new Plan("demo", clicks, 120, 0.02, List.of(
                    new Step(0.03, Fault.ACK_LOSS),
                    new Step(0.06, Fault.RELAY_HALT_IN_TRANSACTION),
                    new Step(0.15, Fault.SINK_HALT_AFTER_DB_COMMIT),
                    new Step(0.22, Fault.UNREPLICATED_LEADER_KILL),
                    new Step(0.30, Fault.ZOMBIE_RELAY),
                    new Step(0.40, Fault.RELAY_KILL),
                    new Step(0.45, Fault.COORDINATOR_KILL),
                    new Step(0.55, Fault.SINK_KILL),
                    new Step(0.60, Fault.TWO_BROKERS_DOWN),
                    new Step(0.70, Fault.ROLLING_BOUNCE),
                    new Step(0.85, Fault.MYSQL_OUTAGE)));
        }

        /**
         * What recovery is measured on ({@code ./run-pipeline kills}): SIGKILL of relay and sink in
         * turn, four each, every 10% of the load (30 s at 120 clicks/s: time to restart and drain
         * before the next one).
         */
        public static Plan kills(int clicks) {
            List<Step> steps = new ArrayList<>();
            for (int i = 1; i <= 8; i++) {
                steps.add(new Step(i / 10.0, i % 2 == 1 ? Fault.RELAY_KILL : Fault.SINK_KILL));
            }
            return new Plan("kills", clicks, 120, 0.02, List.copyOf(steps));
        }

        /**
         * What a relay that dies inside its transaction costs ({@code ./run-pipeline halts}): relay 1
         * halted at its fault point (every output sent, the offsets in the transaction, no commit),
         * four times, every 20% of the load (about 33 s apart at 120 clicks/s), and restarted. Until
         * the restarted relay's {@code initTransactions()} aborts it (or the transaction timeout
         * does), the open transaction holds back every read_committed reader of the partitions it
         * wrote, the twin relay that takes over its partitions of {@code ad-clicks} included.
         */
        public static Plan halts(int clicks) {
            List<Step> steps = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                steps.add(new Step(0.15 + i * 0.2, Fault.RELAY_HALT_IN_TRANSACTION));
            }
            return new Plan("halts", clicks, 120, 0.02, List.copyOf(steps));
        }

        /**
         * What a relay frozen past its session timeout costs ({@code ./run-pipeline zombies}): the
         * last relay paused (SIGSTOP) for the zombie fault's 10 s and resumed, four times, every 20%
         * of the load (about 33 s apart at 120 clicks/s). Its partitions of {@code ad-clicks} move to
         * the other relay after the session timeout; a transaction it had open when it froze holds
         * back every read_committed reader of the partitions it wrote until it is aborted: by the
         * coordinator after {@code relay.transaction-timeout}, or by the zombie itself once it wakes
         * up and finds its group has moved on.
         */
        public static Plan zombies(int clicks) {
            List<Step> steps = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                steps.add(new Step(0.15 + i * 0.2, Fault.ZOMBIE_RELAY));
            }
            return new Plan("zombies", clicks, 120, 0.02, List.copyOf(steps));
        }

        /**
         * 100,000 clicks; 10 kills each of relay and sink (some halting mid-window), lost acks, a
         * zombie, a MySQL outage, and on the brokers: a rolling hard bounce of all three, the
         * leaders of ad-clicks and ad-events killed, the transaction coordinator killed, two brokers
         * down at once, a leader killed before replication.
         */
        public static Plan soak() {
            List<Step> steps = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                double base = 0.02 + i * 0.09;
                steps.add(new Step(base, i % 3 == 0 ? Fault.RELAY_HALT_IN_TRANSACTION : Fault.RELAY_KILL));
                steps.add(new Step(base + 0.02, i % 3 == 1 ? Fault.SINK_HALT_AFTER_DB_COMMIT : Fault.SINK_KILL));
                if (i % 3 == 2) {
                    steps.add(new Step(base + 0.03, Fault.ACK_LOSS));
                }
            }
            steps.add(new Step(0.15, Fault.LEADER_KILL_CLICKS));
            steps.add(new Step(0.25, Fault.COORDINATOR_KILL));
            steps.add(new Step(0.35, Fault.ROLLING_BOUNCE));
            steps.add(new Step(0.50, Fault.ZOMBIE_RELAY));
            steps.add(new Step(0.55, Fault.LEADER_KILL_EVENTS));
            steps.add(new Step(0.60, Fault.MYSQL_OUTAGE));
            steps.add(new Step(0.70, Fault.TWO_BROKERS_DOWN));
            steps.add(new Step(0.80, Fault.UNREPLICATED_LEADER_KILL));
            steps.sort((a, b) -> Double.compare(a.atProgress(), b.atProgress()));
            // 200 clicks/s: the load lasts ~8 minutes, long enough for all faults to hit it
            return new Plan("soak", 100_000, 200, 0.02, List.copyOf(steps));
        }
    }

    /**
     * @param atMillis when the fault started, since the load started
     * @param tookMillis how long injecting it (and the restart that follows) took
     */
    public record FaultEvent(long atMillis, long tookMillis, Fault fault, String description) {
    }

    /**
     * @param settled at the end no transaction was left open on ad-events and both consumer groups
     *        had committed past every record of their input
     */
    public record Outcome(String semantics, Plan plan, ClickLoad.Result load, PipelineVerifier.Report report,
            List<FaultEvent> faults, long drainMillis, boolean settled) {

        /**
         * The verdict: exactly once at every layer, in order, nothing wrong seen by the live reader
         * ({@link PipelineVerifier.Report#exactlyOnce()}), and nothing left hanging.
         */
        public boolean exactlyOnce() {
            return settled && report.exactlyOnce();
        }

        /** What each fault cost: the stall and the recovery ({@link FaultCost}). */
        public List<FaultCost> faultCosts() {
            double offered = plan.clicksPerSecond() == Integer.MAX_VALUE ? load.acknowledgedPerSecond()
                    : plan.clicksPerSecond();
            return FaultCost.of(faults, FaultCost.perSecond(load.acceptedAt(), load.started()), report.rowsPerSecond(),
                    report.longestWaitBySecond(), report.slowClicksBySecond(), offered);
        }
    }

    /**
     * Runs {@code plan} on {@code infra} (which must have the fault proxies when the plan loses
     * acks, and be the three-broker cluster when it kills brokers) with the services in the
     * delivery semantics {@code profile} and the default group protocol
     * ({@link Pipeline.Options#defaultGroupProtocol()}).
     */
    public static Outcome run(PipelineInfrastructure infra, Path workDir, String profile, Plan plan,
            Consumer<String> progress) {
        return run(infra, workDir, profile, Pipeline.Options.defaultGroupProtocol(), plan, progress);
    }

    /** As above, with relay and sink on the consumer group protocol {@code groupProtocol}. */
    public static Outcome run(PipelineInfrastructure infra, Path workDir, String profile, String groupProtocol,
            Plan plan, Consumer<String> progress) {
        if (infra.kafkaCluster().isEmpty() && plan.steps().stream().anyMatch(step -> step.fault().needsCluster())) {
            throw new IllegalArgumentException("Plan " + plan.name() + " kills brokers: it needs the three-broker "
                    + "cluster (PipelineInfrastructure.startLocalCluster())");
        }
        progress.accept(String.format("[%s] consumer group protocol: %s; Kafka: %s", profile, groupProtocol,
                infra.kafkaCluster().map(c -> c.brokers().size() + " brokers, RF 3, min ISR 2"
                        + (c.secured() ? ", SASL/SCRAM + ACLs" : "")).orElse("1 broker"
                        + (infra.kafkaAdminConnection().credentials().isPresent() ? ", SASL/SCRAM + ACLs" : ""))));
        String adPrefix = plan.name() + "-" + profile + "-" + UUID.randomUUID().toString().substring(0, 6) + "-";
        boolean needsTwoRelays = plan.steps().stream().anyMatch(step -> step.fault() == Fault.ZOMBIE_RELAY);
        try (Pipeline pipeline = Pipeline.start(infra, workDir.resolve(profile),
                new Pipeline.Options(profile, Math.max(needsTwoRelays ? 2 : 1, Pipeline.Options.defaultRelays()),
                        groupProtocol));
                // reads ad-events read_committed while the faults happen; stopped after the drain
                LiveCommittedReader liveReader = LiveCommittedReader.start(infra.kafkaAdminConnection(), adPrefix)) {
            progress.accept(String.format(
                    "[%s] services up; sending %,d clicks (more while faults are pending) at %d/s with %d faults", profile,
                    plan.clicks(), plan.clicksPerSecond(), plan.steps().size()));
            AtomicInteger acknowledged = new AtomicInteger();
            // the load goes on past plan.clicks() until the last fault has been injected: every fault
            // hits a pipeline under load, however long the restarts before it took
            java.util.concurrent.atomic.AtomicBoolean faultsPending = new java.util.concurrent.atomic.AtomicBoolean(
                    !plan.steps().isEmpty());
            Instant started = Instant.now();
            CompletableFuture<ClickLoad.Result> load = CompletableFuture.supplyAsync(() -> new ClickLoad(
                    pipeline.producer()).send(adPrefix, plan.clicks(), faultsPending::get, plan.resendShare(),
                            plan.clicksPerSecond(), plan.clicks(), done -> {
                                int before = acknowledged.getAndSet(done);
                                if (done * 10 / plan.clicks() > before * 10 / plan.clicks()) {
                                    progress.accept(String.format("[%s] load: %,d clicks acknowledged (%,d planned)",
                                            profile, done, plan.clicks()));
                                }
                            }));
            List<FaultEvent> events = Collections.synchronizedList(new ArrayList<>());
            try {
                for (Step step : plan.steps()) {
                    while (acknowledged.get() < step.atProgress() * plan.clicks() && !load.isDone()) {
                        ServiceProcess.sleep(100);
                    }
                    long at = Duration.between(started, Instant.now()).toMillis();
                    progress.accept(String.format("[%s] t=%5.1fs FAULT %s", profile, at / 1000.0, step.fault().description()));
                    step.fault().inject(pipeline);
                    long took = Duration.between(started, Instant.now()).toMillis() - at;
                    events.add(new FaultEvent(at, took, step.fault(), step.fault().description()));
                }
            }
            finally {
                faultsPending.set(false);
            }
            ClickLoad.Result result = load.join();
            progress.accept(String.format("[%s] load done: %,d clicks acknowledged in %.1f s; draining ...", profile,
                    result.distinctAcknowledged(), result.elapsed().toMillis() / 1000.0));
            long drainStarted = System.nanoTime();
            PipelineVerifier verifier = new PipelineVerifier(infra);
            boolean settled = awaitDrained(verifier, adPrefix, result);
            long drainMillis = (System.nanoTime() - drainStarted) / 1_000_000;
            LiveCommittedReader.Result live = liveReader.stop();
            progress.accept(String.format("[%s] live read_committed reader: %,d records read, %d duplicates, "
                    + "%d records of aborted transactions", profile, live.recordsRead(), live.duplicates(),
                    live.abortedReads()));
            return new Outcome(profile, plan, result, verifier.verify(adPrefix, result, live), List.copyOf(events),
                    drainMillis, settled);
        }
    }

    /** Until nothing moves any more: consumers at the end, no open transaction, row count stable. */
    private static boolean awaitDrained(PipelineVerifier verifier, String adPrefix, ClickLoad.Result load) {
        long deadline = System.nanoTime() + Duration.ofMinutes(4).toNanos();
        long lastRows = -1;
        int stableChecks = 0;
        while (System.nanoTime() < deadline) {
            long rows = verifier.rowsStored(adPrefix);
            boolean complete = rows >= load.distinctAcknowledged();
            stableChecks = rows == lastRows ? stableChecks + 1 : 0;
            lastRows = rows;
            if ((complete || stableChecks >= 5) && verifier.settled()) {
                return true;
            }
            ServiceProcess.sleep(1_000);
        }
        return false;
    }
}
