/**
 * The workflow engine's internals: the events it writes, the instances it folds from them, the
 * timer queue and the metrics.
 */
@NullMarked
package io.chiplog.workflows.internal;

import org.jspecify.annotations.NullMarked;
