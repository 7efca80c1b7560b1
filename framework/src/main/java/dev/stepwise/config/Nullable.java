package dev.stepwise.config;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a record component (a boxed or reference type) that a config may leave out or set to
 * {@code null}.
 *
 * <p>{@link ConfigBinder} requires every other component to be present and non-null, so a typo
 * in a config never silently falls back to a default. Example: {@code record Eval(@Nullable
 * Integer everySteps, String split)}.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.RECORD_COMPONENT, ElementType.PARAMETER, ElementType.FIELD, ElementType.METHOD})
public @interface Nullable {}
