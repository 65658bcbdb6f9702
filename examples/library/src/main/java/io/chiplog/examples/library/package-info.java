/**
 * A library catalogue on Chiplog: categories, books numbered 1, 2, 3, … without gaps within
 * their category, and editions of a book, behind a small HTTP API.
 *
 * <p>{@link io.chiplog.examples.library.Catalogue} holds the DCB decisions (a category is added
 * once; a book takes the next number of its category), {@link
 * io.chiplog.examples.library.Editions} the entity of one book's editions, {@link
 * io.chiplog.examples.library.LibraryTypes} the event registry with its upcasters, {@link
 * io.chiplog.examples.library.Library} the service that runs them, and {@link
 * io.chiplog.examples.library.LibraryApp} the HTTP server. Everything here is thread-safe.
 */
@NullMarked
package io.chiplog.examples.library;

import org.jspecify.annotations.NullMarked;
