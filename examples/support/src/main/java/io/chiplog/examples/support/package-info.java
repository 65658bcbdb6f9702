/**
 * What the example applications share: {@link io.chiplog.examples.support.ExampleServer} (Jetty
 * on virtual threads, stopping gracefully on SIGTERM) and {@link
 * io.chiplog.examples.support.HttpJson} with {@link io.chiplog.examples.support.Problem} (JSON
 * bodies, checked fields and parameters, and error answers in the shape of the server's API). All
 * of it is thread-safe.
 */
@NullMarked
package io.chiplog.examples.support;

import org.jspecify.annotations.NullMarked;
