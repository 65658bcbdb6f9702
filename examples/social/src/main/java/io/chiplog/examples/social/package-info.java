/**
 * Friends of friends on Chiplog: users, friendships made and ended, and who is at distance two,
 * behind a small HTTP API.
 *
 * <p>{@link io.chiplog.examples.social.Friendships} holds the DCB decisions (a user registers
 * once; two existing users befriend once and unfriend only when friends), {@link
 * io.chiplog.examples.social.FriendsView} and {@link
 * io.chiplog.examples.social.FriendsOfFriendsView} the two key-value views, kept incrementally so
 * that a read is one lookup, {@link io.chiplog.examples.social.Social} the service that runs them,
 * and {@link io.chiplog.examples.social.SocialApp} the HTTP server. Everything here is
 * thread-safe except {@link io.chiplog.examples.social.Neighbourhoods}, which lives for one event
 * on a view's runner thread.
 */
@NullMarked
package io.chiplog.examples.social;

import org.jspecify.annotations.NullMarked;
