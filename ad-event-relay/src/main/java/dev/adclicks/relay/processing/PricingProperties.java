package dev.adclicks.relay.processing;

import java.util.Map;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * How clicks are priced. (Which clicks are refused for their fields: {@link dev.adclicks.model.ClickBounds}.)
 *
 * @param campaignPricesMicros price of one click per campaignId, in micros (1/1,000,000 of the
 *        currency unit); a click of a campaign not listed here is rejected
 */
@ConfigurationProperties("relay.pricing")
public record PricingProperties(Map<String, Long> campaignPricesMicros) {

    public PricingProperties {
        campaignPricesMicros = campaignPricesMicros == null ? Map.of() : Map.copyOf(campaignPricesMicros);
    }
}
