package dev.adclicks.delivery;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.util.Arrays;

import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.Conditional;
import org.springframework.core.type.AnnotatedTypeMetadata;


/**
 * The bean exists only when {@code pipeline.delivery} is one of {@link #value()}. Unlike
 * {@code @ConditionalOnProperty(havingValue=...)} it accepts every spelling the property binds
 * from ({@code at-least-once}, {@code AT_LEAST_ONCE}), and a missing property is exactly-once.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target({ ElementType.TYPE, ElementType.METHOD })
@Documented
@Conditional(ConditionalOnDeliverySemantics.OnDeliverySemantics.class)
public @interface ConditionalOnDeliverySemantics {

    DeliverySemantics[] value();

    class OnDeliverySemantics extends SpringBootCondition {

        @Override
        public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
            DeliverySemantics[] wanted = metadata.getAnnotations().get(ConditionalOnDeliverySemantics.class)
                    .getEnumArray("value", DeliverySemantics.class);
            DeliverySemantics active = PipelineProperties.delivery(context.getEnvironment());
            String message = DeliverySemantics.PROPERTY + " is " + active + ", wanted one of " + Arrays.toString(wanted);
            return Arrays.asList(wanted).contains(active) ? ConditionOutcome.match(message)
                    : ConditionOutcome.noMatch(message);
        }
    }
}
