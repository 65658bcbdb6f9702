/**
 * Views: left folds over the log, shaped for their readers and kept in a {@link
 * io.chiplog.views.ViewStore} with their checkpoint in the same transaction.
 *
 * <ul>
 *   <li>{@link io.chiplog.views.KeyValueView}: a value per key, read in O(1) through a {@link
 *       io.chiplog.views.ViewReader}; {@link io.chiplog.views.TableView}: SQL tables a user
 *       queries with SQL (JDBC stores only);
 *   <li>{@link io.chiplog.views.Views}: runs several views, each at its own pace; answers
 *       {@code minPosition} waits, status, rebuilds beside the live version, and point-in-time
 *       builds;
 *   <li>stores: {@link io.chiplog.views.InMemoryViewStore} (tests), {@link
 *       io.chiplog.views.EmbeddedViewStore} (a file, no server), {@link
 *       io.chiplog.views.jdbc.JdbcViewStore} (PostgreSQL, MariaDB/MySQL).
 * </ul>
 */
@NullMarked
package io.chiplog.views;

import org.jspecify.annotations.NullMarked;
