/**
 * What {@link io.chiplog.model.Commands} needs and users do not: the in-process queue by key
 * ({@link io.chiplog.model.internal.KeyedLocks}) and the metrics ({@link
 * io.chiplog.model.internal.ModelMetrics}).
 */
@NullMarked
package io.chiplog.model.internal;

import org.jspecify.annotations.NullMarked;
