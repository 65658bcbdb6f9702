/**
 * The bank example: accounts whose deposits and withdrawals are DCB decisions over the
 * account's tag (an overdraft is a rejection, not an event), and transfers between accounts as
 * a durable workflow: withdraw from one, deposit to the other, refund when the deposit cannot
 * happen.
 */
@NullMarked
package io.chiplog.examples.bank;

import org.jspecify.annotations.NullMarked;
