/**
 * How views run: a {@link io.chiplog.views.internal.ProjectionRunner} per built version pulls
 * batches from a subscription and hands them to a {@link io.chiplog.views.internal.ViewTarget},
 * which applies them and commits them with the checkpoint in one transaction.
 */
@NullMarked
package io.chiplog.views.internal;

import org.jspecify.annotations.NullMarked;
