package dev.stepwise.caller;

import static java.lang.annotation.ElementType.FIELD;
import static java.lang.annotation.ElementType.METHOD;
import static java.lang.annotation.ElementType.PARAMETER;
import static java.lang.annotation.RetentionPolicy.RUNTIME;

import com.google.inject.BindingAnnotation;
import java.lang.annotation.Retention;
import java.lang.annotation.Target;

/**
 * Binding annotation of {@code api-caller.jar}'s job registry: it runs the {@link
 * dev.stepwise.run.RunJob} named by the config key {@code job} ({@code sample}, {@code judge}, {@code rollouts}).
 */
@BindingAnnotation
@Target({FIELD, PARAMETER, METHOD})
@Retention(RUNTIME)
public @interface CallerJobs {}
