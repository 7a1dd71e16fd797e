package dev.adclicks.lab;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntConsumer;

import dev.adclicks.model.AdClick;
import dev.adclicks.model.PipelineJson;
import tools.jackson.databind.JsonNode;

/**
 * Sends clicks to {@code POST /api/clicks/batch} like a client that retries: a share of the
 * clicks is sent a second time, later, with the same clickId. Records every 202: the verifier's
 * ground truth is what the producer acknowledged, nothing else.
 */
public final class ClickLoad {

    /** The campaigns the relay's default price table knows, with their prices in micros. */
    public static final Map<String, Long> CAMPAIGN_PRICES = Map.of(
            "summer-sale", 120_000L, "winter-sale", 250_000L, "brand-awareness", 50_000L, "retargeting", 400_000L);

    private static final int BATCH_SIZE = 250;

    private final URI batchEndpoint;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    public ClickLoad(ServiceProcess producer) {
        this.batchEndpoint = producer.uri("/api/clicks/batch");
    }

    /**
     * @param adPrefix prefix of every adId of this load, so a verifier can tell its records apart
     * @param clicks distinct clicks to send
     * @param resendShare share of them sent a second time with the same clickId
     * @param progress told the number of clicks sent so far, after each batch
     */
    public Result send(String adPrefix, int clicks, double resendShare, long seed, IntConsumer progress) {
        Random random = new Random(seed);
        List<String> campaigns = List.copyOf(new java.util.TreeSet<>(CAMPAIGN_PRICES.keySet()));
        List<AdClick> sends = new ArrayList<>();
        for (int i = 0; i < clicks; i++) {
            sends.add(new AdClick(UUID.randomUUID(), adPrefix + (i % 40), campaigns.get(random.nextInt(campaigns.size())),
                    "user-" + random.nextInt(10_000), Instant.now().minusMillis(random.nextInt(60_000))));
        }
        int resends = (int) Math.round(clicks * resendShare);
        List<AdClick> again = new ArrayList<>(sends.subList(0, resends));
        Collections.shuffle(again, random);
        sends.addAll(again);

        Instant started = Instant.now();
        List<UUID> acknowledged = Collections.synchronizedList(new ArrayList<>());
        List<String> failures = Collections.synchronizedList(new ArrayList<>());
        ExecutorService senders = Executors.newFixedThreadPool(2);
        try {
            List<Future<?>> batches = new ArrayList<>();
            java.util.concurrent.atomic.AtomicInteger sent = new java.util.concurrent.atomic.AtomicInteger();
            for (int from = 0; from < sends.size(); from += BATCH_SIZE) {
                List<AdClick> batch = sends.subList(from, Math.min(sends.size(), from + BATCH_SIZE));
                batches.add(senders.submit(() -> {
                    postBatch(batch, acknowledged, failures);
                    progress.accept(sent.addAndGet(batch.size()));
                }));
            }
            for (Future<?> batch : batches) {
                batch.get();
            }
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while sending clicks", e);
        }
        catch (ExecutionException e) {
            throw new IllegalStateException("Sending clicks failed", e.getCause());
        }
        finally {
            senders.shutdownNow();
        }
        return new Result(sends.size(), List.copyOf(acknowledged), List.copyOf(failures),
                Duration.between(started, Instant.now()));
    }

    private void postBatch(List<AdClick> batch, List<UUID> acknowledged, List<String> failures) {
        try {
            HttpResponse<byte[]> response = http.send(HttpRequest.newBuilder(batchEndpoint)
                    .timeout(Duration.ofSeconds(60))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(PipelineJson.write(batch)))
                    .build(), HttpResponse.BodyHandlers.ofByteArray());
            JsonNode body = PipelineJson.mapper().readTree(response.body());
            if (response.statusCode() == 202) {
                body.forEach(ack -> acknowledged.add(UUID.fromString(ack.get("clickId").asString())));
            }
            else {
                // 503: the accepted part is listed; the rest was not acknowledged and counts as not sent.
                JsonNode accepted = body.path("accepted");
                accepted.forEach(ack -> acknowledged.add(UUID.fromString(ack.get("clickId").asString())));
                failures.add(response.statusCode() + ": " + body.path("detail").asString(""));
            }
        }
        catch (IOException e) {
            failures.add(e.toString());
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            failures.add("interrupted");
        }
    }

    /**
     * @param sends HTTP sends of a click (resends included)
     * @param acknowledged clickId of every 202'd send, resends included
     */
    public record Result(int sends, List<UUID> acknowledged, List<String> failures, Duration elapsed) {

        public long distinctAcknowledged() {
            return acknowledged.stream().distinct().count();
        }
    }
}
