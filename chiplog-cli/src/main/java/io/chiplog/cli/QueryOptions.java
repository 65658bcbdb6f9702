package io.chiplog.cli;

import io.chiplog.api.Query;
import io.chiplog.api.QueryItem;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** One query item as flags: {@code --types a,b --tags x,y}; none means every event. */
final class QueryOptions {
  @Option(names = "--types", split = ",", description = "Only events of these types (comma-separated).")
  List<String> types = new ArrayList<>();

  @Option(names = "--tags", split = ",", description = "Only events carrying all these tags (comma-separated).")
  List<String> tags = new ArrayList<>();

  Query query() {
    return types.isEmpty() && tags.isEmpty() ? Query.all() : Query.of(QueryItem.of(types, tags));
  }
}
