package dev.adclicks.relay.processing;

import java.time.Duration;
import java.util.Map;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How clicks are priced and which are refused.
 *
 * @param campaignPricesMicros price of one click per campaignId, in micros (1/1,000,000 of the
 *        currency unit); a click of a campaign not listed here is rejected
 * @param maxClockSkew how far in the future occurredAt may be before the click is rejected
 */
@ConfigurationProperties("relay.pricing")
public record PricingProperties(Map<String, Long> campaignPricesMicros,
        @DefaultValue("5m") Duration maxClockSkew) {

    public PricingProperties {
        campaignPricesMicros = campaignPricesMicros == null ? Map.of() : Map.copyOf(campaignPricesMicros);
    }
}
