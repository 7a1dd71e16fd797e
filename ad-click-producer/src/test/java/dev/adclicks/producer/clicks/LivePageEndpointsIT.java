package dev.adclicks.producer.clicks;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.boot.test.context.SpringBootTest;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The live page's endpoints on the producer alone, against the real broker; the relay and the sink
 * are not running (their URLs point at a port nobody listens on), which the status must say
 * instead of failing. The page itself, in a browser with the whole pipeline: DockerComposeWiringIT.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "dashboard.relay.url=http://127.0.0.1:9", "dashboard.sink.url=http://127.0.0.1:9",
        "dashboard.max-demo-clicks=500", "dashboard.timeout=1s" })
class LivePageEndpointsIT extends RunningProducerService {

    @Test
    void thePageIsServedAtTheRoot() {
        ClickApi.Response page = api.get("/");

        assertThat(page.status()).isEqualTo(200);
        assertThat(page.contentType()).startsWith("text/html");
        assertThat(page.body()).contains("id=\"send-clicks\"").contains("live.js");
    }

    @Test
    void demoClicksAreSentThenPartlyResentWithTheirTraceInEveryRecord() {
        Map<TopicPartition, Long> before = topic.endOffsets();

        ClickApi.Response response = api.post("/api/demo/clicks", """
                {"count": 30, "resendPercent": 10}""");

        assertThat(response.status()).as(response.body()).isEqualTo(202);
        JsonNode result = response.json();
        assertThat(result.path("accepted").asInt()).isEqualTo(30);
        assertThat(result.path("resent").asInt()).isEqualTo(3);
        assertThat(result.path("failed").asInt()).isZero();
        Map<TopicPartition, Long> after = topic.endOffsets();
        long written = after.entrySet().stream().mapToLong(e -> e.getValue() - before.getOrDefault(e.getKey(), 0L)).sum();
        assertThat(written).isEqualTo(33);

        // the KafkaTemplate's observation writes the request's trace into each record
        TopicPartition partition = after.keySet().stream().filter(p -> after.get(p) > before.getOrDefault(p, 0L))
                .findFirst().orElseThrow();
        Header traceparent = topic.recordAt(partition.partition(), after.get(partition) - 1).headers()
                .lastHeader("traceparent");
        assertThat(traceparent).isNotNull();
        assertThat(new String(traceparent.value(), StandardCharsets.UTF_8)).matches("00-[0-9a-f]{32}-[0-9a-f]{16}-0[0-3]");
    }

    @Test
    void anImpossibleDemoRequestIsA400ProblemAndSendsNothing() {
        Map<TopicPartition, Long> before = topic.endOffsets();

        for (String request : new String[] { "{\"count\": 0, \"resendPercent\": 10}",
                "{\"count\": 501, \"resendPercent\": 10}", "{\"count\": 10, \"resendPercent\": 101}" }) {
            ClickApi.Response response = api.post("/api/demo/clicks", request);
            assertThat(response.status()).as(request).isEqualTo(400);
            assertThat(response.contentType()).isEqualTo("application/problem+json");
            assertThat(response.json().path("detail").asString()).as(request).containsAnyOf("count", "resendPercent");
        }
        assertThat(topic.endOffsets()).isEqualTo(before);
    }

    @Test
    void theStatusNamesWhatItCannotReachAndStillReportsWhatItCan() {
        api.post("/api/demo/clicks", "{\"count\": 5, \"resendPercent\": 0}");

        ClickApi.Response response = api.get("/api/pipeline");

        assertThat(response.status()).isEqualTo(200);
        JsonNode status = response.json();
        assertThat(status.path("producer").path("accepted").asLong()).isGreaterThanOrEqualTo(5);
        assertThat(status.path("durable").path("adClicksRecords").asLong()).isGreaterThanOrEqualTo(5);
        assertThat(status.path("relay").path("instances").asInt()).isZero();
        assertThat(status.path("sink").path("instances").asInt()).isZero();
        assertThat(status.path("durable").path("rowsInMysql").isNull()).isTrue();
        assertThat(status.path("unreachable").toString()).contains("127.0.0.1:9");
        assertThat(status.path("guards")).hasSize(3);
    }
}
