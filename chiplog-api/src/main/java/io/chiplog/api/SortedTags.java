package io.chiplog.api;

import java.util.AbstractSet;
import java.util.Arrays;
import java.util.Iterator;
import java.util.NoSuchElementException;

/**
 * An immutable set of strings (tags, or a query item's types) backed by a sorted array, built
 * only from validated input or from what a backend validated when it wrote it. Cheaper to build
 * and iterate than a {@code TreeSet}, and it iterates in the same sorted order. Equal to any
 * {@link java.util.Set} with the same elements.
 */
final class SortedTags extends AbstractSet<String> {
  private final String[] tags;

  SortedTags(String[] tags) {
    this.tags = tags;
  }

  @Override
  public boolean contains(Object o) {
    return o instanceof String s && Arrays.binarySearch(tags, s) >= 0;
  }

  @Override
  public Iterator<String> iterator() {
    return new Iterator<>() {
      int next;

      @Override
      public boolean hasNext() {
        return next < tags.length;
      }

      @Override
      public String next() {
        if (next >= tags.length) {
          throw new NoSuchElementException();
        }
        return tags[next++];
      }
    };
  }

  @Override
  public int size() {
    return tags.length;
  }
}
