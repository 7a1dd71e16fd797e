package dev.adclicks.producer.clicks;

import java.util.UUID;

/** Where the broker acknowledged a click: it is in {@code topic}, at {@code partition} and {@code offset}. */
public record PublishedClick(UUID clickId, String topic, int partition, long offset) {
}
