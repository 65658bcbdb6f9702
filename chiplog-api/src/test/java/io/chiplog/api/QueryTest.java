package io.chiplog.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import org.junit.jupiter.api.Test;

class QueryTest {
  private static final Set<String> FICTION_BOOK = Set.of("category:fiction", "book:1");

  @Test
  void anItemNeedsOneOfItsTypesAndAllOfItsTags() {
    var item = QueryItem.types("BookAdded", "BookImported").withTags("category:fiction");

    assertThat(item.matches("BookAdded", FICTION_BOOK)).isTrue();
    assertThat(item.matches("BookImported", FICTION_BOOK)).isTrue();
    assertThat(item.matches("BookLent", FICTION_BOOK)).isFalse();
    assertThat(item.matches("BookAdded", Set.of("book:1"))).isFalse();
  }

  @Test
  void aQueryNeedsAnyOfItsItemsAndAnEmptyOneMatchesAll() {
    var query = Query.of(QueryItem.types("A"), QueryItem.tags("x:1"));

    assertThat(query.matches("A", Set.of())).isTrue();
    assertThat(query.matches("B", Set.of("x:1", "y:2"))).isTrue();
    assertThat(query.matches("B", Set.of("y:2"))).isFalse();
    assertThat(Query.all().matches("Z", Set.of())).isTrue();
    assertThat(Query.all().matchesAll()).isTrue();
    assertThat(query.matchesAll()).isFalse();
  }

  @Test
  void tagsAndTypesAreKeptSortedWhateverTheInputOrder() {
    var event = EventData.of("A").withTags("z:1", "a:1", "m:1");

    assertThat(event.tags()).containsExactly("a:1", "m:1", "z:1");
  }

  @Test
  void expectedRevisionsJudgeTheActualRevision() {
    long none = RecordedEvent.NO_REVISION;
    assertThat(ExpectedRevision.any().isSatisfiedBy(none)).isTrue();
    assertThat(ExpectedRevision.noStream().isSatisfiedBy(none)).isTrue();
    assertThat(ExpectedRevision.noStream().isSatisfiedBy(0)).isFalse();
    assertThat(ExpectedRevision.exists().isSatisfiedBy(none)).isFalse();
    assertThat(ExpectedRevision.exists().isSatisfiedBy(3)).isTrue();
    assertThat(ExpectedRevision.exactly(3).isSatisfiedBy(3)).isTrue();
    assertThat(ExpectedRevision.exactly(3).isSatisfiedBy(2)).isFalse();
  }

  @Test
  void eventDataIsImmutable() {
    byte[] data = {1, 2, 3};
    var event = EventData.of("A", data);
    data[0] = 9;
    event.data()[1] = 9;

    assertThat(event.data()).containsExactly(1, 2, 3);
  }
}
