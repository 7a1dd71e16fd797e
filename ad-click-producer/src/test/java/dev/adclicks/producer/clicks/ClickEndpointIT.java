package dev.adclicks.producer.clicks;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;

import org.springframework.boot.test.context.SpringBootTest;

import dev.adclicks.infra.PipelineInfrastructure;
import dev.adclicks.model.AdClick;
import dev.adclicks.model.ClickBounds;
import dev.adclicks.model.PipelineJson;
import dev.adclicks.model.Topics;

import static org.assertj.core.api.Assertions.assertThat;

/** The service against a real broker, called over real HTTP. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"clicks.max-body-size=64KB", "clicks.max-batch-size=50"})
class ClickEndpointIT extends RunningProducerService {

    private static final int MAX_BODY_BYTES = 64 * 1024;



    @Test
    void effectiveProducerConfigurationIsIdempotent() {
        ProducerConfig effective = effectiveConfig();

        assertThat(effective.getBoolean(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG)).isTrue();
        assertThat(effective.getString(ProducerConfig.ACKS_CONFIG)).isIn("all", "-1");
        assertThat(effective.getInt(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION)).isBetween(1, 5);
        assertThat(effective.getInt(ProducerConfig.RETRIES_CONFIG)).isEqualTo(Integer.MAX_VALUE);
        assertThat(effective.getInt(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG) + effective.getLong(ProducerConfig.MAX_BLOCK_MS_CONFIG))
                .isLessThan(clicks.ackTimeout().toMillis());
        assertThat(effective.getList(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG))
                .containsExactly(PipelineInfrastructure.shared().kafkaBootstrapServers().split(","));
    }

    @Test
    void acceptedClickIsInTheTopicAtTheReturnedPartitionAndOffset() {
        String adId = "ad-" + UUID.randomUUID();
        Instant occurredAt = Instant.parse(ClickApi.YESTERDAY + "T10:15:30.123Z");

        ClickApi.Response response = api.post("/api/clicks", """
                {"adId": "%s", "campaignId": "campaign-7", "userId": "user-9", "occurredAt": "%s"}
                """.formatted(adId, occurredAt));

        assertThat(response.status()).as(response.body()).isEqualTo(202);
        JsonNode body = response.json();
        UUID clickId = UUID.fromString(body.get("clickId").asString());
        assertThat(clickId.version()).as("a generated clickId is time-ordered").isEqualTo(7);
        assertThat(body.get("topic").asString()).isEqualTo(Topics.AD_CLICKS);

        ConsumerRecord<String, byte[]> record = topic.recordAt(body.get("partition").asInt(), body.get("offset").asLong());
        assertThat(record.key()).isEqualTo(adId);
        assertThat(PipelineJson.read(record.value(), AdClick.class))
                .isEqualTo(new AdClick(clickId, adId, "campaign-7", "user-9", occurredAt));
        JsonNode json = PipelineJson.mapper().readTree(record.value());
        assertThat(json.get("clickId").asString()).isEqualTo(clickId.toString());
        assertThat(json.get("occurredAt").asString()).isEqualTo(ClickApi.YESTERDAY + "T10:15:30.123Z");
    }

    @Test
    void retryWithTheSameClickIdSendsTheSameClickIdAgainForTheSinkToDeduplicate() {
        UUID clickId = UUID.randomUUID();
        String adId = "ad-" + UUID.randomUUID();
        String click = """
                {"clickId": "%s", "adId": "%s", "campaignId": "c", "userId": "u", "occurredAt": "yyyy-mm-ddT10:00:00Z"}
                """.formatted(clickId, adId);

        JsonNode first = api.post("/api/clicks", click).json();
        ClickApi.Response retry = api.post("/api/clicks", click);

        assertThat(retry.status()).isEqualTo(202);
        JsonNode second = retry.json();
        assertThat(first.get("clickId").asString()).isEqualTo(clickId.toString());
        assertThat(second.get("clickId").asString()).isEqualTo(clickId.toString());
        assertThat(second.get("offset").asLong()).isNotEqualTo(first.get("offset").asLong());
        for (JsonNode published : List.of(first, second)) {
            ConsumerRecord<String, byte[]> record = topic.recordAt(published.get("partition").asInt(),
                    published.get("offset").asLong());
            assertThat(PipelineJson.read(record.value(), AdClick.class).clickId()).isEqualTo(clickId);
        }
    }

    @Test
    void everyClickOfABatchCarriesTheRequestsTraceInItsTraceparentHeader() {
        // as a browser or gateway that already traces would send it; the journey log is off here, as
        // by default, so no send opens a span of its own and the header is the publisher's
        String traceId = UUID.randomUUID().toString().replace("-", "");
        String callerSpanId = UUID.randomUUID().toString().replace("-", "").substring(0, 16);
        String batch = """
                [{"adId": "ad-traced-1", "campaignId": "c", "userId": "u", "occurredAt": "yyyy-mm-ddT10:00:00Z"},
                 {"adId": "ad-traced-2", "campaignId": "c", "userId": "u", "occurredAt": "yyyy-mm-ddT10:00:01Z"}]
                """;

        ClickApi.Response response = api.post("/api/clicks/batch", batch, "traceparent",
                "00-" + traceId + "-" + callerSpanId + "-01");

        assertThat(response.status()).as(response.body()).isEqualTo(202);
        assertThat(response.json().values()).hasSize(2).allSatisfy(published -> {
            ConsumerRecord<String, byte[]> record = topic.recordAt(published.get("partition").asInt(),
                    published.get("offset").asLong());
            assertThat(record.headers().headers("traceparent")).as("one traceparent header").hasSize(1);
            // W3C: 00-<trace id>-<span id>-<flags>; the span is the request's, a child of the caller's
            assertThat(new String(record.headers().lastHeader("traceparent").value(), StandardCharsets.UTF_8))
                    .matches("00-" + traceId + "-[0-9a-f]{16}-01")
                    .doesNotContain(callerSpanId);
        });
    }

    record BadBody(String name, String json, boolean chunked, String field, String detail) {

        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<BadBody> badBodies() {
        String oversized = """
                {"adId": "ad-1", "campaignId": "c", "userId": "u", "occurredAt": "yyyy-mm-ddT10:00:00Z", "padding": "%s"}
                """.formatted("x".repeat(MAX_BODY_BYTES + 1000));
        return Stream.of(
                new BadBody("malformed JSON", "{\"adId\": \"ad-1\", \"campaignId\": ", false, "",
                        "request body is not valid JSON"),
                new BadBody("empty body", "", false, "", "request body is missing"),
                new BadBody("array instead of object", "[]", false, "", "request body must be a JSON object"),
                new BadBody("missing userId", """
                        {"adId": "ad-1", "campaignId": "c", "occurredAt": "yyyy-mm-ddT10:00:00Z"}""", false,
                        "userId", "userId must not be blank"),
                new BadBody("missing occurredAt", """
                        {"adId": "ad-1", "campaignId": "c", "userId": "u"}""", false,
                        "occurredAt", "occurredAt must be present"),
                new BadBody("adId too long", """
                        {"adId": "%s", "campaignId": "c", "userId": "u", "occurredAt": "yyyy-mm-ddT10:00:00Z"}"""
                        .formatted("a".repeat(AdClick.MAX_ID_LENGTH + 1)), false, "adId", "adId must be at most 64 characters"),
                new BadBody("userId with a control character", """
                        {"adId": "ad-1", "campaignId": "c", "userId": "u\\nforged log line", "occurredAt": "yyyy-mm-ddT10:00:00Z"}""",
                        false, "userId", "userId must not contain control characters"),
                new BadBody("occurredAt too far ahead", """
                        {"adId": "ad-1", "campaignId": "c", "userId": "u", "occurredAt": "%s"}"""
                        .formatted(Instant.now().plus(ClickBounds.MAX_AHEAD).plusSeconds(120)), false, "occurredAt",
                        "occurredAt must not be more than 5 minutes in the future"),
                new BadBody("occurredAt too long ago", """
                        {"adId": "ad-1", "campaignId": "c", "userId": "u", "occurredAt": "%s"}"""
                        .formatted(Instant.now().minus(ClickBounds.MAX_AGE).minusSeconds(120)), false, "occurredAt",
                        "occurredAt must not be more than 7 days in the past"),
                new BadBody("occurredAt not a time", """
                        {"adId": "ad-1", "campaignId": "c", "userId": "u", "occurredAt": "yesterday"}""", false,
                        "occurredAt", "occurredAt must be an ISO-8601 instant"),
                new BadBody("adId an object", """
                        {"adId": {"id": 1}, "campaignId": "c", "userId": "u", "occurredAt": "yyyy-mm-ddT10:00:00Z"}""",
                        false, "adId", "adId must be a string"),
                new BadBody("clickId not a UUID", """
                        {"clickId": "click-1", "adId": "ad-1", "campaignId": "c", "userId": "u", "occurredAt": "yyyy-mm-ddT10:00:00Z"}""",
                        false, "clickId", "clickId must be a UUID"),
                new BadBody("oversized, Content-Length", oversized, false, "",
                        "request body exceeds the limit of " + MAX_BODY_BYTES + " bytes"),
                new BadBody("oversized, chunked", oversized, true, "",
                        "request body exceeds the limit of " + MAX_BODY_BYTES + " bytes"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badBodies")
    void badBodyIsA400ProblemAndNothingIsSent(BadBody bad) {
        Map<TopicPartition, Long> before = topic.endOffsets();

        ClickApi.Response response = bad.chunked() ? api.postChunked("/api/clicks", bad.json())
                : api.post("/api/clicks", bad.json());

        assertThat(response.status()).as(response.body()).isEqualTo(400);
        assertThat(response.contentType()).startsWith("application/problem+json");
        JsonNode problem = response.json();
        assertThat(problem.get("status").asInt()).isEqualTo(400);
        assertThat(problem.get("detail").asString()).contains(bad.detail());
        assertThat(problem.get("errors").values()).extracting(error -> error.get("field").asString())
                .contains(bad.field());
        assertThat(topic.endOffsets()).isEqualTo(before);
    }

    @Test
    void validOversizedBodyWouldBeAcceptedUnderTheLimit() {
        // the control for the oversized cases above: the same shape of body, small enough, is accepted
        String adId = "ad-" + UUID.randomUUID();
        ClickApi.Response response = api.postChunked("/api/clicks", """
                {"adId": "%s", "campaignId": "c", "userId": "u", "occurredAt": "yyyy-mm-ddT10:00:00Z", "padding": "%s"}
                """.formatted(adId, "x".repeat(MAX_BODY_BYTES / 2)));

        assertThat(response.status()).as(response.body()).isEqualTo(202);
    }

    @Test
    void batchIsAcceptedOnlyWhenEveryClickIsInTheTopic() {
        List<UUID> clientIds = List.of(UUID.randomUUID(), UUID.randomUUID());
        List<String> adIds = new ArrayList<>();
        StringBuilder batch = new StringBuilder("[");
        for (int i = 0; i < 6; i++) {
            String adId = "ad-" + (i % 3) + "-" + UUID.randomUUID();
            adIds.add(adId);
            String clickId = i < clientIds.size() ? "\"clickId\": \"" + clientIds.get(i) + "\", " : "";
            batch.append(i == 0 ? "" : ",").append("""
                    {%s"adId": "%s", "campaignId": "c-%d", "userId": "u-%d", "occurredAt": "yyyy-mm-ddT10:00:0%dZ"}
                    """.formatted(clickId, adId, i, i, i));
        }
        batch.append("]");

        ClickApi.Response response = api.post("/api/clicks/batch", batch.toString());

        assertThat(response.status()).as(response.body()).isEqualTo(202);
        List<JsonNode> published = List.copyOf(response.json().values());
        assertThat(published).hasSize(6);
        for (int i = 0; i < published.size(); i++) {
            JsonNode result = published.get(i);
            UUID clickId = UUID.fromString(result.get("clickId").asString());
            if (i < clientIds.size()) {
                assertThat(clickId).isEqualTo(clientIds.get(i));
            }
            else {
                assertThat(clickId.version()).isEqualTo(7);
            }
            assertThat(result.get("topic").asString()).isEqualTo(Topics.AD_CLICKS);
            ConsumerRecord<String, byte[]> record = topic.recordAt(result.get("partition").asInt(),
                    result.get("offset").asLong());
            assertThat(record.key()).isEqualTo(adIds.get(i));
            assertThat(PipelineJson.read(record.value(), AdClick.class)).isEqualTo(new AdClick(clickId, adIds.get(i),
                    "c-" + i, "u-" + i, Instant.parse(ClickApi.YESTERDAY + "T10:00:0" + i + "Z")));
        }
    }

    @Test
    void batchWithAnInvalidClickIsRejectedWholeNamingIndexAndField() {
        Map<TopicPartition, Long> before = topic.endOffsets();

        ClickApi.Response response = api.post("/api/clicks/batch", """
                [{"adId": "ad-1", "campaignId": "c", "userId": "u", "occurredAt": "yyyy-mm-ddT10:00:00Z"},
                 {"adId": "", "campaignId": "c", "userId": "u", "occurredAt": "yyyy-mm-ddT10:00:00Z"},
                 {"adId": "ad-3", "campaignId": "c", "userId": "u"}]
                """);

        assertThat(response.status()).as(response.body()).isEqualTo(400);
        assertThat(response.contentType()).startsWith("application/problem+json");
        assertThat(response.json().get("detail").asString())
                .contains("[1].adId must not be blank", "[2].occurredAt must be present");
        assertThat(topic.endOffsets()).isEqualTo(before);
    }

    @Test
    void batchWithAClickOfTheWrongTypeIsRejectedNamingIndexAndField() {
        Map<TopicPartition, Long> before = topic.endOffsets();

        ClickApi.Response response = api.post("/api/clicks/batch", """
                [{"adId": "ad-1", "campaignId": "c", "userId": "u", "occurredAt": "yyyy-mm-ddT10:00:00Z"},
                 {"clickId": 42, "adId": "ad-2", "campaignId": "c", "userId": "u", "occurredAt": "yyyy-mm-ddT10:00:00Z"}]
                """);

        assertThat(response.status()).as(response.body()).isEqualTo(400);
        assertThat(response.json().get("detail").asString()).contains("[1].clickId must be a UUID");
        assertThat(topic.endOffsets()).isEqualTo(before);
    }

    @Test
    void batchOverTheSizeLimitIsRejected() {
        Map<TopicPartition, Long> before = topic.endOffsets();
        String click = "{\"adId\": \"ad-1\", \"campaignId\": \"c\", \"userId\": \"u\", \"occurredAt\": \"yyyy-mm-ddT10:00:00Z\"}";
        String batch = "[" + String.join(",", java.util.Collections.nCopies(51, click)) + "]";
        assertThat(batch.getBytes(StandardCharsets.UTF_8).length).isLessThan(MAX_BODY_BYTES);

        ClickApi.Response response = api.post("/api/clicks/batch", batch);

        assertThat(response.status()).as(response.body()).isEqualTo(400);
        assertThat(response.json().get("detail").asString()).contains("batch has 51 clicks, at most 50 are accepted");
        assertThat(topic.endOffsets()).isEqualTo(before);
    }

    @Test
    void prometheusCountsAcceptedClicks() {
        double before = acceptedClicks();

        assertThat(api.post("/api/clicks", """
                {"adId": "ad-metrics", "campaignId": "c", "userId": "u", "occurredAt": "yyyy-mm-ddT10:00:00Z"}
                """).status()).isEqualTo(202);

        assertThat(acceptedClicks()).isEqualTo(before + 1);
        assertThat(management.get("/actuator/prometheus").body()).contains("clicks_failed_total{reason=\"invalid-request\"");
        assertThat(management.get("/actuator/health").json().get("status").asString()).isEqualTo("UP");
        assertThat(api.get("/actuator/prometheus").status()).as("nothing of actuator on the public port")
                .isEqualTo(404);
    }

    private double acceptedClicks() {
        ClickApi.Response scrape = management.get("/actuator/prometheus");
        assertThat(scrape.status()).isEqualTo(200);
        Matcher matcher = Pattern.compile("(?m)^clicks_accepted_total(?:\\{[^}]*})? (\\S+)$").matcher(scrape.body());
        assertThat(matcher.find()).as("clicks_accepted_total in %s", scrape.body()).isTrue();
        return Double.parseDouble(matcher.group(1));
    }
}
