package dev.adclicks.model;

import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;

import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.BeanProperty;
import tools.jackson.databind.DeserializationContext;
import tools.jackson.databind.ValueDeserializer;
import tools.jackson.databind.ext.javatime.deser.InstantDeserializer;

/**
 * Reads the instants the pipeline writes, {@link Instant#toString()}'s {@code 2026-12-01T10:00:00.123456Z}
 * (UTC; no fraction or 1–9 fraction digits, of which {@code toString()} writes 0, 3, 6 or 9), straight
 * from the parser's characters, and hands every other value to Jackson's own {@link InstantDeserializer},
 * so what {@link PipelineJson} accepts and refuses is unchanged (offsets, numbers, leap seconds, errors).
 *
 * <p>Hand-written because no library does it cheaply: Jackson and {@link Instant#parse} go through a
 * {@code DateTimeFormatter}, about 1 µs per instant in a microbenchmark on this project's machines,
 * close to half the time of reading a whole click (docs/performance.md; {@code JsonCost} measures the
 * read with and without this class and Blackbird). {@code PipelineJsonTest} checks it against Jackson's
 * deserializer on random instants across the years 0000–9999 with every fraction length.
 */
final class IsoInstantDeserializer extends ValueDeserializer<Instant> {

    private final ValueDeserializer<?> fallback;

    IsoInstantDeserializer() {
        this(InstantDeserializer.INSTANT);
    }

    private IsoInstantDeserializer(ValueDeserializer<?> fallback) {
        this.fallback = fallback;
    }

    @Override
    public ValueDeserializer<?> createContextual(DeserializationContext ctxt, BeanProperty property) {
        // The fallback reads as it would without this class: contextualized for the property.
        return new IsoInstantDeserializer(InstantDeserializer.INSTANT.createContextual(ctxt, property));
    }

    @Override
    public Instant deserialize(JsonParser parser, DeserializationContext ctxt) {
        if (parser.currentToken() == JsonToken.VALUE_STRING) {
            Instant instant = parseUtc(parser.getStringCharacters(), parser.getStringOffset(), parser.getStringLength());
            if (instant != null) {
                return instant;
            }
        }
        return (Instant) fallback.deserialize(parser, ctxt);
    }

    /**
     * {@code yyyy-MM-ddTHH:mm:ss[.f…]Z} with 1–9 fraction digits, or {@code null} for anything else
     * (including the leap second {@code :60} and dates that do not exist, left to the fallback).
     */
    static Instant parseUtc(char[] text, int offset, int length) {
        if (length < 20 || length == 21 || length > 30 || text[offset + 4] != '-' || text[offset + 7] != '-'
                || text[offset + 10] != 'T' || text[offset + 13] != ':' || text[offset + 16] != ':'
                || text[offset + length - 1] != 'Z' || (length > 20 && text[offset + 19] != '.')) {
            return null;
        }
        int year = digits(text, offset, 4);
        int month = digits(text, offset + 5, 2);
        int day = digits(text, offset + 8, 2);
        int hour = digits(text, offset + 11, 2);
        int minute = digits(text, offset + 14, 2);
        int second = digits(text, offset + 17, 2);
        int fractionDigits = length > 20 ? length - 21 : 0;
        int nanos = fractionDigits == 0 ? 0 : digits(text, offset + 20, fractionDigits);
        if (year < 0 || month < 1 || month > 12 || day < 1 || hour < 0 || hour > 23 || minute < 0 || minute > 59
                || second < 0 || second > 59 || nanos < 0
                || (day > 28 && day > YearMonth.of(year, month).lengthOfMonth())) {
            return null;
        }
        for (int i = fractionDigits; i < 9; i++) {
            nanos *= 10;
        }
        long epochDay = LocalDate.of(year, month, day).toEpochDay();
        return Instant.ofEpochSecond(epochDay * 86_400 + hour * 3_600 + minute * 60 + second, nanos);
    }

    /** The decimal value of {@code count} (at most 9) digits, or -1 if one of them is not a digit. */
    private static int digits(char[] text, int from, int count) {
        int value = 0;
        for (int i = from; i < from + count; i++) {
            int digit = text[i] - '0';
            if (digit < 0 || digit > 9) {
                return -1;
            }
            value = value * 10 + digit;
        }
        return value;
    }
}
