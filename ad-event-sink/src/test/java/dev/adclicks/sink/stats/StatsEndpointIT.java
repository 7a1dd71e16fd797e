package dev.adclicks.sink.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.test.web.server.LocalServerPort;

import dev.adclicks.model.AdEvent;
import dev.adclicks.model.PipelineJson;
import dev.adclicks.sink.SinkIntegrationTest;
import tools.jackson.databind.JsonNode;

class StatsEndpointIT extends SinkIntegrationTest {

    @LocalServerPort
    private int port;

    @LocalManagementPort
    private int managementPort;

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void statsReportStoredEventsAbsorbedDuplicatesAndAggregateTotals() throws Exception {
        String adId = uniqueAdId();
        AdEvent event = event(adId, "2026-11-04T10:00:00Z", 7_000);
        send(event);
        await().atMost(PATIENCE).until(() -> clickEvents.findByClickIdIn(List.of(event.clickId())).size() == 1);
        long duplicatesBefore = metrics.duplicatesCount();
        send(event);
        await().atMost(PATIENCE).until(() -> metrics.duplicatesCount() == duplicatesBefore + 1);

        JsonNode stats = getJson("/api/stats");

        assertThat(stats.get("eventsStored").asLong()).isEqualTo(clickEvents.count()).isPositive();
        assertThat(stats.get("duplicatesAbsorbed").asLong()).isEqualTo(duplicatesBefore + 1);
        assertThat(stats.get("deadLettered").asLong()).isEqualTo(metrics.deadLetteredCount());
        // every stored event counted exactly once in the aggregates, across all tests so far
        assertThat(stats.get("totalClicks").asLong()).isEqualTo(stats.get("eventsStored").asLong());
        assertThat(stats.get("totalSpendMicros").asLong()).isGreaterThanOrEqualTo(7_000);

        JsonNode perAd = getJson("/api/stats/ads/" + adId);
        assertThat(perAd).hasSize(1);
        assertThat(perAd.get(0).get("day").asString()).isEqualTo("2026-11-04");
        assertThat(perAd.get(0).get("clicks").asLong()).isEqualTo(1);
        assertThat(perAd.get(0).get("spendMicros").asLong()).isEqualTo(7_000);
    }

    @Test
    void actuatorExposesHealthAndTheSinkCountersForPrometheus() throws Exception {
        assertThat(get(port, "/actuator/health").statusCode()).as("nothing of actuator on the public port")
                .isEqualTo(404);
        assertThat(getJson(managementPort, "/actuator/health").get("status").asString()).isEqualTo("UP");

        HttpResponse<String> prometheus = get(managementPort, "/actuator/prometheus");
        assertThat(prometheus.statusCode()).isEqualTo(200);
        assertThat(prometheus.body()).contains("sink_events_inserted_total", "sink_events_duplicates_total",
                "sink_events_dead_lettered_total", "sink_batches_failed_attempts_total");
    }

    private JsonNode getJson(String path) throws Exception {
        return getJson(port, path);
    }

    private JsonNode getJson(int port, String path) throws Exception {
        HttpResponse<String> response = get(port, path);
        assertThat(response.statusCode()).as("GET %s", path).isEqualTo(200);
        return PipelineJson.mapper().readTree(response.body());
    }

    private HttpResponse<String> get(int port, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
