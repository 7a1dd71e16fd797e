package dev.adclicks.producer.live;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Collectors;

import org.springframework.stereotype.Component;

import dev.adclicks.model.AdClick;
import dev.adclicks.producer.clicks.BatchOutcome;
import dev.adclicks.producer.clicks.ClicksProperties;
import dev.adclicks.producer.clicks.IdempotentClickPublisher;
import dev.adclicks.producer.clicks.PublishedClick;
import dev.adclicks.producer.clicks.TimeOrderedClickIds;

/**
 * The live page's "send" button: N made-up clicks through the same publisher as
 * {@code POST /api/clicks/batch}, then a share of them again with the same clickIds, the way a
 * client retries after a lost response. Those re-sent clicks are real duplicates in
 * {@code ad-clicks}; the sink's unique key absorbs them.
 */
@Component
class DemoClicks {

    private static final List<String> CAMPAIGNS = List.of("summer-sale", "winter-sale", "brand-awareness",
            "retargeting");

    private final IdempotentClickPublisher publisher;
    private final TimeOrderedClickIds clickIds;
    private final int batchSize;

    DemoClicks(IdempotentClickPublisher publisher, TimeOrderedClickIds clickIds, ClicksProperties clicks) {
        this.publisher = publisher;
        this.clickIds = clickIds;
        this.batchSize = clicks.maxBatchSize();
    }

    Result send(int count, int resendPercent) {
        List<AdClick> clicks = new ArrayList<>(count);
        ThreadLocalRandom random = ThreadLocalRandom.current();
        for (int i = 0; i < count; i++) {
            clicks.add(new AdClick(clickIds.next(), "ad-" + random.nextInt(1, 21),
                    CAMPAIGNS.get(random.nextInt(CAMPAIGNS.size())), "user-" + random.nextInt(1, 5001), Instant.now()));
        }
        List<AdClick> accepted = new ArrayList<>(count);
        int failed = publishAll(clicks, accepted);
        List<AdClick> resend = accepted.subList(0, (int) ((long) accepted.size() * resendPercent / 100));
        int resendFailed = publishAll(List.copyOf(resend), new ArrayList<>());
        return new Result(count, accepted.size(), failed, resend.size() - resendFailed);
    }

    /** Publishes in batches; adds the acknowledged clicks to {@code accepted}, returns the number not acknowledged. */
    private int publishAll(List<AdClick> clicks, List<AdClick> accepted) {
        int failed = 0;
        for (int from = 0; from < clicks.size(); from += batchSize) {
            List<AdClick> batch = clicks.subList(from, Math.min(clicks.size(), from + batchSize));
            BatchOutcome outcome = publisher.publishAll(batch);
            Set<UUID> acked = outcome.accepted().stream().map(PublishedClick::clickId).collect(Collectors.toSet());
            batch.stream().filter(click -> acked.contains(click.clickId())).forEach(accepted::add);
            failed += outcome.failedClickIds().size();
        }
        return failed;
    }

    /**
     * @param requested clicks asked for
     * @param accepted clicks acknowledged by Kafka
     * @param failed clicks not acknowledged (Kafka down?): they may or may not be in the topic
     * @param resent acknowledged clicks sent a second time, with the same clickId
     */
    record Result(int requested, int accepted, int failed, int resent) {
    }
}
