package dev.adclicks.dashboard;

import java.net.http.HttpClient;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Collectors;

import com.fasterxml.uuid.Generators;
import com.fasterxml.uuid.impl.TimeBasedEpochGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.client.JdkClientHttpRequestFactory;
import org.springframework.stereotype.Component;
import org.springframework.web.client.RestClient;
import org.springframework.web.client.RestClientException;

import dev.adclicks.model.AdClick;

/**
 * The dashboard's "send" button: N made-up clicks through the producer's public API,
 * {@code POST /api/clicks/batch}, as any client sends them — each with a clickId of its own — then a
 * share of the acknowledged ones again with the same clickIds, the way a client retries after a lost
 * response. Those re-sent clicks are real duplicates in {@code ad-clicks}; the sink's unique key
 * absorbs them.
 */
@Component
class DemoClicks {

    private static final Logger log = LoggerFactory.getLogger(DemoClicks.class);

    private static final List<String> CAMPAIGNS = List.of("summer-sale", "winter-sale", "brand-awareness",
            "retargeting");

    private static final ParameterizedTypeReference<List<Acknowledged>> ACKNOWLEDGED = new ParameterizedTypeReference<>() {
    };

    private final RestClient producer;
    private final int batchSize;
    /** Version-7 UUIDs: they sort by creation time, so the sink's UNIQUE(click_id) index grows at its end. */
    private final TimeBasedEpochGenerator clickIds = Generators.timeBasedEpochGenerator();

    DemoClicks(RestClient.Builder http, DashboardProperties properties) {
        DashboardProperties.Producer producer = properties.producer();
        HttpClient client = HttpClient.newBuilder().connectTimeout(properties.timeout()).build();
        JdkClientHttpRequestFactory requestFactory = new JdkClientHttpRequestFactory(client);
        requestFactory.setReadTimeout(producer.sendTimeout());
        this.producer = http.baseUrl(producer.url().toString()).requestFactory(requestFactory).build();
        this.batchSize = producer.batchSize();
    }

    Result send(int count, int resendPercent) {
        List<AdClick> clicks = new ArrayList<>(count);
        ThreadLocalRandom random = ThreadLocalRandom.current();
        for (int i = 0; i < count; i++) {
            clicks.add(new AdClick(clickIds.generate(), "ad-" + random.nextInt(1, 21),
                    CAMPAIGNS.get(random.nextInt(CAMPAIGNS.size())), "user-" + random.nextInt(1, 5001), Instant.now()));
        }
        List<AdClick> accepted = sendAll(clicks);
        List<AdClick> resend = accepted.subList(0, (int) ((long) accepted.size() * resendPercent / 100));
        int resent = sendAll(List.copyOf(resend)).size();
        return new Result(count, accepted.size(), count - accepted.size(), resent);
    }

    /**
     * Posts {@code clicks} in batches and returns those the producer acknowledged. Once the producer
     * does not answer, the remaining batches are not sent: none of them would be acknowledged.
     */
    private List<AdClick> sendAll(List<AdClick> clicks) {
        List<AdClick> accepted = new ArrayList<>(clicks.size());
        for (int from = 0; from < clicks.size(); from += batchSize) {
            List<AdClick> batch = clicks.subList(from, Math.min(clicks.size(), from + batchSize));
            Set<UUID> acknowledged;
            try {
                acknowledged = post(batch);
            }
            catch (RestClientException e) {
                log.warn("The producer did not answer ({}); {} demo clicks not sent", e.getMessage(),
                        clicks.size() - from);
                break;
            }
            batch.stream().filter(click -> acknowledged.contains(click.clickId())).forEach(accepted::add);
        }
        return accepted;
    }

    /**
     * The clickIds the producer acknowledged: all of them with 202; with 503 those listed in the
     * ProblemDetail's {@code accepted} (Kafka did not acknowledge the rest in time); none otherwise.
     */
    private Set<UUID> post(List<AdClick> batch) {
        return producer.post().uri("/api/clicks/batch").contentType(MediaType.APPLICATION_JSON).body(batch)
                .exchange((request, response) -> {
                    if (response.getStatusCode().isSameCodeAs(HttpStatus.ACCEPTED)) {
                        return clickIds(response.bodyTo(ACKNOWLEDGED));
                    }
                    if (response.getStatusCode().isSameCodeAs(HttpStatus.SERVICE_UNAVAILABLE)) {
                        PartlyAcknowledged problem = response.bodyTo(PartlyAcknowledged.class);
                        return clickIds(problem == null ? null : problem.accepted());
                    }
                    log.warn("The producer answered {} to a batch of {} demo clicks: {}", response.getStatusCode(),
                            batch.size(), response.bodyTo(String.class));
                    return Set.of();
                });
    }

    private static Set<UUID> clickIds(List<Acknowledged> acknowledged) {
        return acknowledged == null ? Set.of()
                : acknowledged.stream().map(Acknowledged::clickId).collect(Collectors.toSet());
    }

    /** One click of the producer's answer: it is in Kafka (the answer also says where). */
    record Acknowledged(UUID clickId) {
    }

    /** The producer's 503 ProblemDetail for a batch Kafka acknowledged only in part. */
    record PartlyAcknowledged(List<Acknowledged> accepted) {
    }

    /**
     * @param requested clicks asked for
     * @param accepted clicks the producer acknowledged (202: Kafka has them)
     * @param failed clicks not acknowledged (producer or Kafka down?); one sent without an answer may be in
     *        the topic all the same
     * @param resent acknowledged clicks sent a second time, with the same clickId, and acknowledged again
     */
    record Result(int requested, int accepted, int failed, int resent) {
    }
}
