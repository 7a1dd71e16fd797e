package dev.adclicks.producer.clicks;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublisher;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;

import tools.jackson.databind.JsonNode;

import dev.adclicks.model.PipelineJson;

/** The service over real HTTP/1.1, as any client would call it. */
public final class ClickApi {

    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
    private final String baseUrl;

    public ClickApi(int port) {
        this.baseUrl = "http://127.0.0.1:" + port;
    }

    /**
     * Yesterday's date (UTC), {@code yyyy-MM-dd}. A click must have occurred within
     * {@link dev.adclicks.model.ClickBounds#MAX_AGE}, so a test's clicks cannot carry a fixed date.
     */
    public static final String YESTERDAY = LocalDate.now(ZoneOffset.UTC).minusDays(1).toString();

    /** Bodies may write the date of a click as {@code yyyy-mm-dd}: it is sent as {@link #YESTERDAY} (same length). */
    private static String dated(String json) {
        return json.replace("yyyy-mm-dd", YESTERDAY);
    }

    public Response post(String path, String json) {
        return post(path, BodyPublishers.ofString(dated(json), StandardCharsets.UTF_8));
    }

    /** With one request header more, e.g. a {@code traceparent} as a tracing caller sends it. */
    public Response post(String path, String json, String header, String value) {
        return send(HttpRequest.newBuilder(URI.create(baseUrl + path))
                .header("Content-Type", "application/json")
                .header(header, value)
                .POST(BodyPublishers.ofString(dated(json), StandardCharsets.UTF_8)));
    }

    /** Without Content-Length: the body goes out with chunked transfer encoding. */
    public Response postChunked(String path, String json) {
        byte[] bytes = dated(json).getBytes(StandardCharsets.UTF_8);
        return post(path, BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(bytes)));
    }

    public Response get(String path) {
        return send(HttpRequest.newBuilder(URI.create(baseUrl + path)).GET());
    }

    private Response post(String path, BodyPublisher body) {
        return send(HttpRequest.newBuilder(URI.create(baseUrl + path))
                .header("Content-Type", "application/json")
                .POST(body));
    }

    private Response send(HttpRequest.Builder request) {
        try {
            HttpResponse<String> response = http.send(request.timeout(Duration.ofSeconds(30)).build(),
                    BodyHandlers.ofString());
            return new Response(response.statusCode(), response.headers().firstValue("Content-Type").orElse(""),
                    response.headers().firstValue("Retry-After").orElse(null), response.body());
        }
        catch (IOException e) {
            throw new IllegalStateException("HTTP call failed", e);
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public record Response(int status, String contentType, String retryAfter, String body) {

        public JsonNode json() {
            return PipelineJson.mapper().readTree(body);
        }
    }
}
