package dev.adclicks.model;

import java.time.Instant;
import java.time.LocalDate;

import tools.jackson.core.JsonGenerator;
import tools.jackson.databind.BeanProperty;
import tools.jackson.databind.SerializationContext;
import tools.jackson.databind.ValueSerializer;
import tools.jackson.databind.cfg.DateTimeFeature;
import tools.jackson.databind.ext.javatime.ser.InstantSerializer;

/**
 * Writes an instant of the years 0000–9999 as {@link Instant#toString()} does, and as Jackson's
 * {@link InstantSerializer} would ({@code 2026-12-01T10:00:00.123456Z}: UTC, the fraction in 0, 3, 6 or 9
 * digits), straight into the generator; every other instant, and every instant when a writer asks for
 * timestamps ({@link DateTimeFeature#WRITE_DATES_AS_TIMESTAMPS}), goes to Jackson's serializer.
 *
 * <p>Hand-written for the same reason as {@link IsoInstantDeserializer}: Jackson formats through
 * {@code DateTimeFormatter.ISO_INSTANT}, and writing the event's two instants was about a tenth of the
 * relay thread's samples in a profile (docs/performance.md). {@code PipelineJsonTest} checks it against
 * Jackson's serializer on random instants across the years 0000–9999 with every fraction length.
 */
final class IsoInstantSerializer extends ValueSerializer<Instant> {

    private static final int LONGEST = "2026-12-01T10:00:00.123456789Z".length();

    private final ValueSerializer<?> fallback;

    IsoInstantSerializer() {
        this(InstantSerializer.INSTANCE);
    }

    private IsoInstantSerializer(ValueSerializer<?> fallback) {
        this.fallback = fallback;
    }

    @Override
    public ValueSerializer<?> createContextual(SerializationContext ctxt, BeanProperty property) {
        // The fallback writes as it would without this class: contextualized for the property.
        return new IsoInstantSerializer(InstantSerializer.INSTANCE.createContextual(ctxt, property));
    }

    @Override
    @SuppressWarnings("unchecked")
    public void serialize(Instant value, JsonGenerator generator, SerializationContext ctxt) {
        if (!ctxt.isEnabled(DateTimeFeature.WRITE_DATES_AS_TIMESTAMPS)) {
            char[] text = new char[LONGEST];
            int length = formatUtc(value, text);
            if (length > 0) {
                generator.writeString(text, 0, length);
                return;
            }
        }
        ((ValueSerializer<Instant>) fallback).serialize(value, generator, ctxt);
    }

    /** Writes {@code instant} into {@code text} as {@link Instant#toString()} does; 0 for a year outside 0000–9999. */
    static int formatUtc(Instant instant, char[] text) {
        long seconds = instant.getEpochSecond();
        LocalDate date = LocalDate.ofEpochDay(Math.floorDiv(seconds, 86_400));
        int year = date.getYear();
        if (year < 0 || year > 9999) {
            return 0;
        }
        int secondOfDay = (int) Math.floorMod(seconds, 86_400);
        int at = twoDigits(text, 0, year / 100);
        at = twoDigits(text, at, year % 100);
        text[at++] = '-';
        at = twoDigits(text, at, date.getMonthValue());
        text[at++] = '-';
        at = twoDigits(text, at, date.getDayOfMonth());
        text[at++] = 'T';
        at = twoDigits(text, at, secondOfDay / 3_600);
        text[at++] = ':';
        at = twoDigits(text, at, secondOfDay / 60 % 60);
        text[at++] = ':';
        at = twoDigits(text, at, secondOfDay % 60);
        int nanos = instant.getNano();
        if (nanos != 0) {
            text[at++] = '.';
            int digits = nanos % 1_000_000 == 0 ? 3 : nanos % 1_000 == 0 ? 6 : 9;
            for (int divisor = 100_000_000, i = 0; i < digits; i++, divisor /= 10) {
                text[at++] = (char) ('0' + nanos / divisor % 10);
            }
        }
        text[at++] = 'Z';
        return at;
    }

    private static int twoDigits(char[] text, int at, int value) {
        text[at] = (char) ('0' + value / 10);
        text[at + 1] = (char) ('0' + value % 10);
        return at + 2;
    }
}
