package dev.adclicks.lab.bench;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

import tools.jackson.databind.JsonNode;

import dev.adclicks.lab.ServiceProcess;
import dev.adclicks.model.PipelineJson;

/**
 * Reads a running relay's {@code relay.phase} timers (process, offsets, flush, commit: where each
 * batch's time goes) and its producer's request and byte counters ({@code kafka.producer.*}, which
 * the relay binds per session) from its {@code /actuator/metrics}, once when the benchmark's clock
 * starts and once at the end, so the figures cover the measured records only.
 */
final class RelayPhaseTimes {

    private static final List<String> PHASES = List.of("process", "offsets", "flush", "commit");

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final ServiceProcess relay;
    private final String semantics;
    private Map<String, Timer> atMark = Map.of();
    private Map<String, Double> producerAtMark = Map.of();

    RelayPhaseTimes(ServiceProcess relay, String semantics) {
        this.relay = relay;
        this.semantics = semantics;
    }

    void mark() {
        atMark = read();
        producerAtMark = readProducer();
    }

    /** Milliseconds per 1,000 of {@code records} in each phase since {@link #mark()}, and records per batch. */
    PerRecords sinceMark(long records) {
        Map<String, Timer> now = read();
        Map<String, Double> perThousand = new LinkedHashMap<>();
        for (String phase : PHASES) {
            Timer end = now.get(phase);
            Timer start = atMark.getOrDefault(phase, Timer.NONE);
            if (end != null && end.count() > start.count()) {
                perThousand.put(phase, Math.round((end.seconds() - start.seconds()) * 1e8 / records) / 100.0);
            }
        }
        Timer process = now.getOrDefault("process", Timer.NONE);
        long batches = process.count() - atMark.getOrDefault("process", Timer.NONE).count();
        Map<String, Double> producerNow = readProducer();
        double requests = producerNow.get(REQUESTS) - producerAtMark.getOrDefault(REQUESTS, 0.0);
        double bytes = producerNow.get(BYTES) - producerAtMark.getOrDefault(BYTES, 0.0);
        return new PerRecords(perThousand, batches == 0 ? 0 : (double) records / batches,
                requests * 1000 / records, bytes / records);
    }

    private static final String REQUESTS = "kafka.producer.request.total";
    private static final String BYTES = "kafka.producer.outgoing.byte.total";

    /**
     * The producer's requests (every kind: produce, and for the transactional producer its
     * transaction requests too) and bytes sent, summed over the relay's producers.
     */
    private Map<String, Double> readProducer() {
        Map<String, Double> counters = new LinkedHashMap<>();
        for (String metric : List.of(REQUESTS, BYTES)) {
            counters.put(metric, get("/actuator/metrics/" + metric).map(body -> {
                for (JsonNode measurement : PipelineJson.mapper().readTree(body).get("measurements")) {
                    if (measurement.get("statistic").asString().equals("COUNT")) {
                        return measurement.get("value").asDouble();
                    }
                }
                return 0.0;
            }).orElse(0.0));
        }
        return counters;
    }

    private java.util.Optional<String> get(String path) {
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(relay.managementUri(path))
                    .timeout(Duration.ofSeconds(5)).GET().build(), HttpResponse.BodyHandlers.ofString());
            return response.statusCode() == 200 ? java.util.Optional.of(response.body()) : java.util.Optional.empty();
        }
        catch (IOException e) {
            throw new IllegalStateException("Cannot read the relay's " + path, e);
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private Map<String, Timer> read() {
        Map<String, Timer> timers = new LinkedHashMap<>();
        for (String phase : PHASES) {
            get("/actuator/metrics/relay.phase?tag=semantics:" + semantics + "&tag=phase:" + phase).ifPresent(body -> {
                double count = 0;
                double seconds = 0;
                for (JsonNode measurement : PipelineJson.mapper().readTree(body).get("measurements")) {
                    switch (measurement.get("statistic").asString()) {
                        case "COUNT" -> count = measurement.get("value").asDouble();
                        case "TOTAL_TIME" -> seconds = measurement.get("value").asDouble();
                        default -> { }
                    }
                }
                timers.put(phase, new Timer((long) count, seconds));
            });
        }
        return timers;
    }

    private record Timer(long count, double seconds) {
        static final Timer NONE = new Timer(0, 0);
    }

    /**
     * Milliseconds per 1,000 records by phase, the average records per batch (= per transaction),
     * the producer's requests per 1,000 records and bytes sent per record.
     */
    record PerRecords(Map<String, Double> millisPer1000Records, double recordsPerBatch,
            double producerRequestsPer1000Records, double producerBytesPerRecord) {

        @Override
        public String toString() {
            return millisPer1000Records.entrySet().stream()
                    .map(e -> String.format(Locale.ROOT, "%s %.2f ms", e.getKey(), e.getValue()))
                    .collect(Collectors.joining(", ")) + String.format(Locale.ROOT,
                            " (%,.0f records per batch; producer: %.2f requests per 1,000 records, %.0f bytes per record)",
                            recordsPerBatch, producerRequestsPer1000Records, producerBytesPerRecord);
        }
    }
}
