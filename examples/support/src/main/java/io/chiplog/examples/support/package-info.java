/** What the example applications share: {@link io.chiplog.examples.support.ExampleServer}. */
@NullMarked
package io.chiplog.examples.support;

import org.jspecify.annotations.NullMarked;
