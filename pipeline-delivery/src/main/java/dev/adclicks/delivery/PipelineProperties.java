package dev.adclicks.delivery;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.core.env.Environment;


/**
 * {@code pipeline.delivery}: {@code exactly-once} unless a comparison profile
 * ({@code at-least-once}, {@code at-most-once}) sets it. See {@link DeliverySemantics}.
 */
@ConfigurationProperties("pipeline")
public record PipelineProperties(@DefaultValue("exactly-once") DeliverySemantics delivery) {

    /** The same binding, for code that runs before configuration properties beans exist (conditions, post-processors). */
    public static DeliverySemantics delivery(Environment environment) {
        return Binder.get(environment).bind(DeliverySemantics.PROPERTY, DeliverySemantics.class)
                .orElse(DeliverySemantics.EXACTLY_ONCE);
    }
}
