package dev.adclicks.sink.ingest;

import org.springframework.stereotype.Component;

import dev.adclicks.model.AdClick;
import dev.adclicks.model.AdEvent;
import dev.adclicks.model.PipelineJson;
import tools.jackson.core.JacksonException;

/**
 * Turns a record value into an {@link AdEvent} the database can store as it is, or says why not.
 *
 * <p>Besides unparsable JSON, a parsed event with a missing field or an id longer than its column is
 * unreadable here too. The writer stores a whole poll with multi-row {@code INSERT}s, so one such
 * event would fail the whole batch (MySQL and MariaDB, in their default strict mode, refuse a
 * too-long value instead of truncating it), and fail it again on every retry: the partition would
 * stall behind it. Retrying cannot help, so the event is dead-lettered instead.
 */
@Component
public class AdEventReader {

    public AdEvent read(byte[] value) {
        if (value == null) {
            throw new UnreadableEventException("record has no value");
        }
        AdEvent event;
        try {
            event = PipelineJson.read(value, AdEvent.class);
        }
        catch (JacksonException e) {
            throw new UnreadableEventException("not an AdEvent: " + e.getOriginalMessage(), e);
        }
        if (event == null) {
            throw new UnreadableEventException("record value is JSON null");
        }
        require(event.clickId() != null, "clickId is missing");
        requireId(event.adId(), "adId");
        requireId(event.campaignId(), "campaignId");
        requireId(event.userId(), "userId");
        require(event.occurredAt() != null, "occurredAt is missing");
        require(event.relayedAt() != null, "relayedAt is missing");
        return event;
    }

    private static void requireId(String id, String field) {
        require(id != null && !id.isBlank(), field + " is missing");
        // characters, as VARCHAR(64) counts them (not UTF-16 units)
        require(id.codePointCount(0, id.length()) <= AdClick.MAX_ID_LENGTH, field + " is longer than " + AdClick.MAX_ID_LENGTH);
    }

    private static void require(boolean condition, String problem) {
        if (!condition) {
            throw new UnreadableEventException(problem);
        }
    }
}
