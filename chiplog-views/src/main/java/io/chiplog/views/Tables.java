package io.chiplog.views;

import java.util.List;
import java.util.Map;

/**
 * The physical names of one built version of a table view's tables. A view that declares table
 * {@code books} writes {@code books_v2_1} while it is built; when it goes live, an SQL view named
 * {@code books} is pointed at it, so readers always query {@code books}.
 *
 * @param physicalByLogical the physical table of each logical name
 */
public record Tables(Map<String, String> physicalByLogical) {

  /** Copies the map. */
  public Tables {
    physicalByLogical = Map.copyOf(physicalByLogical);
  }

  /** The physical names for the space {@code space} of a view with tables {@code logical}. */
  public static Tables of(List<String> logical, String suffix) {
    var names = new java.util.LinkedHashMap<String, String>();
    for (String table : logical) {
      names.put(table, table + "_" + suffix);
    }
    return new Tables(names);
  }

  /**
   * The physical name of the logical table {@code logical}.
   *
   * @throws IllegalArgumentException when the view did not declare it
   */
  public String name(String logical) {
    String physical = physicalByLogical.get(logical);
    if (physical == null) {
      throw new IllegalArgumentException("the view declares no table '" + logical + "', only " + physicalByLogical.keySet());
    }
    return physical;
  }
}
