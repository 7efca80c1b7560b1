package dev.stepwise.inject;

import static java.lang.annotation.ElementType.FIELD;
import static java.lang.annotation.ElementType.METHOD;
import static java.lang.annotation.ElementType.PARAMETER;
import static java.lang.annotation.RetentionPolicy.RUNTIME;

import com.google.inject.BindingAnnotation;
import java.lang.annotation.Retention;
import java.lang.annotation.Target;

/**
 * Binding annotation of the sampler's job registry: {@code sampler.jar} runs the
 * {@link dev.stepwise.run.RunJob} named by the config key {@code job} ({@code sample},
 * {@code states}, {@code rollouts}, {@code predict}, ...). Modules contribute with
 * {@code MapBinder.newMapBinder(binder(), String.class, RunJob.class, SamplerJobs.class)}.
 */
@BindingAnnotation
@Target({FIELD, PARAMETER, METHOD})
@Retention(RUNTIME)
public @interface SamplerJobs {}
