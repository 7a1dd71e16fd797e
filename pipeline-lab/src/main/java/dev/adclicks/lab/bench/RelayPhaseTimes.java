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
 * batch's time goes) from its {@code /actuator/metrics}, once when the benchmark's clock starts and
 * once at the end, so the figures cover the measured records only.
 */
final class RelayPhaseTimes {

    private static final List<String> PHASES = List.of("process", "offsets", "flush", "commit");

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final ServiceProcess relay;
    private final String semantics;
    private Map<String, Timer> atMark = Map.of();

    RelayPhaseTimes(ServiceProcess relay, String semantics) {
        this.relay = relay;
        this.semantics = semantics;
    }

    void mark() {
        atMark = read();
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
        return new PerRecords(perThousand, batches == 0 ? 0 : (double) records / batches);
    }

    private Map<String, Timer> read() {
        Map<String, Timer> timers = new LinkedHashMap<>();
        for (String phase : PHASES) {
            try {
                HttpResponse<String> response = http.send(HttpRequest.newBuilder(relay.managementUri(
                        "/actuator/metrics/relay.phase?tag=semantics:" + semantics + "&tag=phase:" + phase))
                        .timeout(Duration.ofSeconds(5)).GET().build(), HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == 200) {
                    JsonNode measurements = PipelineJson.mapper().readTree(response.body()).get("measurements");
                    double count = 0;
                    double seconds = 0;
                    for (JsonNode measurement : measurements) {
                        switch (measurement.get("statistic").asString()) {
                            case "COUNT" -> count = measurement.get("value").asDouble();
                            case "TOTAL_TIME" -> seconds = measurement.get("value").asDouble();
                            default -> { }
                        }
                    }
                    timers.put(phase, new Timer((long) count, seconds));
                }
            }
            catch (IOException e) {
                throw new IllegalStateException("Cannot read the relay's relay.phase timers", e);
            }
            catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        return timers;
    }

    private record Timer(long count, double seconds) {
        static final Timer NONE = new Timer(0, 0);
    }

    /** Milliseconds per 1,000 records by phase, and the average records per batch (= per transaction). */
    record PerRecords(Map<String, Double> millisPer1000Records, double recordsPerBatch) {

        @Override
        public String toString() {
            return millisPer1000Records.entrySet().stream()
                    .map(e -> String.format(Locale.ROOT, "%s %.2f ms", e.getKey(), e.getValue()))
                    .collect(Collectors.joining(", ")) + String.format(Locale.ROOT, " (%,.0f records per batch)",
                            recordsPerBatch);
        }
    }
}
