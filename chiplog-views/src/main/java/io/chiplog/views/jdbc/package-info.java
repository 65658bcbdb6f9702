/**
 * Views in SQL databases through JDBC: {@link io.chiplog.views.jdbc.JdbcViewStore} for
 * PostgreSQL and MariaDB/MySQL, key-value spaces and table views alike.
 */
@NullMarked
package io.chiplog.views.jdbc;

import org.jspecify.annotations.NullMarked;
