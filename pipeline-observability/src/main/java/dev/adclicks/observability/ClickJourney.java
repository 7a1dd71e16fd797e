package dev.adclicks.observability;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One log line per click per service — accepted, relayed, stored — each carrying the click's trace
 * id, so {@code docker compose logs | grep <traceId>} shows the whole journey. Off by default
 * (a line per click is a lot at thousands of clicks per second); on in docker compose with
 * {@code LOGGING_LEVEL_ADCLICKS_JOURNEY=INFO}.
 */
public final class ClickJourney {

    /** The logger's name; its level switches the journey on ({@code INFO}) or off ({@code WARN}). */
    public static final String LOGGER = "adclicks.journey";

    public static final Logger LOG = LoggerFactory.getLogger(LOGGER);

    private ClickJourney() {
    }
}
