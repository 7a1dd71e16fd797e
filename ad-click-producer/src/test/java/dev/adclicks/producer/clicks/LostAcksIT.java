package dev.adclicks.producer.clicks;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.apache.kafka.common.IsolationLevel;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import dev.adclicks.infra.KafkaFaultProxy;
import dev.adclicks.infra.TopicReader;
import dev.adclicks.model.AdClick;
import dev.adclicks.model.PipelineJson;
import dev.adclicks.model.Topics;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Guard 1, the hard way: the producer service as it ships ({@link IdempotentProducerConfig}), its
 * clicks posted over HTTP one by one, while the fault proxy drops the broker's answer to three
 * Produce requests after the broker appended them. The producer resends each of those batches; the
 * broker recognises the resent sequence numbers and appends nothing twice. Switch idempotence off in
 * {@code IdempotentProducerConfig} and this test fails with 203 records (the comparison mode does
 * exactly that: {@code dev.adclicks.producer.comparison.AtLeastOnceUnderLostAcksIT}).
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
public class LostAcksIT {

    public static final int CLICKS = 200;
    public static final int LOST_ACKS = 3;

    @DynamicPropertySource
    static void brokerBehindTheProxy(DynamicPropertyRegistry registry) {
        BrokerBehindFaultProxy.register(registry);
    }

    @LocalServerPort
    int port;

    @Test
    void aResendAfterALostAckIsNotAppendedTwice() {
        Map<UUID, Long> recordsPerClick = postClicksLosingAcks(port, "idempotent");

        assertThat(recordsPerClick).hasSize(CLICKS);
        assertThat(recordsPerClick.values()).as("records per clickId").containsOnly(1L);
    }

    /**
     * Posts {@link #CLICKS} clicks of a new adId one after the other (each answered 202 before the next),
     * with {@link #LOST_ACKS} of their Produce requests losing their acks, and counts the records of
     * each clickId in {@code ad-clicks}.
     */
    public static Map<UUID, Long> postClicksLosingAcks(int port, String adIdPrefix) {
        ClickApi api = new ClickApi(port);
        KafkaFaultProxy proxy = BrokerBehindFaultProxy.proxy();
        String adId = adIdPrefix + "-" + UUID.randomUUID();
        int cutsBefore = proxy.cutsDone();
        // the service's client.id is spring.kafka.producer.client-id, "ad-click-producer" (+ a suffix)
        proxy.cutAfterProduceRequests(LOST_ACKS, "ad-click-producer");
        for (int i = 0; i < CLICKS; i++) {
            ClickApi.Response response = api.post("/api/clicks", """
                    {"adId": "%s", "campaignId": "summer-sale", "userId": "user-%d", "occurredAt": "yyyy-mm-ddT10:00:00Z"}
                    """.formatted(adId, i));
            assertThat(response.status()).as(response.body()).isEqualTo(202);
        }
        assertThat(proxy.cutsDone() - cutsBefore).as("acks lost").isEqualTo(LOST_ACKS);
        assertThat(proxy.armed()).isFalse();
        List<AdClick> clicks = TopicReader.readAll(BrokerBehindFaultProxy.servers().kafkaAdminConnection(),
                        Topics.AD_CLICKS, IsolationLevel.READ_UNCOMMITTED).stream()
                .filter(record -> adId.equals(record.key()))
                .map(record -> PipelineJson.read(record.value(), AdClick.class))
                .toList();
        return clicks.stream().collect(Collectors.groupingBy(AdClick::clickId, Collectors.counting()));
    }
}
