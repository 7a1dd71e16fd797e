package dev.adclicks.lab;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.IntConsumer;

import dev.adclicks.model.AdClick;
import dev.adclicks.model.PipelineJson;
import tools.jackson.databind.JsonNode;

/**
 * Sends clicks to {@code POST /api/clicks/batch} like a well-behaved client: paced at a target
 * rate, retrying what was not acknowledged with the SAME clickIds (503, connection errors), and
 * re-sending a share of acknowledged clicks once more (a client that never saw the 202). Records
 * every HTTP send and every acknowledgement (a 202, or a click listed as accepted in a 503): the
 * verifier's ground truth is what the producer acknowledged.
 */
public final class ClickLoad {

    /** The campaigns the relay's default price table knows, with their prices in micros. */
    public static final Map<String, Long> CAMPAIGN_PRICES = Map.of(
            "summer-sale", 120_000L, "winter-sale", 250_000L, "brand-awareness", 50_000L, "retargeting", 400_000L);

    private static final int BATCH_SIZE = 50;
    private static final int MAX_ATTEMPTS = 30;

    private final URI batchEndpoint;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    public ClickLoad(ServiceProcess producer) {
        this.batchEndpoint = producer.uri("/api/clicks/batch");
    }

    /** As fast as the producer answers. */
    public Result send(String adPrefix, int clicks, double resendShare, long seed, IntConsumer progress) {
        return send(adPrefix, clicks, resendShare, Integer.MAX_VALUE, seed, progress);
    }

    /**
     * @param adPrefix prefix of every adId of this load, so a verifier can tell its records apart
     * @param clicks distinct clicks to send
     * @param resendShare share of them sent once more with the same clickId after their 202 (beyond
     *        {@code clicks}: the chance of each click)
     * @param clicksPerSecond target rate of first sends
     * @param progress told the number of distinct clicks acknowledged so far
     */
    public Result send(String adPrefix, int clicks, double resendShare, int clicksPerSecond, long seed,
            IntConsumer progress) {
        return send(adPrefix, clicks, () -> false, resendShare, clicksPerSecond, seed, progress);
    }

    /**
     * As above, but after the first {@code clicks} it goes on at the same rate for as long as
     * {@code moreWanted} says so: the fault lab keeps clicks flowing until its last fault has been
     * injected, however long the faults before it took (a service restart can outlast a short load,
     * and a fault under no load shows nothing).
     */
    public Result send(String adPrefix, int clicks, BooleanSupplier moreWanted, double resendShare,
            int clicksPerSecond, long seed, IntConsumer progress) {
        Random random = new Random(seed);
        List<String> campaigns = List.copyOf(new TreeSet<>(CAMPAIGN_PRICES.keySet()));
        Set<Integer> resend = new HashSet<>(); // exactly this share of the first clicks, by chance after them
        while (resend.size() < Math.round(clicks * resendShare)) {
            resend.add(random.nextInt(clicks));
        }

        Tally tally = new Tally();
        Instant started = Instant.now();
        ExecutorService senders = Executors.newFixedThreadPool(4);
        long nanosPerBatch = clicksPerSecond == Integer.MAX_VALUE ? 0 : TimeUnit.SECONDS.toNanos(BATCH_SIZE) / clicksPerSecond;
        long startNanos = System.nanoTime();
        long next = startNanos;
        for (int from = 0; from < clicks || moreWanted.getAsBoolean(); from += BATCH_SIZE) {
            int size = from < clicks ? Math.min(BATCH_SIZE, clicks - from) : BATCH_SIZE;
            List<AdClick> batch = new ArrayList<>(size);
            List<AdClick> again = new ArrayList<>();
            for (int i = from; i < from + size; i++) {
                AdClick click = new AdClick(UUID.randomUUID(), adPrefix + (i % 40),
                        campaigns.get(random.nextInt(campaigns.size())), "user-" + random.nextInt(10_000),
                        Instant.now().minusMillis(random.nextInt(60_000)));
                batch.add(click);
                if (i < clicks ? resend.contains(i) : random.nextDouble() < resendShare) {
                    again.add(click);
                }
            }
            // when the schedule wanted this batch sent: a click waiting for a free sender (the
            // producer answering slower than the offered rate) waits from here, not from its send
            Instant scheduled = started.plusNanos(next - startNanos);
            batch.forEach(click -> tally.scheduledAt.put(click.clickId(), scheduled));
            senders.submit(() -> {
                sendUntilAcknowledged(batch, tally);
                progress.accept(tally.acknowledgedDistinct());
                if (!again.isEmpty()) {
                    sendUntilAcknowledged(again, tally); // the client that never saw its 202
                }
            });
            next += nanosPerBatch;
            long wait = next - System.nanoTime();
            if (wait > 0) {
                ServiceProcess.sleep(TimeUnit.NANOSECONDS.toMillis(wait));
            }
        }
        senders.shutdown();
        try {
            if (!senders.awaitTermination(10, TimeUnit.MINUTES)) {
                throw new IllegalStateException("Load did not finish in 10 minutes");
            }
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while sending clicks", e);
        }
        return new Result(Map.copyOf(tally.sends), Map.copyOf(tally.acknowledged), Map.copyOf(tally.acceptedAt),
                Map.copyOf(tally.scheduledAt), tally.unacknowledged(), tally.failedAttempts.get(), started, Duration.between(started, Instant.now()));
    }

