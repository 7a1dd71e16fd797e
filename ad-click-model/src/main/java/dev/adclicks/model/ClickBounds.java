package dev.adclicks.model;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The bounds of every field of a click, checked twice with this one rule set: at the HTTP edge
 * (the producer answers 400 and sends nothing) and again in the relay (records can reach
 * {@link Topics#AD_CLICKS} without the producer; the relay writes them to
 * {@link Topics#AD_CLICKS_REJECTED} with the reason, in the same transaction as the events).
 *
 * <ul>
 * <li>{@code clickId}: present (a UUID by type). The producer generates one when the client sends none.</li>
 * <li>{@code adId}, {@code campaignId}, {@code userId}: not blank, at most {@link AdClick#MAX_ID_LENGTH}
 * characters (the sink's column width; a longer one would fail the sink's whole multi-row INSERT),
 * no control characters (a newline in an id forges log lines and breaks exports).</li>
 * <li>{@code occurredAt}: present, at most {@link #MAX_AHEAD} in the future (clock skew between a
 * client and the pipeline) and at most {@link #MAX_AGE} in the past: a click is billed into the
 * daily aggregate of the day it occurred, and days older than that are closed.</li>
 * </ul>
 */
public final class ClickBounds {

    /** How far ahead of the checking service's clock {@code occurredAt} may be. */
    public static final Duration MAX_AHEAD = Duration.ofMinutes(5);

    /** How old a click may be when it is checked. */
    public static final Duration MAX_AGE = Duration.ofDays(7);

    private ClickBounds() {
    }

    /** One bound a click breaks: the field, why, and a message that completes "{field} ...". */
    public record Violation(String field, RejectionReason reason, String message) {

        @Override
        public String toString() {
            return field + " " + message;
        }
    }

    /** Every bound the click breaks, in field order; empty when it is within all of them. */
    public static List<Violation> violations(AdClick click, Instant now) {
        List<Violation> violations = new ArrayList<>();
        if (click.clickId() == null) {
            violations.add(new Violation("clickId", RejectionReason.MISSING_FIELD, "must be present"));
        }
        checkId("adId", click.adId(), violations);
        checkId("campaignId", click.campaignId(), violations);
        checkId("userId", click.userId(), violations);
        Instant occurredAt = click.occurredAt();
        if (occurredAt == null) {
            violations.add(new Violation("occurredAt", RejectionReason.MISSING_FIELD, "must be present"));
        }
        else if (occurredAt.isAfter(now.plus(MAX_AHEAD))) {
            violations.add(new Violation("occurredAt", RejectionReason.OCCURRED_IN_FUTURE,
                    "must not be more than " + MAX_AHEAD.toMinutes() + " minutes in the future (was " + occurredAt
                            + ", now is " + now + ")"));
        }
        else if (occurredAt.isBefore(now.minus(MAX_AGE))) {
            violations.add(new Violation("occurredAt", RejectionReason.OCCURRED_TOO_LONG_AGO,
                    "must not be more than " + MAX_AGE.toDays() + " days in the past (was " + occurredAt + ", now is "
                            + now + ")"));
        }
        return violations;
    }

    private static void checkId(String field, String value, List<Violation> violations) {
        if (value == null || value.isBlank()) {
            violations.add(new Violation(field, RejectionReason.MISSING_FIELD, "must not be blank"));
        }
        else if (value.codePointCount(0, value.length()) > AdClick.MAX_ID_LENGTH) {
            violations.add(new Violation(field, RejectionReason.FIELD_TOO_LONG,
                    "must be at most " + AdClick.MAX_ID_LENGTH + " characters"));
        }
        else if (hasControlCharacter(value)) {
            violations.add(new Violation(field, RejectionReason.INVALID_CHARACTER, "must not contain control characters"));
        }
    }

    /**
     * Whether {@code value} holds a control character (U+0000–U+001F, U+007F–U+009F). Checked by
     * {@code char} in a loop, not by code point in a stream: every control character is a single
     * {@code char} and no half of a surrogate pair is one, so the answer is the same, and the relay
     * checks three ids per click (in a profile, {@code ClickBounds} had 4% of the exactly-once and 10%
     * of the at-least-once relay thread's samples, most of them in the stream; docs/performance.md).
     */
    private static boolean hasControlCharacter(String value) {
        for (int i = 0; i < value.length(); i++) {
            if (Character.isISOControl(value.charAt(i))) {
                return true;
            }
        }
        return false;
    }
}
