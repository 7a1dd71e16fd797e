package dev.adclicks.dashboard;

import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.http.client.JdkClientHttpRequestFactory;
import org.springframework.stereotype.Component;
import org.springframework.web.client.RestClient;
import org.springframework.web.client.RestClientException;

import dev.adclicks.observability.PipelineEndpoint.PipelineMeters;

/**
 * Reads {@code /actuator/pipeline} of every instance behind a service URL. Docker's DNS answers a
 * scaled service's name with one address per container, so each address is asked on its own; an
 * instance reached under two addresses (localhost as 127.0.0.1 and ::1) is counted once.
 */
@Component
class ServiceMetersClient {

    private static final Logger log = LoggerFactory.getLogger(ServiceMetersClient.class);

    private final RestClient http;

    ServiceMetersClient(RestClient.Builder http, DashboardProperties properties) {
        HttpClient client = HttpClient.newBuilder().connectTimeout(properties.timeout()).build();
        JdkClientHttpRequestFactory requestFactory = new JdkClientHttpRequestFactory(client);
        requestFactory.setReadTimeout(properties.timeout());
        this.http = http.requestFactory(requestFactory).build();
    }

    /** The meters of each reachable instance, and the addresses that did not answer. */
    Readings read(URI service) {
        Map<String, PipelineMeters> byInstance = new LinkedHashMap<>();
        List<String> unreachable = new ArrayList<>();
        for (URI instance : instances(service)) {
            try {
                PipelineMeters meters = http.get().uri(instance.resolve("/actuator/pipeline")).retrieve()
                        .body(PipelineMeters.class);
                if (meters != null) {
                    byInstance.putIfAbsent(meters.instance(), meters);
                }
            }
            catch (RestClientException e) {
                log.debug("No meters from {}: {}", instance, e.toString());
                unreachable.add(instance.toString());
            }
        }
        return new Readings(List.copyOf(byInstance.values()), unreachable);
    }

    /** GETs a JSON object from the first instance of {@code service} that answers. */
    Map<String, Object> getJson(URI service, String path) {
        for (URI instance : instances(service)) {
            try {
                @SuppressWarnings("unchecked")
                Map<String, Object> body = http.get().uri(instance.resolve(path)).retrieve().body(Map.class);
                if (body != null) {
                    return body;
                }
            }
            catch (RestClientException e) {
                log.debug("No answer from {}{}: {}", instance, path, e.toString());
            }
        }
        return Map.of();
    }

    private static List<URI> instances(URI service) {
        InetAddress[] addresses;
        try {
            addresses = InetAddress.getAllByName(service.getHost());
        }
        catch (UnknownHostException e) {
            return List.of(service); // fails again when asked, and is reported unreachable
        }
        List<URI> instances = new ArrayList<>(addresses.length);
        for (InetAddress address : addresses) {
            try {
                instances.add(new URI(service.getScheme(), null, address.getHostAddress(), service.getPort(), "/",
                        null, null));
            }
            catch (URISyntaxException e) {
                throw new IllegalStateException(e);
            }
        }
        return instances;
    }

    record Readings(List<PipelineMeters> instances, List<String> unreachable) {

        /** The sum of a meter over all instances, optionally only where a tag has a value. */
        double sum(String meter, String tag, String value) {
            return instances.stream().flatMap(i -> i.meters().stream())
                    .filter(m -> m.name().equals(meter))
                    .filter(m -> tag == null || value.equals(m.tags().get(tag)))
                    .mapToDouble(m -> m.value()).sum();
        }

        double sum(String meter) {
            return sum(meter, null, null);
        }
    }
}