    private void sendUntilAcknowledged(List<AdClick> clicks, Tally tally) {
        List<AdClick> pending = clicks;
        for (int attempt = 1; attempt <= MAX_ATTEMPTS && !pending.isEmpty(); attempt++) {
            if (attempt > 1) {
                ServiceProcess.sleep(Math.min(2_000, 100L << Math.min(attempt, 5)));
            }
            pending.forEach(click -> tally.sends.merge(click.clickId(), 1, Integer::sum));
            Set<UUID> acked = postBatch(pending);
            Instant now = Instant.now();
            for (UUID clickId : acked) {
                tally.acknowledged.merge(clickId, 1, Integer::sum);
                tally.acceptedAt.putIfAbsent(clickId, now);
            }
            if (acked.size() < pending.size()) {
                tally.failedAttempts.incrementAndGet();
            }
            pending = pending.stream().filter(click -> !acked.contains(click.clickId())).toList();
        }
        pending.forEach(click -> tally.gaveUp.add(click.clickId()));
    }

    /** The clickIds the producer acknowledged (202, or the 'accepted' list of a 503). */
    private Set<UUID> postBatch(List<AdClick> batch) {
        Set<UUID> acked = new HashSet<>();
        try {
            HttpResponse<byte[]> response = http.send(HttpRequest.newBuilder(batchEndpoint)
                    .timeout(Duration.ofSeconds(30))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(PipelineJson.write(batch)))
                    .build(), HttpResponse.BodyHandlers.ofByteArray());
            JsonNode body = PipelineJson.mapper().readTree(response.body());
            JsonNode accepted = response.statusCode() == 202 ? body : body.path("accepted");
            accepted.forEach(ack -> acked.add(UUID.fromString(ack.get("clickId").asString())));
        }
        catch (IOException e) {
            // unknown outcome: retried with the same clickIds
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return acked;
    }

    private static final class Tally {

        final Map<UUID, Integer> sends = new ConcurrentHashMap<>();
        final Map<UUID, Integer> acknowledged = new ConcurrentHashMap<>();
        final Map<UUID, Instant> acceptedAt = new ConcurrentHashMap<>();
        final Map<UUID, Instant> scheduledAt = new ConcurrentHashMap<>();
        final Set<UUID> gaveUp = ConcurrentHashMap.newKeySet();
        final AtomicInteger failedAttempts = new AtomicInteger();

        int acknowledgedDistinct() {
            return acknowledged.size();
        }

        Set<UUID> unacknowledged() {
            return Set.copyOf(gaveUp);
        }
    }

    /**
     * @param sends HTTP sends per clickId (retries and re-sends included)
     * @param acknowledged acknowledgements per clickId (a 202, or the 'accepted' list of a 503)
     * @param acceptedAt when each clickId was first acknowledged
     * @param scheduledAt when the offered rate wanted each clickId sent (its batch's slot in the
     *        schedule), however long it then waited for a sender or its 202
     * @param unacknowledged clickIds given up on after every retry failed (their fate is unknown)
     * @param failedAttempts batch attempts that were not fully acknowledged
     */
    public record Result(Map<UUID, Integer> sends, Map<UUID, Integer> acknowledged, Map<UUID, Instant> acceptedAt,
            Map<UUID, Instant> scheduledAt, Set<UUID> unacknowledged, int failedAttempts, Instant started, Duration elapsed) {

        public int totalSends() {
            return sends.values().stream().mapToInt(Integer::intValue).sum();
        }

        public int totalAcknowledged() {
            return acknowledged.values().stream().mapToInt(Integer::intValue).sum();
        }

        public long distinctAcknowledged() {
            return acknowledged.size();
        }

        public double acknowledgedPerSecond() {
            return distinctAcknowledged() * 1000.0 / Math.max(1, elapsed.toMillis());
        }
    }
}
