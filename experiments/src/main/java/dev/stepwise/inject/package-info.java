/** The experiments' Guice module: tasks and training jobs as named components. */
package dev.stepwise.inject;
